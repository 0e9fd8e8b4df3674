/**
 * Connections to the AJP port that no web server made: port scans and TCP probes.
 *
 * A web server's AJP client (mod_jk jk_connect.c jk_open_socket() / nb_connect(), httpd
 * apr_socket_connect() in proxy_util.c ap_proxy_connect_backend()) connects with the kernel's
 * connect(): the handshake completes, the kernel re-sends an unanswered SYN on the same 4-tuple
 * (same tcp.stream), and a new connection is used for a request (CPING or FORWARD_REQUEST). A scanner
 * leaves other shapes:
 *
 * - SYN → SYN-ACK → RST from the client before any byte (nmap -sS: the raw SYN's answer is reset by
 *   the kernel, which never opened that socket), or the handshake completed and reset without a byte
 *   (nmap -sT closes with SO_LINGER 0; a load balancer's TCP health check does the same): `resetUnused`.
 * - a SYN never answered or refused, from an address whose quiet connections (no payload either way)
 *   went to several ports of the capture (`scanSources`): a scanner's probe of a filtered or closed
 *   port, re-sent from a new source port, not a web server's connect attempt.
 */
import type { StreamSummary } from '../tcp/types.js';
import type { AjpConnection } from '../timeline/index.js';

/** Distinct server ports an address must have probed (quiet connections) within SCAN_WINDOW to count as a scanner. */
export const SCAN_MIN_PORTS = 10;
/** Seconds: a scan touches its ports in a burst (nmap -sS: 1000 ports in well under a second on a LAN). */
export const SCAN_WINDOW = 10;

/**
 * Opened and reset by the client before any byte either way: a SYN scan's half-open probe (SYN →
 * SYN-ACK → RST) or a connect scan / TCP health check (handshake, then RST). Alone it proves nothing
 * (mod_jk does it too while Tomcat starts, samples/backend-restart); from a scanner it is a probe.
 */
export function resetUnused(c: Pick<AjpConnection, 'facts' | 'bytes'>): boolean {
  const f = c.facts;
  return c.bytes.webServer + c.bytes.container === 0 && f.syn && f.synAck && f.rstBy === 'web-server' && f.finBy === null;
}

/**
 * Addresses that opened quiet connections (no payload either way) to at least SCAN_MIN_PORTS distinct
 * server ports within SCAN_WINDOW seconds: port scanners, with that port count. Read from the capture's
 * stream summaries (every TCP stream, AJP or not), so a scan is recognised from the ports around the
 * AJP port. A web server with many backends all down refuses on a few ports, not ten within seconds.
 */
export function scanSources(streams: readonly StreamSummary[]): Map<string, number> {
  const byAddr = new Map<string, Array<{ ts: number; port: number }>>();
  for (const s of streams) {
    if (s.payloadBytes.c2s + s.payloadBytes.s2c !== 0) continue;
    const a = s.info.client.addr;
    let arr = byAddr.get(a);
    if (!arr) byAddr.set(a, (arr = []));
    arr.push({ ts: s.info.startTs, port: s.info.server.port });
  }
  const out = new Map<string, number>();
  for (const [a, arr] of byAddr) {
    arr.sort((x, y) => x.ts - y.ts);
    let best = 0;
    let lo = 0;
    const inWindow = new Map<number, number>();
    for (let hi = 0; hi < arr.length; hi++) {
      inWindow.set(arr[hi]!.port, (inWindow.get(arr[hi]!.port) ?? 0) + 1);
      while (arr[hi]!.ts - arr[lo]!.ts > SCAN_WINDOW) {
        const p = arr[lo]!.port;
        const n = inWindow.get(p)! - 1;
        if (n === 0) inWindow.delete(p);
        else inWindow.set(p, n);
        lo++;
      }
      if (inWindow.size > best) best = inWindow.size;
    }
    if (best >= SCAN_MIN_PORTS) out.set(a, best);
  }
  return out;
}
