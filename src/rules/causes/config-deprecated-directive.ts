import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { atLine, where } from './config-util.js';

/**
 * tomcat-connectors native/common/jk_util.c deprecated_properties (mod_jk warns "The attribute '…' is
 * deprecated - please check the documentation for the correct replacement" and, for most, still maps
 * them) and the workers reference's list of replacements, with the release that renamed them.
 */
const RENAMED: Record<string, { to: string; since: string; note?: string }> = {
  cachesize: { to: 'connection_pool_size', since: '1.2.16' },
  cache_timeout: { to: 'connection_pool_timeout', since: '1.2.16' },
  recycle_timeout: { to: 'connection_pool_timeout', since: '1.2.16', note: 'no longer read' },
  balanced_workers: { to: 'balance_workers', since: '1.2.16' },
  jvm_route: { to: 'route', since: '1.2.16' },
  local_worker: { to: 'activation / distance', since: '1.2.19', note: 'ignored' },
  local_worker_only: { to: 'activation / distance', since: '1.2.19', note: 'ignored' },
  disabled: { to: 'activation=D', since: '1.2.19' },
  stopped: { to: 'activation=S', since: '1.2.19' },
  sysprops: { to: '(nothing: the JNI worker was removed)', since: '1.2.20', note: 'ignored' },
  jvm_lib: { to: '(nothing: the JNI worker was removed)', since: '1.2.20', note: 'ignored' },
};
const JNI = new Set(['stdout', 'stderr', 'mx', 'ms', 'class_path', 'bridge', 'ld_path', 'cmd_line', 'native_lib']);
/** Worker types of no use today: jni (removed in 1.2.20), ajp12 (Tomcat 3's protocol). */
const GONE_TYPES: Record<string, string> = { jni: 'the JNI worker was removed in mod_jk 1.2.20', ajp12: 'AJP12 is obsolete (Tomcat 3); Tomcat no longer speaks it' };

export default defineRule({
  id: 'config-deprecated-directive',
  title: 'workers.properties uses a directive renamed or removed in the mod_jk in use',
  severity: 'info',
  needs: { logs: [], config: ['workers'] },
  docs: {
    summary:
      'A worker directive mod_jk renamed or dropped: cachesize, cache_timeout, recycle_timeout, balanced_workers, jvm_route (renamed in 1.2.16), local_worker, local_worker_only, disabled, stopped (replaced by activation and distance in 1.2.19), the JNI worker\'s settings (removed in 1.2.20), and worker types jni / ajp12. mod_jk logs "The attribute … is deprecated" and some are no longer read at all, so a setting believed to be active is not. Reported at warning when the old name is no longer read.',
    remedy: ['Use the current name: connection_pool_size, connection_pool_timeout, balance_workers, route, activation=D|S|A with distance, type=ajp13.'],
    references: ['https://tomcat.apache.org/connectors-doc/reference/workers.html (Deprecated directives)', 'tomcat-connectors native/common/jk_util.c deprecated_properties', 'https://tomcat.apache.org/connectors-doc/miscellaneous/changelog.html'],
  },
  check(ctx) {
    const out: Finding[] = [];
    for (const f of ctx.config.workers) {
      for (const e of f.entries) {
        const m = /^worker\.(.+)\.([^.]+)$/.exec(e.key);
        if (!m) continue;
        const d = m[2]!.toLowerCase();
        const r = RENAMED[d] ?? (JNI.has(d) ? { to: '(nothing: the JNI worker was removed)', since: '1.2.20', note: 'ignored' } : undefined);
        if (r)
          out.push(
            ctx.finding({
              confidence: 'confirmed',
              severity: r.note ? 'warning' : undefined,
              explanation: `${e.key} (${where(e)}) is deprecated since mod_jk ${r.since}${r.note ? ` and ${r.note}` : ''}: the current directive is ${r.to}.`,
              evidence: [atLine(e.path, e.line, `${e.key}=${e.value}`)],
              subject: { worker: m[1]!, directive: d },
              remedy: [r.to.startsWith('(') ? `remove ${e.key}` : `worker.${m[1]!}.${r.to.split(' ')[0]!.replace(/=.*/, '')}=…`],
            }),
          );
        if (d === 'type' && GONE_TYPES[e.value.toLowerCase()])
          out.push(
            ctx.finding({
              confidence: 'confirmed',
              severity: 'warning',
              explanation: `${e.key}=${e.value} (${where(e)}): ${GONE_TYPES[e.value.toLowerCase()]}.`,
              evidence: [atLine(e.path, e.line, `${e.key}=${e.value}`)],
              subject: { worker: m[1]! },
              remedy: [`${e.key}=ajp13`],
            }),
          );
      }
    }
    return out;
  },
});
