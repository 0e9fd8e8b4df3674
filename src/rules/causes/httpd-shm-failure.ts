import { defineRule, type SignalDef } from '../types.js';
import { shmFailure } from '../shared.js';

/**
 * httpd keeps mod_proxy_balancer's balancers and members (and mod_proxy_cluster's nodes, through the
 * same provider) in shared memory made by mod_slotmem_shm, a file per balancer under the runtime
 * directory (DefaultRuntimeDir, logs/ by default). When it cannot be made, httpd does not start.
 * The messages, httpd 2.4 modules/slotmem/mod_slotmem_shm.c slotmem_create():
 * `AH02611: create: apr_shm_create(FILE) failed` (`apr_shm_attach` in a child), with the APR status
 * before it (`(13)Permission denied: `); modules/proxy/mod_proxy_balancer.c balancer_post_config():
 * `AH01179: balancer slotmem_create failed`, `AH01185: worker slotmem_create failed` (EMERG, the
 * status before them too).
 */
const httpdShmFailed: SignalDef = {
  kind: 'httpd-shm-failed',
  source: 'httpd',
  needles: ['apr_shm_create(', 'apr_shm_attach(', 'slotmem_create failed'],
  re: /(?:\((\d+)\)[^:]*: )?(?:\[client [^\]]*\] )?(?:AH0\d{4}: )?(?:create: apr_shm_(?:create|attach)\(([^)]*)\) failed|(balancer|worker) slotmem_create failed)/,
  data: (m) => ({ errno: m[1] !== undefined ? Number(m[1]) : undefined, file: m[2], what: m[3] }),
};

export default defineRule({
  id: 'httpd-shm-failure',
  title: "httpd cannot create its balancer's shared memory (mod_slotmem_shm)",
  severity: 'error',
  needs: { logs: [httpdShmFailed] },
  docs: {
    summary:
      "httpd could not create or attach the shared memory in which mod_proxy_balancer (and mod_proxy_cluster) keep their balancers and members (mod_slotmem_shm, a file under DefaultRuntimeDir): httpd does not start. The errno says why: 13 permission (the runtime directory, SELinux, or /dev/shm's mode), 2 a missing folder, 17 a stale file of a killed httpd, 28 no space.",
    remedy: [
      'Give httpd a runtime directory it may write, on a local disk: DefaultRuntimeDir /run/httpd (or /var/run/apache2), or a writable logs/ under ServerRoot; the user httpd starts as (root before it switches to User) must create files there.',
      'Permission denied on POSIX shared memory: /dev/shm must be mode 1777 (chmod 1777 /dev/shm; a hardened image or a container may mount it otherwise).',
      'SELinux: the folder must be labelled for httpd runtime files (httpd_var_run_t): restorecon -Rv /run/httpd, or semanage fcontext for a custom path.',
      'Stale files (errno 17) after a killed httpd: stop httpd, remove the slotmem-shm-*.shm files of its runtime directory, start it again.',
    ],
    references: [
      'httpd modules/slotmem/mod_slotmem_shm.c slotmem_create() (AH02611), modules/proxy/mod_proxy_balancer.c balancer_post_config() (AH01179, AH01185)',
      'https://httpd.apache.org/docs/2.4/mod/core.html#defaultruntimedir',
      'https://www.aii-3.com/tech-corner/webserver-shm-failure-fix (SAS Web Server, /dev/shm mode)',
    ],
  },
  check(ctx) {
    const s = ctx.signals(httpdShmFailed);
    if (!s.length) return [];
    const { file, why } = shmFailure(s);
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: `httpd could not set up the shared memory of its balancers${file ? ` (${file})` : ''}${why}. httpd does not start with it (mod_proxy_balancer, mod_proxy_cluster).`,
        evidence: s,
        subject: file ? { file } : {},
      }),
    ];
  },
});
