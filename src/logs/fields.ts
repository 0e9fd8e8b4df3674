/**
 * Structured facts pulled out of message texts. The field names are the contract with rules/
 * (see types.ts): backend, host, port, local, socket, errno, apr, ajpType, bytes, expected, status,
 * serviceError, worker, route, balancer, ah, client, uri, attribute, timeoutMs, slots, slot,
 * attempt, retry, retries, magic, event, size, retrySec, handler, signature, referer, exception.
 *
 * Each regex is guarded by a cheap `includes()` so that the bulk of debug lines (packet dumps,
 * URI mapping chatter) costs a handful of substring scans and no regex at all.
 */

export type Fields = Record<string, string | number>;

/** Shared by every event without fields; frozen, so treat `event.fields` as read-only. */
export const EMPTY_FIELDS: Fields = Object.freeze({}) as Fields;

export function hasKeys(f: Fields): boolean {
  for (const _ in f) return true;
  return false;
}

const RX = {
  errno: /errno\s*=\s*(-?\d+)/,
  withErr: /\berr=(-?\d+)\)?$/,
  socket: /\b[Ss]ocket(?: sd)?\s*=?\s*(-?\d+)/,
  // No '[' in an address: a run of '[' fails at once instead of rescanning the line from each one (issue 15).
  sockDesc: /\[([^[\]\s]+:\d+) -> ([^[\]\s]+:\d+)\]/,
  ajpType: /received (-?\d+) instead/,
  lingering: /read (\d+) lingering bytes(?: in (\d+) sec)?/,
  connectTo: /connect to (\S+?) failed/,
  openingTo: /socket to \(([^)]*)\)/,
  tomcatAt: /tomcat \(([^)]+)\) (?:is down|has forced)/,
  fromHost: /\bfrom (\[[0-9A-Fa-f:.]+\]:\d+|[^\s()[\]]+:\d+)/,
  magic: /wrong message format 0x([0-9A-Fa-f]{1,4})/,
  timeoutEq: /\(timeout=(\d+)\)/,
  timeoutSet: /timeout (\d+) set for socket=(\d+)/,
  timeoutAfter: /after (\d+) ms/,
  attempt: /attempt=(\d+)/,
  retry: /\bretry=(\d+)/,
  retries: /\((\d+) retries\)/,
  serviceError: /Service error=(-?\d+) for worker=(\S+)/,
  httpError: /http error (\d{3})/,
  unrecoverable: /unrecoverable error (\d{3}),/,
  winError: /failed with (?:error=)?(\d+) \(0x[0-9A-Fa-f]+\)/,
  busyLimit: /busy limit (\d+) reached/,
  statusEq: /\bstatus[= ](\d{3})\b/,
  workerEq: /worker=([^\s,]+)/,
  workerQuoted: /worker(?: with name)? '([^']+)'/,
  workerWord: /\bworker ([A-Za-z0-9_.-]+) (?:is|will|escalating|busy|from|can't)/,
  freeEndpoint: /for worker (\S+) from (\d+) slots/,
  endpointFor: /endpoint for worker (\S+?)(?: \(|$)/,
  slotEq: /\bslot[= ](\d+)/,
  bodySize: /of size (\d+)/,
  event: /\(event=(\d+)\)/,
  version: /\b((?:mod_jk|isapi_redirect(?:or)?)\/\d+\.\d+\.\d+[\w.-]*)/,
  uriBracket: /^\[([^\]]+)\] contains/,
  uriQuoted: /(?:map URI|url) '([^']+)'/,
};

const num = (s: string): number => Number(s);

