/**
 * MCMP methods and parameter limits per server generation.
 *
 * - mod_cluster 1.3.x (`check_method`, native/mod_manager/mod_manager.c on branch 1.3.x) knows the
 *   eight Java commands plus VERSION, ERROR (listed, but no handler: `SYNTAX: Command is not
 *   supported`) and the jgroups commands ADDID / REMOVEID / QUERY.
 * - mod_proxy_cluster 2.x and main (`is_our_method`) dropped ERROR and the jgroups commands
 *   (commit eb6f275 "Remove unused messages after jgroups discovery removal #333"): httpd then
 *   treats them like any unknown HTTP method (on the capture they were proxied to a backend → 501).
 */
import type { ServerGeneration } from './types.js';

export const ALL_GENERATIONS: readonly ServerGeneration[] = [
  'mod_cluster-1.3',
  'mod_proxy_cluster-2.x',
  'mod_proxy_cluster-main',
];

const COMMON = ['CONFIG', 'ENABLE-APP', 'DISABLE-APP', 'STOP-APP', 'REMOVE-APP', 'STATUS', 'INFO', 'DUMP', 'PING', 'VERSION'];
const MC13_ONLY = ['ERROR', 'ADDID', 'REMOVEID', 'QUERY'];

/** Every method any generation's mod_manager recognises (upper case). */
export const MCMP_METHODS: ReadonlySet<string> = new Set([...COMMON, ...MC13_ONLY]);

/** Methods the Java listener (org.jboss.modcluster MCMPRequestType) can send. */
export const JAVA_METHODS: ReadonlySet<string> = new Set([
  'CONFIG', 'ENABLE-APP', 'DISABLE-APP', 'STOP-APP', 'REMOVE-APP', 'STATUS', 'INFO', 'DUMP', 'PING',
]);

/** Generations whose mod_manager handles `method` (httpd compares with strcasecmp). */
export function knownBy(method: string): ServerGeneration[] {
  const m = method.toUpperCase();
  if (COMMON.includes(m)) return [...ALL_GENERATIONS];
  // ERROR is in 1.3's check_method list but has no handler: it is "known" only in the sense that
  // httpd answers it itself (500 SYNTAX) instead of passing it on.
  if (MC13_ONLY.includes(m)) return ['mod_cluster-1.3'];
  return [];
}

/** Standard HTTP and WebDAV methods: requests with these are not MCMP. */
export const HTTP_METHODS: ReadonlySet<string> = new Set([
  'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH',
  'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT',
  'MKACTIVITY', 'CHECKOUT', 'MERGE', 'VERSION-CONTROL', 'LABEL', 'BASELINE-CONTROL', 'MKWORKSPACE',
  'UPDATE', 'CHECKIN', 'UNCHECKOUT', 'ACL', 'BIND', 'UNBIND', 'REBIND', 'MKCALENDAR', 'ORDERPATCH', 'PRI',
]);

/**
 * Longest accepted value per key, as `size - 1` of the C field (mod_manager checks
 * `strlen(value) >= sizeof(field)`). Sizes from native/include/mod_clustersize.h; JVMRoute is
 * httpd's PROXY_WORKER_MAX_ROUTE_SIZE (64 in httpd 2.4.x, mod_proxy.h). Alias is checked per
 * comma-separated item: HOSTALIASZ is 100 in 1.3.x and 255 in mod_proxy_cluster.
 */
export interface Limit {
  max: number;
  perItem?: boolean;
}
export function limitsFor(gen: ServerGeneration): Record<string, Limit> {
  return {
    jvmroute: { max: 63 },
    balancer: { max: 39 },
    domain: { max: 19 },
    host: { max: 63 },
    port: { max: 6 },
    type: { max: 15 },
    stickysessioncookie: { max: 29 },
    stickysessionpath: { max: 29 },
    alias: { max: gen === 'mod_cluster-1.3' ? 99 : 254, perItem: true },
    context: { max: 79, perItem: true },
  };
}

/** Keys STATUS accepts; any other is rejected with `SYNTAX: Invalid field "<key>" in message`. */
export const STATUS_KEYS: ReadonlySet<string> = new Set(['jvmroute', 'load']);
/** Keys PING accepts (process_ping). */
export const PING_KEYS: ReadonlySet<string> = new Set(['jvmroute', 'scheme', 'host', 'port']);
export const PING_SCHEMES: ReadonlySet<string> = new Set(['ajp', 'http', 'https', 'ws', 'wss']);
export const APP_METHODS: ReadonlySet<string> = new Set(['ENABLE-APP', 'DISABLE-APP', 'STOP-APP', 'REMOVE-APP']);
