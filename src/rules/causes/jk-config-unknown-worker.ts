import { defineRule } from '../types.js';
import { jkLbAllFailed, jkUnknownWorker, jkUriMapUnknownWorker } from '../signals.js';
import { list, merge, plural } from '../helpers.js';

const SAMPLE_STATUS_WORKERS = new Set(['jk-status', 'jk-manager']);

export default defineRule({
  id: 'jk-config-unknown-worker',
  title: 'JkMount refers to a worker that is not defined (or workers.properties is not read)',
  severity: 'error',
  needs: { logs: [jkUriMapUnknownWorker, jkUnknownWorker, jkLbAllFailed] },
  docs: {
    summary:
      'A JkMount / uriworkermap rule names a worker that the workers file in effect does not define. At start: "Could not find worker with name \'X\' in uri map post processing"; per request: "Could not find a worker for worker name=X" (500). jk-status / jk-manager come from the sample httpd-jk.conf; if every mounted worker is missing, JkWorkersFile is not read at all.',
    remedy: [
      'Define the worker: worker.list=…,X plus its worker.X.type/host/port (status workers: worker.list=jk-status and worker.jk-status.type=status), or remove the JkMount.',
      'Check that JkWorkersFile is set, points at the file you edit and is not inside a disabled block (<IfModule …> evaluated before LoadModule jk_module): apachectl -t -D DUMP_MODULES, grep -R JkWorkersFile /etc/apache2 /etc/httpd.',
    ],
    references: ['https://tomcat.apache.org/connectors-doc/reference/apache.html', 'https://github.com/MassBank/MassBank-web/issues/4', 'tomcat-connectors conf/httpd-jk.conf, conf/workers.properties'],
  },
  check(ctx) {
    const startup = ctx.signals(jkUriMapUnknownWorker);
    const runtime = ctx.signals(jkUnknownWorker);
    if (!startup.length && !runtime.length) return [];
    const names = [...new Set([...startup, ...runtime].map((s) => String(s.d.worker)))];
    const onlySample = runtime.length === 0 && names.every((n) => SAMPLE_STATUS_WORKERS.has(n));
    const lbFailed = ctx.signals(jkLbAllFailed).length > 0;
    const parts = [`The workers file in effect does not define ${list(names.map((n) => `'${n}'`))}, which JkMount / uriworkermap refer to.`];
    if (runtime.length) parts.push(`${plural(runtime.length, 'request')} for them failed with 500.`);
    if (onlySample)
      parts.push(
        lbFailed
          ? 'These are the status workers mounted by the sample httpd-jk.conf; together with the load-balancer failures in the same log this suggests the workers.properties you edited is not the one read (JkWorkersFile commented out or pointing elsewhere).'
          : 'These are the status workers mounted by the sample httpd-jk.conf (<Location /jk-status> JkMount jk-status): harmless for other URLs, but define them or remove the mounts.',
      );
    return [
      ctx.finding({
        confidence: 'likely',
        severity: onlySample ? (lbFailed ? 'warning' : 'info') : undefined,
        explanation: parts.join(' '),
        evidence: merge(startup, runtime),
        subject: { workers: names.join(',') },
      }),
    ];
  },
});