/** mod_jk / ISAPI message texts (jk_ajp_common.c, jk_connect.c, jk_lb_worker.c, mod_jk.c, jk_isapi_plugin.c). */
export function jkFields(msg: string, f: Fields): void {
  let m: RegExpExecArray | null;
  if (msg.includes('errno')) {
    if ((m = RX.errno.exec(msg))) f.errno = Math.abs(num(m[1]));
  } else if (msg.includes('err=') && (m = RX.withErr.exec(msg))) {
    // 1.2.9–1.2.20 printed negative errno values as `err=-110` (jk_connect.c).
    f.errno = Math.abs(num(m[1]));
  }
  if (msg.includes('ocket')) { // `socket 17`, `Socket = 17` (cpong timeout)
    if ((m = RX.socket.exec(msg))) f.socket = num(m[1]);
    if (msg.includes('connect to ') && (m = RX.connectTo.exec(msg))) f.backend = m[1];
    else if (msg.includes('socket to (') && (m = RX.openingTo.exec(msg))) f.backend = m[1];
    if (msg.includes('lingering') && (m = RX.lingering.exec(msg))) {
      f.bytes = num(m[1]);
      if (m[2] !== undefined) f.seconds = num(m[2]);
    }
    if (msg.includes(' -> ') && (m = RX.sockDesc.exec(msg))) {
      // jk_connect.c 1.2.31+: `[local -> remote]`
      f.local = m[1];
      f.backend = m[2];
    }
    if (msg.includes('timeout ') && (m = RX.timeoutSet.exec(msg))) f.timeoutMs = num(m[1]);
  } else if (msg.includes('connect to ') && (m = RX.connectTo.exec(msg))) {
    f.backend = m[1];
  }
  if (msg.includes('received ') && (m = RX.ajpType.exec(msg))) f.ajpType = num(m[1]);
  if (msg.includes('tomcat (') && (m = RX.tomcatAt.exec(msg))) f.backend = m[1];
  if (msg.includes('from ') && f.backend === undefined && (m = RX.fromHost.exec(msg))) f.backend = m[1];
  if (msg.includes('0x') && (m = RX.magic.exec(msg))) f.magic = parseInt(m[1], 16);
  if (msg.includes('timeout')) {
    if ((m = RX.timeoutEq.exec(msg))) f.timeoutMs = num(m[1]);
    else if ((m = RX.timeoutAfter.exec(msg))) f.timeoutMs = num(m[1]);
  }
  if (msg.includes('attempt=') && (m = RX.attempt.exec(msg))) f.attempt = num(m[1]);
  if (msg.includes('retr')) {
    if ((m = RX.retry.exec(msg))) f.retry = num(m[1]);
    if ((m = RX.retries.exec(msg))) f.retries = num(m[1]);
  }
  if (msg.includes('error')) {
    if ((m = RX.serviceError.exec(msg))) {
      f.serviceError = num(m[1]);
      f.worker = m[2];
    } else if ((m = RX.httpError.exec(msg))) f.status = num(m[1]);
    else if ((m = RX.unrecoverable.exec(msg))) f.status = num(m[1]);
    else if (f.errno === undefined && (m = RX.winError.exec(msg))) f.errno = num(m[1]);
  } else if (msg.includes('failed with ') && f.errno === undefined && (m = RX.winError.exec(msg))) {
    // jk_isapi_plugin.c: `ReadClient failed with %d (0x%08x)` (Win32 error, e.g. 64, 10054)
    f.errno = num(m[1]);
  }
  if (msg.includes('busy limit') && (m = RX.busyLimit.exec(msg))) f.busyLimit = num(m[1]);
  if (msg.includes('status') && f.status === undefined && (m = RX.statusEq.exec(msg))) f.status = num(m[1]);
  if (msg.includes('worker') && f.worker === undefined) {
    if ((m = RX.freeEndpoint.exec(msg))) {
      f.worker = m[1];
      f.slots = num(m[2]);
    } else if ((m = RX.workerEq.exec(msg))) f.worker = m[1];
    else if ((m = RX.workerQuoted.exec(msg))) f.worker = m[1];
    else if ((m = RX.endpointFor.exec(msg))) f.worker = m[1];
    else if ((m = RX.workerWord.exec(msg))) f.worker = m[1];
  }
  if (msg.includes('slot') && f.slot === undefined && (m = RX.slotEq.exec(msg))) f.slot = num(m[1]);
  if (msg.includes('of size') && (m = RX.bodySize.exec(msg))) f.size = num(m[1]);
  if (msg.includes('(event=') && (m = RX.event.exec(msg))) f.event = num(m[1]);
  if (msg.charCodeAt(0) === 91 && (m = RX.uriBracket.exec(msg))) f.uri = m[1];
  else if (msg.includes("'/") && (m = RX.uriQuoted.exec(msg))) f.uri = m[1];
}

/**
 * The worker `jkFields` reads from a message (`f.worker`), without the other fields: the same
 * expressions in the same order. Lets the parser fill `event.worker` while `fields` stays lazy.
 */
export function jkWorkerNamed(msg: string): string | undefined {
  let m: RegExpExecArray | null;
  if (msg.includes('error') && (m = RX.serviceError.exec(msg))) return m[2];
  if (!msg.includes('worker')) return undefined;
  if ((m = RX.freeEndpoint.exec(msg))) return m[1];
  if ((m = RX.workerEq.exec(msg))) return m[1];
  if ((m = RX.workerQuoted.exec(msg))) return m[1];
  if ((m = RX.endpointFor.exec(msg))) return m[1];
  if ((m = RX.workerWord.exec(msg))) return m[1];
  return undefined;
}

