import { defineRule, type SignalDef } from '../types.js';

/**
 * The workers file itself could not be read (ISAPI redirector init_jk, EMERG: `Unable to read worker
 * file %s.` 1.2.0–1.2.32, `… (errno=%d, err=%s)` 1.2.33+; `Unable to read worker mount file %s.`
 * 1.2.0–1.2.8): no worker is defined at all.
 */
const jkWorkerFileUnreadable: SignalDef = {
  kind: 'jk-worker-file-unreadable',
  source: 'jk',
  needles: ['Unable to read worker file', 'Unable to read worker mount file'],
  re: /Unable to read worker (?:mount )?file (\S+?)\.?(?: \(errno=(\d+), err=([^)]*)\))?(?:\s|$)/,
  data: (m) => ({ file: m[1], errno: m[2] === undefined ? undefined : Number(m[2]), err: m[3] }),
};
import { jkLbAllFailed, jkUnknownWorker, jkUriMapUnknownWorker } from '../signals.js';
import { list, merge, plural } from '../helpers.js';

const SAMPLE_STATUS_WORKERS = new Set(['jk-status', 'jk-manager']);

export default defineRule({
  id: 'jk-config-unknown-worker',
  title: 'JkMount refers to a worker that is not defined (or workers.properties is not read)',
  severity: 'error',
  needs: { logs: [jkUriMapUnknownWorker, jkUnknownWorker, jkLbAllFailed, jkWorkerFileUnreadable] },
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
    const unreadable = ctx.signals(jkWorkerFileUnreadable);
    if (!startup.length && !runtime.length && unreadable.length)
      return [
        ctx.finding({
          confidence: 'likely',
          explanation: `The redirector could not read its workers file ${unreadable[0].d.file}${unreadable[0].d.err ? ` (${unreadable[0].d.err})` : ''}: no worker is defined, so nothing can be forwarded. Check the path in isapi_redirect.properties (worker_file) or the registry, and that the application pool identity may read it.`,
          evidence: unreadable,
          subject: { file: String(unreadable[0].d.file) },
        }),
      ];
    if (!startup.length && !runtime.length) return [];
    const names = [...new Set([...startup, ...runtime].map((s) => String(s.d.worker)))];
    const onlySample = runtime.length === 0 && names.every((n) => SAMPLE_STATUS_WORKERS.has(n));
    const lbFailed = ctx.signals(jkLbAllFailed).length > 0;
    // The configuration given (or quoted in the paste) defines and lists them: then that file is not
    // the one mod_jk read (JkWorkersFile elsewhere, or the jk configuration not loaded at all).
    const definedIn = names.map((n) => ctx.config.workers.find((f) => f.workers.get(n)?.listed === true)).filter((f) => f !== undefined);
    const givenDefines = names.length > 0 && definedIn.length === names.length;
    const parts = givenDefines
      ? [
          `The workers.properties given (${[...new Set(definedIn.map((f) => f.path))].join(', ')}) defines and lists ${list(names.map((n) => `'${n}'`))}, yet mod_jk did not find ${names.length > 1 ? 'them' : 'it'}: the workers file mod_jk read is another one (JkWorkersFile pointing elsewhere, a second JkWorkersFile, or the jk configuration that sets it not loaded).`,
        ]
      : [`The workers file in effect does not define ${list(names.map((n) => `'${n}'`))}, which JkMount / uriworkermap refer to.`];
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
        ...(givenDefines
          ? { remedy: ['Find the JkWorkersFile httpd really reads and whether the jk configuration is loaded at all: apachectl -t -D DUMP_MODULES | grep jk, grep -Rn JkWorkersFile /etc/apache2 /etc/httpd (Debian/Ubuntu: a2enmod jk, and the jk.conf of mods-enabled/ sets JkWorkersFile /etc/libapache2-mod-jk/workers.properties).'] }
          : {}),
        evidence: merge(startup, runtime),
        subject: { workers: names.join(',') },
      }),
    ];
  },
});
