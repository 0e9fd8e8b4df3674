import { defineRule } from '../types.js';
import { tomcatInvalidSignature } from '../signals.js';
import { list, plural, portOf, span } from '../helpers.js';
import type { CaptureEvidence } from '../../util/evidence.js';
import type { RuleContext } from '../types.js';
import { captureSpan, framesOf } from './capture-util.js';

/** Signature value → the two ASCII/TLS bytes it stands for. */
export function signatureBytes(sig: number): string {
  const hi = (sig >> 8) & 0xff;
  const lo = sig & 0xff;
  const printable = (b: number): boolean => b >= 0x20 && b < 0x7f;
  if (hi === 0x16 || hi === 0x15) return `0x${sig.toString(16).padStart(4, '0')} (TLS record)`;
  return `0x${sig.toString(16).padStart(4, '0')}${printable(hi) && printable(lo) ? ` ("${String.fromCharCode(hi, lo)}")` : ''}`;
}

/**
 * The protocol a client's first bytes on the AJP port belong to (detect/: magic = the first two bytes,
 * text = a printable preview). The probes nmap's service scan sends (nmap-service-probes) are among them.
 */
export function probeProtocol(magic: number | undefined, text: string): string {
  const binary = magic === undefined ? undefined : magicProtocol(magic);
  if (binary === 'TLS') return binary;
  if (/^(GET|POST|HEAD|OPTIONS|PUT|DELETE|TRACE|CONNECT|PROPFIND) \S+ (HTTP|RTSP)\//.test(text)) return /RTSP/.test(text) ? 'RTSP' : 'HTTP';
  if (/SMB/.test(text)) return 'SMB';
  if (binary !== undefined) return binary;
  if (text.startsWith('JRMI')) return 'JRMI';
  if (text.startsWith('SSH-')) return 'SSH';
  return 'other';
}

/**
 * The protocol whose first two bytes Tomcat read as a packet header (`Invalid message received with
 * signature N`: the bytes as a big-endian number), or 'other': an HTTP method's first two letters
 * (GET, POST, HEAD, PUT, PATCH, DELETE, OPTIONS, TRACE, CONNECT, PROPFIND/PRI), a TLS or SSLv2 record,
 * SSH's `SS`, JRMI's `JR`, RDP's TPKT 0x0300.
 */
export function signatureProtocol(sig: number): string {
  const binary = magicProtocol(sig);
  if (binary !== undefined) return binary;
  const two = String.fromCharCode((sig >> 8) & 0xff, sig & 0xff);
  if (/^(?:GE|PO|HE|PU|PA|DE|OP|TR|CO|PR)$/.test(two)) return 'HTTP';
  if (two === 'SS') return 'SSH';
  if (two === 'JR') return 'JRMI';
  return 'other';
}

/**
 * The binary protocols two first bytes tell: a TLS record (handshake 0x16, alert 0x15) or an SSLv2
 * ClientHello (a 2-byte header with the top bit set), RDP's TPKT 0x0300.
 */
function magicProtocol(magic: number): 'TLS' | 'RDP' | undefined {
  const hi = (magic >> 8) & 0xff;
  if (hi === 0x16 || hi === 0x15 || hi === 0x80) return 'TLS';
  return magic === 0x0300 ? 'RDP' : undefined;
}

export default defineRule({
  id: 'http-client-on-ajp-port',
  title: 'HTTP/TLS client, scanner or health check talking to the AJP port',
  severity: 'warning',
  needs: { logs: [tomcatInvalidSignature], capture: ['non-ajp-client', 'port-scan'] },
  docs: {
    summary:
      'Tomcat read a packet that does not start with the AJP magic 0x1234: something speaks HTTP ("GE" = 18245, "PO" = 20559, "HE" = 18501) or TLS (0x16xx) to the AJP port — a browser or IDE pointed at :8009, a load-balancer health check, or a scanner. A capture also shows scans that send nothing: an address probing ten or more ports within seconds (SYN → SYN-ACK → RST, SYNs a filter drops, refused SYNs) is a port scan, and probes in several protocols one per connection are a service scan (nmap -sV); both are reported at info, as scans of the AJP port, never as a backend failure.',
    remedy: [
      'Point HTTP health checks at the HTTP connector, or use an AJP-aware check (httpd mod_proxy_hcheck hcmethod=CPING).',
      'Firewall port 8009 to the web servers only; bind the connector to an internal address (address="…").',
    ],
    references: ['tomcat java/org/apache/coyote/ajp/AjpMessage.java processHeader() (ajpmessage.invalid)', 'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html'],
  },
  check(ctx) {
    // 514/516 (0x0202/0x0204) are FORWARD_REQUEST bytes read as a header: packet-size-mismatch, not a foreign client.
    const sigs = ctx.signals(tomcatInvalidSignature).filter((s) => {
      const v = Number(s.d.signature);
      return v !== 514 && v !== 516 && v >> 8 !== 0x02;
    });
    const cap = ctx.capture('non-ajp-client');
    const scans = ctx.capture('port-scan');
    const findings = scans.length ? [scanFinding(ctx, scans)] : [];
    if (!sigs.length && !cap.length) return findings;
    // The capture has the bytes themselves (detect/: bad magic from the client side, fields magic / text).
    const what = [
      ...new Set([
        ...sigs.map((s) => signatureBytes(Number(s.d.signature))),
        ...cap.map((c) => (typeof c.fields?.text === 'string' && c.fields.text ? `"${c.fields.text}"` : typeof c.fields?.magic === 'number' ? signatureBytes(c.fields.magic) : '?')),
      ]),
    ];
    // Which protocols: from the capture's bytes, else from Tomcat's signature values.
    const sigProtocols = sigs.map((x) => signatureProtocol(Number(x.d.signature)));
    const protocols = [
      ...new Set([
        ...cap.map((c) => probeProtocol(typeof c.fields?.magic === 'number' ? c.fields.magic : undefined, typeof c.fields?.text === 'string' ? c.fields.text : '')),
        ...sigProtocols,
      ]),
    ].filter((p) => p !== 'other' || cap.length + sigs.length === 1);
    const named = protocols.filter((p) => p !== 'other');
    // Tomcat's log alone, and no signature is the start of a protocol a client opens with: the two
    // bytes may as well be a request body's, read where a header belongs once the sender's framing
    // went out of step (AJPy#6: 0x2D2D "--", a multipart boundary, sent unframed by the AJP client).
    const unnamed = cap.length === 0 && sigProtocols.every((p) => p === 'other');
    // One connection per probe, in several protocols, from one client: a service scan (nmap -sV sends
    // its nmap-service-probes one per connection until one matches), not a client that speaks one of them.
    const serviceScan = named.length >= 3 || (cap.length >= 3 && new Set(cap.map((c) => c.stream)).size >= 3 && named.length >= 2);
    const who = serviceScan
      ? `a service scan (one probe per connection in ${list(named)}${protocols.includes('other') ? ' and other protocols' : ''}, as nmap -sV sends): someone fingerprinting the AJP port, not a client that speaks one of these`
      : named.length
        ? `a client speaking ${list(named)} to the AJP port`
        : unnamed
          ? `none of them the start of a protocol a client opens with (HTTP, TLS, SSH, RDP, SMB, JRMI): a client speaking something else, or an AJP sender out of step — a request body's bytes read where a packet header belongs${sigs.some((x) => Number(x.d.signature) === 0x2d2d) ? ' ("--" opens a multipart boundary)' : ''}, the body not framed as AJP body chunks or longer than its Content-Length. A capture of the AJP port tells which`
          : 'a client speaking something other than AJP to the AJP port';
    findings.push(
      ctx.finding({
        confidence: cap.length ? 'confirmed' : unnamed ? 'possible' : 'likely',
        severity: serviceScan ? 'info' : undefined,
        explanation: `${sigs.length ? "Tomcat's AJP connector received" : 'The capture shows'} ${plural(sigs.length || cap.length, 'non-AJP packet')}${span(sigs)}${sigs.length ? '' : ` sent to the AJP port (${cap.map((c) => `frame ${c.frames.join(', ')}`).slice(0, 3).join('; ')})`} starting with ${list(what.slice(0, 4))}: ${who}.`,
        evidence: [...sigs, ...cap],
        remedy: unnamed
          ? ['Capture the AJP port (tcpdump -i any -s 0 -w ajp.pcap port 8009) and run ajp-inspect on it: bytes that open a connection are a foreign client; bytes after a FORWARD_REQUEST are a request body out of step (the AJP client\'s body framing, or a Content-Length that does not match the body sent).']
          : portRemedy(cap),
      }),
    );
    return findings;
  },
});

/** The AJP port the capture shows, in the firewall line (the generic remedy says 8009). */
function portRemedy(cap: readonly CaptureEvidence[]): string[] {
  const ports = [...new Set(cap.map((c) => portOf(String(c.fields?.container ?? ''))).filter((p): p is string => p !== undefined))];
  return ports.length ? [`Seen on port ${list(ports)}: allow ${ports.length > 1 ? 'those ports' : 'that port'} from the web servers only (firewall), or bind the AJP connector to an internal address (address="…").`] : [];
}

/** Connections no web server made (detect/scan.ts): an info finding about the scan, never one about the backend. */
function scanFinding(ctx: RuleContext, scans: readonly CaptureEvidence[]) {
  const by = [...new Set(scans.map((c) => String(c.fields?.scanner ?? '?')))];
  const targets = [...new Set(scans.map((c) => String(c.fields?.container ?? '?')))];
  const ports = Math.max(0, ...scans.map((c) => (typeof c.fields?.ports === 'number' ? c.fields.ports : 0)));
  const shapes = new Set(scans.map((c) => String(c.fields?.shape)));
  const how = [
    shapes.has('reset-unused') ? 'connections opened and reset before a byte was sent (SYN → SYN-ACK → RST: a SYN scan, a connect scan or a TCP health check)' : '',
    shapes.has('syn-unanswered') ? 'SYNs nobody answered (a filtered port: a packet filter dropped them; the scanner re-sent its probe from a new source port)' : '',
    shapes.has('refused') ? 'SYNs refused with RST (a closed port)' : '',
  ].filter(Boolean);
  return ctx.finding({
    confidence: 'confirmed',
    severity: 'info',
    explanation: `The capture shows ${list(by)} probing the AJP port ${list(targets)}${captureSpan(scans)} (${framesOf(scans)}): ${how.join('; ')}${ports ? `; the same address touched ${ports} ports of this capture without sending a byte` : ''}. No web server made these connections (mod_jk and mod_proxy_ajp connect with the kernel's connect() and send a CPING or FORWARD_REQUEST at once): a port scan of the AJP port, nothing wrong with the backend.`,
    evidence: scans,
    remedy: portRemedy(scans),
    notes: ['the AJP port should be reachable from the web servers only: a scanner reaching it can also try Ghostcat (CVE-2020-1938) and other unauthenticated requests'],
  });
}