/** `mod_jk/1.2.23 initialized`, `isapi_redirector/1.2.28 initialized` → the version string. */
export function jkVersion(msg: string): string | undefined {
  if (!msg.includes('initialized') && !msg.includes('Starting')) return undefined;
  const m = RX.version.exec(msg);
  return m ? m[1] : undefined;
}

const HX = {
  // `%pI (%s)`, 2.4.54+ `%pI (%s:%d)`; 2.2 also prints `(null)` for the address (E03).
  backend: /\b(?:from|to) (\[[0-9A-Fa-f:.]+\]:\d+|[^\s()[\]]+:\d+|\(null\)) \(([^)]*)\)/,
  disabling: /disabling worker for \(([^)]*)\)(?: for (\d+)s)?/,
  forHost: /\bfor \(([^()\s]+)\)/,
  toBackend: /connection to backend: (\S+)/,
  expecting: /expecting (\d+) bytes/,
  readBytes: /read (\d+) bytes/,
  route: /for route \(([^)]*)\)/,
  balancer: /\((balancer:\/\/[^)\s]+)\)/,
  packetSize: /(?:size|length) (?:of )?(\d+)\b/,
  status: /\bstatus[= ](\d{3})\b/,
  version: /\b(Apache\/\d+\.\d+\.\d+)/,
  // (?<!\d): the number is taken whole from its first digit, so a long digit run is not retried from each digit (issue 15).
  sendBody: /send body .*?(?<!\d)(\d+) bytes/,
};

function splitHostPort(hp: string, f: Fields): void {
  const i = hp.lastIndexOf(':');
  if (i > 0 && /^\d+$/.test(hp.slice(i + 1)) && !hp.slice(0, i).includes(':')) {
    f.host = hp.slice(0, i);
    f.port = Number(hp.slice(i + 1));
  } else {
    f.host = hp;
  }
}

/** httpd mod_proxy / mod_proxy_ajp / mod_proxy_balancer message texts (after the AH code). */
export function httpdFields(msg: string, f: Fields): void {
  let m: RegExpExecArray | null;
  if ((msg.includes('from ') || msg.includes('to ')) && (m = HX.backend.exec(msg))) {
    if (m[1] !== '(null)') f.backend = m[1];
    // Host name in parentheses: `(host)` up to 2.4.53, `(host:port)` since 2.4.54 (proxy_util.c).
    splitHostPort(m[2], f);
    if (f.port === undefined && f.backend !== undefined) {
      const p = /:(\d+)$/.exec(String(f.backend));
      if (p) f.port = Number(p[1]);
    }
  } else if (msg.includes('disabling worker') && (m = HX.disabling.exec(msg))) {
    splitHostPort(m[1], f);
    if (m[2]) f.retrySec = Number(m[2]);
  } else if (msg.includes('for (') && (m = HX.forHost.exec(msg))) {
    // AH00931–AH00943 (proxy_util.c): `… for (%s)`, `(%s:%d)` since 2.4.54
    splitHostPort(m[1], f);
  } else if (msg.includes('connection to backend: ') && (m = HX.toBackend.exec(msg))) {
    splitHostPort(m[1], f);
  }
  if (msg.includes('expecting') && (m = HX.expecting.exec(msg))) f.expected = Number(m[1]);
  if (msg.includes('route (') && (m = HX.route.exec(msg))) f.route = m[1];
  if (msg.includes('balancer://') && (m = HX.balancer.exec(msg))) f.balancer = m[1];
  if (msg.includes('status') && (m = HX.status.exec(msg))) f.status = Number(m[1]);
}

export function httpdVersion(msg: string): string | undefined {
  if (!msg.includes('Apache/')) return undefined;
  const m = HX.version.exec(msg);
  return m ? m[1] : undefined;
}

/**
 * APR status printed as `(N)Text: ` (httpd server/log.c): N < 20000 is an OS errno, 70000+ APR's
 * own codes (70007 APR_TIMEUP, 70014 APR_EOF), 120000+ module codes (mod_proxy_ajp's AJP_E*,
 * modules/proxy/ajp.h: 120006 = AJP_ENO_HEADER). Windows prints `(OS 10054)` = errno 10054.
 */
export function aprFields(code: number, os: boolean, text: string, f: Fields): void {
  if (os) {
    f.errno = code;
    f.apr = 720000 + code;
  } else {
    f.apr = code;
    if (code > 0 && code < 20000) f.errno = code;
  }
  f.aprText = text;
}
