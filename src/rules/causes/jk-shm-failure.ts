import { defineRule, type SignalDef } from '../types.js';
import { shmFailure } from '../shared.js';

/**
 * mod_jk keeps load-balancer and worker state in a shared-memory file (JkShmFile, default
 * logs/jk-runtime-status) that the parent creates and every child attaches. The messages, across
 * 1.2.9 … 1.2.50 (mod_jk.c init_jk / jk_child_init, jk_isapi_plugin.c init_jk, jk_shm.c jk_shm_open):
 *   `Initializing shm:%s errno=%d. Load balancing workers will not function properly[.]` /
 *   `… Cannot continue` (ISAPI 1.2.34+), `Attaching shm:%s errno=%d` (`Attachning` before 1.2.20),
 *   `Failed to open|map shared memory [mutex ]%s with errno=%d`, `Could not allocate shared memory for worker %s`,
 *   `JK_SHM_SLOT_SIZE %d is too small`, `Invalid shared memory size (%d)`, and httpd's own
 *   `Unable to start due to shared memory failure.`.
 */
const jkShmFailed: SignalDef = {
  kind: 'jk-shm-failed',
  source: 'jk',
  needles: ['Initializing shm:', 'Attaching shm:', 'Attachning shm:', 'shared memory', 'JK_SHM_SLOT_SIZE'],
  re: /(?:Initializing|Attaching|Attachning) shm:(\S*) errno=(\d+)|Failed to (?:open|map) shared memory(?: mutex)? (\S+) with errno=(\d+)|(Could not allocate shared memory for worker|JK_SHM_SLOT_SIZE \d+ is too small|Invalid shared memory size|Unable to start due to shared memory failure)/,
  data: (m) => ({ file: m[1] ?? m[3], errno: m[2] !== undefined ? Number(m[2]) : m[4] !== undefined ? Number(m[4]) : undefined, what: m[5] }),
};


export default defineRule({
  id: 'jk-shm-failure',
  title: "mod_jk cannot create or attach its shared memory (JkShmFile)",
  severity: 'error',
  needs: { logs: [jkShmFailed] },
  docs: {
    summary:
      "mod_jk could not create or attach the shared-memory file that holds the load balancer's and workers' state (JkShmFile). Load balancing then works per httpd child at best (states, errors and sticky failover are not shared), and newer versions refuse to start. The errno says why: 13 permission (directory rights, SELinux), 2 a missing folder, 17 a stale file.",
    remedy: [
      'Put the file where httpd may write, on a local disk: JkShmFile /var/run/httpd/mod_jk.shm (Debian: /var/run/apache2/jk-runtime-status), in the main server configuration.',
      'SELinux (errno 13 with the default logs/ path): label the folder for runtime files: semanage fcontext -a -t httpd_var_run_t "/var/run/mod_jk(/.*)?" && restorecon -Rv /var/run/mod_jk, then JkShmFile /var/run/mod_jk/jk-runtime-status.',
      'Stale file (errno 17) after a killed httpd: stop httpd, remove the old jk-runtime-status* / mod_jk.shm* files, start it again.',
      'Many workers (1.2.41+ "Could not allocate shared memory for worker"): raise JkShmSize (or shm_size in isapi_redirect.properties), or remove it to let mod_jk compute the size.',
    ],
    references: [
      'https://tomcat.apache.org/connectors-doc/reference/apache.html (JkShmFile, JkShmSize)',
      'tomcat-connectors native/apache-2.0/mod_jk.c init_jk(), jk_child_init(); native/common/jk_shm.c jk_shm_open()',
      'https://community.appian.com/support/w/kb/1271 (SELinux, errno=13)',
    ],
  },
  check(ctx) {
    const s = ctx.signals(jkShmFailed);
    if (!s.length) return [];
    const { file, why } = shmFailure(s);
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: `mod_jk could not set up its shared memory${file ? ` (${file})` : ''}${why}. Without it the load balancer's state is not shared between httpd processes (newer versions do not start).`,
        evidence: s,
        subject: file ? { file } : {},
      }),
    ];
  },
});
