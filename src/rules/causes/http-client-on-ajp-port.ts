import { defineRule } from '../types.js';
import { tomcatInvalidSignature } from '../signals.js';
import { list, plural, span } from '../helpers.js';

/** Signature value → the two ASCII/TLS bytes it stands for. */
export function signatureBytes(sig: number): string {
  const hi = (sig >> 8) & 0xff;
  const lo = sig & 0xff;
  const printable = (b: number): boolean => b >= 0x20 && b < 0x7f;
  if (hi === 0x16 || hi === 0x15) return `0x${sig.toString(16).padStart(4, '0')} (TLS record)`;
  return `0x${sig.toString(16).padStart(4, '0')}${printable(hi) && printable(lo) ? ` ("${String.fromCharCode(hi, lo)}")` : ''}`;
}

export default defineRule({
  id: 'http-client-on-ajp-port',
  title: 'HTTP/TLS client, scanner or health check talking to the AJP port',
  severity: 'warning',
  needs: { logs: [tomcatInvalidSignature], capture: ['non-ajp-client'] },
  docs: {
    summary:
      'Tomcat read a packet that does not start with the AJP magic 0x1234: something speaks HTTP ("GE" = 18245, "PO" = 20559, "HE" = 18501) or TLS (0x16xx) to the AJP port — a browser or IDE pointed at :8009, a load-balancer health check, or a scanner.',
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
    if (!sigs.length && !cap.length) return [];
    // The capture has the bytes themselves (detect/: bad magic from the client side, fields magic / text).
    const what = [
      ...new Set([
        ...sigs.map((s) => signatureBytes(Number(s.d.signature))),
        ...cap.map((c) => (typeof c.fields?.text === 'string' && c.fields.text ? `"${c.fields.text}"` : typeof c.fields?.magic === 'number' ? signatureBytes(c.fields.magic) : '?')),
      ]),
    ];
    return [
      ctx.finding({
        confidence: cap.length ? 'confirmed' : 'likely',
        explanation: `${sigs.length ? "Tomcat's AJP connector received" : 'The capture shows'} ${plural(sigs.length || cap.length, 'non-AJP packet')}${span(sigs)}${sigs.length ? '' : ` sent to the AJP port (${cap.map((c) => `frame ${c.frames.join(', ')}`).slice(0, 3).join('; ')})`} starting with ${list(what.slice(0, 4))}: a client speaking ${what.some((w) => w.includes('TLS')) || cap.some((c) => Number(c.fields?.magic) >> 8 === 0x16) ? 'TLS' : 'HTTP'} to the AJP port.`,
        evidence: [...sigs, ...cap],
      }),
    ];
  },
});
