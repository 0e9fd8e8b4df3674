import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { boolValue } from '../../config/index.js';
import { atLine, jkWorkers, where } from './config-util.js';

/** Access control directives of httpd 2.2 and 2.4 that can restrict a <Location>. */
const ACCESS = /^(require|allow|deny|authtype|authuserfile|authbasicprovider)$/i;
/** Access directives that let everyone in. */
const OPEN = /^(allow from all|require all granted|deny from none)\s*$/i;

/**
 * The jk status worker (type=status) shows every worker and, unless read_only=True, lets its user
 * stop, disable and reconfigure them (status.html). Mounted where anyone can reach it, it is a
 * remote switch for the backends. mod_jk's own sample httpd-jk.conf guards it with
 * `<Location /jk-status> Require ip 127.0.0.1`.
 */
export default defineRule({
  id: 'config-status-worker-open',
  title: 'The jk status worker is mounted without access restriction',
  severity: 'warning',
  needs: { logs: [], config: ['workers'] },
  docs: {
    summary:
      'A status worker (worker.<name>.type=status) is mounted (JkMount, uriworkermap) and neither the <Location> it is mounted in has Require / Allow / Auth directives nor the worker has read_only=True or user=: whoever reaches the URL can see every backend and, without read_only, disable, stop or reconfigure them. Mounts whose access control lives elsewhere (a <Location> not in the files given, a front proxy) are false positives.',
    remedy: [
      '<Location /jk-status> JkMount jk-status; Require ip 127.0.0.1 (2.4; 2.2: Order deny,allow / Deny from all / Allow from 127.0.0.1) </Location>, and worker.<status>.read_only=True for a view-only page (or user=… with authentication).',
    ],
    references: ['https://tomcat.apache.org/connectors-doc/reference/status.html (read_only, user)', 'tomcat-connectors conf/httpd-jk.conf (the jk-status / jk-manager Locations)'],
  },
  check(ctx) {
    const out: Finding[] = [];
    const status = new Map(jkWorkers(ctx.config).filter((w) => w.type === 'status').map((w) => [w.name, w]));
    if (!status.size) return out;
    for (const m of ctx.config.mounts) {
      const w = status.get(m.worker);
      if (!w || m.unmount) continue;
      if (boolValue(w.settings.get('read_only')) === true || w.settings.has('user')) continue;
      // The <Location> the mount is in, or one whose path covers the mount's URLs (a Location applies to every URL under it).
      const d = ctx.config.httpd.find((x) => x.path === m.path && x.line === m.line);
      const own = (d?.sections ?? []).filter((s) => /^location(match)?\b/i.test(s));
      const norm = (x: string): string => x.replace(/["']/g, '').replace(/\*.*$/, '').replace(/\/+$/, '');
      const covers = (s: string): boolean => own.includes(s) || (/^location\b/i.test(s) && norm(m.uri).startsWith(norm(s.replace(/^\S+\s+/, ''))) && norm(s.replace(/^\S+\s+/, '')) !== '');
      // "Allow from all" / "Require all granted" restrict nothing.
      // With `Order deny,allow`, an `Allow from all` beside `Deny from all` opens it again.
      const access = ctx.config.httpd.filter((x) => ACCESS.test(x.name) && x.sections.some(covers)).map((x) => `${x.name} ${x.args.join(' ')}`);
      const guarded = access.length > 0 && !access.some((t) => OPEN.test(t));
      if (guarded) continue;
      out.push(
        ctx.finding({
          confidence: 'possible',
          explanation: `The status worker '${w.name}' is mounted on ${m.uri} (${where(m)}) with no Require / Allow in its <Location> and ${w.settings.has('read_only') ? 'read_only off' : 'no read_only'}: anyone who reaches that URL can see every backend and disable or stop them.`,
          evidence: [atLine(m.path, m.line, `${m.from === 'JkMount' ? 'JkMount ' : ''}${m.uri} ${m.worker}`), atLine(w.path, w.line, `worker.${w.name}.type=status`)],
          subject: { worker: w.name },
          remedy: [`<Location ${m.uri.replace(/\/?\*$/, '')}> Require ip 127.0.0.1 </Location>`, `worker.${w.name}.read_only=True`],
        }),
      );
    }
    return out;
  },
});
