/**
 * Who is the client of a stream whose handshake was not captured.
 *
 * Order of the rules (the first that decides wins):
 *  1. a port we know as a server port of this domain (AJP 8009 and its usual neighbours, MCMP 6666,
 *     HTTP(S) ports of the proxy) is the server;
 *  2. a well-known port (< 1024) against a non-well-known one is the server;
 *  3. a port outside the ephemeral ranges (Linux 32768–60999, IANA/Windows 49152–65535, i.e. >= 32768)
 *     against one inside them is the server;
 *  4. otherwise the sender of the first packet is the client.
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
  const srcKnown = KNOWN_SERVER_PORTS.has(srcPort);
  const dstKnown = KNOWN_SERVER_PORTS.has(dstPort);
  if (srcKnown !== dstKnown) return srcKnown ? 'src' : 'dst';
  const srcWk = srcPort < 1024;
  const dstWk = dstPort < 1024;
  if (srcWk !== dstWk) return srcWk ? 'src' : 'dst';
  const srcEph = srcPort >= EPHEMERAL_MIN;
  const dstEph = dstPort >= EPHEMERAL_MIN;
  if (srcEph !== dstEph) return srcEph ? 'dst' : 'src';
  return undefined;
}
