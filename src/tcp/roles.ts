/**
 * Who is the client of a stream whose handshake was not captured.
 *
 * Order of the rules (the first that decides wins):
 *  1. a port we know as a server port of this domain (AJP 8009 and its usual neighbours, MCMP 6666,
 *     HTTP(S) ports of the proxy) is the server (roleFrom 'port');
 *  2. the content of the first packet: AJP magic or an HTTP request/status line (roleFrom 'content');
 *  3. a well-known port (< 1024) against a non-well-known one is the server;
 *  4. a port outside the ephemeral ranges (Linux 32768–60999, IANA/Windows 49152–65535, i.e. >= 32768)
 *     against one inside them is the server (3 and 4: roleFrom 'port');
 *  5. otherwise the sender of the first packet is the client (roleFrom 'first-packet').
 */

/** Server ports seen in front of / behind Tomcat: AJP, mod_cluster MCMP, HTTP(S), Tomcat shutdown. */
export const KNOWN_SERVER_PORTS: ReadonlySet<number> = new Set([
  8009, 8010, 8011, 8019, 8109, 8209, 8309, // AJP connectors (8009 default, +100 per instance is common)
  6666, 6667, // mod_cluster MCMP (mod_manager) listener
  80, 443, 8080, 8443, 8000, 8081, 8888,
]);

const EPHEMERAL_MIN = 32768;

/**
 * Decide the server side for a stream first seen on a non-SYN packet sent from port `srcPort` to
 * `dstPort`. Returns 'src' when the sender is the server, 'dst' when the receiver is, or undefined
 * when the ports do not tell (caller falls back to "first sender is the client").
 */
export function serverByPort(srcPort: number, dstPort: number): 'src' | 'dst' | undefined {
  return serverByKnownPort(srcPort, dstPort) ?? serverByPortRange(srcPort, dstPort);
}

export function serverByKnownPort(srcPort: number, dstPort: number): 'src' | 'dst' | undefined {
  const srcKnown = KNOWN_SERVER_PORTS.has(srcPort);
  const dstKnown = KNOWN_SERVER_PORTS.has(dstPort);
  if (srcKnown !== dstKnown) return srcKnown ? 'src' : 'dst';
  return undefined;
}

export function serverByPortRange(srcPort: number, dstPort: number): 'src' | 'dst' | undefined {
  const srcWk = srcPort < 1024;
  const dstWk = dstPort < 1024;
  if (srcWk !== dstWk) return srcWk ? 'src' : 'dst';
  const srcEph = srcPort >= EPHEMERAL_MIN;
  const dstEph = dstPort >= EPHEMERAL_MIN;
  if (srcEph !== dstEph) return srcEph ? 'dst' : 'src';
  return undefined;
}

/**
 * Decide the server side from the first payload bytes of a stream seen without its handshake:
 * AJP13 packets to the container start with 0x1234 and packets from it with "AB" (Tomcat
 * AjpProcessor / mod_jk jk_ajp_common.c: AJP13_WS_HEADER 0x1234, AJP13_SW_HEADER 0x4142); an HTTP
 * (or MCMP) request line comes from the client, a status line "HTTP/1.x" from the server.
 */
export function serverByContent(payload: Buffer): 'src' | 'dst' | undefined {
  if (payload.length < 4) return undefined;
  const b0 = payload[0];
  const b1 = payload[1];
  if (b0 === 0x12 && b1 === 0x34) return 'dst';
  if (b0 === 0x41 && b1 === 0x42) {
    // "AB" + 16-bit length: AJP from the container, unless it is text such as "ABC..." in HTTP.
    return 'src';
  }
  if (b0 === 0x48 && b1 === 0x54 && payload.length >= 8 && payload.toString('latin1', 0, 7) === 'HTTP/1.') return 'src';
  // Request line: an upper-case token (GET, POST, CONFIG, ENABLE-APP, ...) then a space.
  let i = 0;
  const max = payload.length < 16 ? payload.length : 16;
  while (i < max && ((payload[i] >= 0x41 && payload[i] <= 0x5a) || payload[i] === 0x2d)) i++;
  if (i >= 3 && i < max && payload[i] === 0x20) return 'dst';
  return undefined;
}
