import { defineRule } from '../types.js';
import { tomcatAjpHandler } from '../signals.js';
import { refusalGroups, refusalSignals } from '../shared.js';
import { hostOf, list } from '../helpers.js';

function family(host: string): 'v4' | 'v6' | undefined {
  const h = hostOf(host);
  if (/^127\./.test(h)) return 'v4';
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return 'v6';
  return undefined;
}

export default defineRule({
  id: 'localhost-address-family-mismatch',
  title: 'localhost resolves to one loopback family, Tomcat listens on the other',
  severity: 'error',
  needs: { logs: [...refusalSignals, tomcatAjpHandler] },
  docs: {
    summary:
      'The web server connects to 127.0.0.1 while the AJP connector listens on ::1 (or the reverse): "localhost" resolves to ::1 first on many systems, and Tomcat 9.0.31+ binds AJP to a loopback address by default (some images use address="::1"). Connections are refused although Tomcat runs.',
    remedy: [
      'Use the same literal address on both sides: workers.properties worker.<name>.host=127.0.0.1 with <Connector protocol="AJP/1.3" address="127.0.0.1" …/> (or ::1 on both; ProxyPass ajp://127.0.0.1:8009/).',
      'mod_jk 1.2.38+: worker.<name>.prefer_ipv6 decides which address "localhost" gives.',
    ],
    references: ['https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html', 'https://github.com/docker-library/tomcat/issues/190', 'https://github.com/bitnami/bitnami-docker-tomcat/issues/87'],
  },
  check(ctx) {
    const groups = refusalGroups(ctx).filter((g) => family(g.backend) !== undefined);
    if (!groups.length) return [];
    const handlers = ctx.signals(tomcatAjpHandler).filter((s) => s.d.address !== undefined && family(String(s.d.address)) !== undefined);
    const findings = [];
    for (const g of groups) {
      const fam = family(g.backend)!;
      const other = handlers.filter((h) => family(String(h.d.address)) !== fam);
      const viaLocalhost = g.signals.some((s) => /localhost/i.test(String(s.d.name ?? '')));
      if (other.length)
        findings.push(
          ctx.finding({
            confidence: 'likely',
            explanation: `The web server connects to ${g.backend} (${fam === 'v4' ? 'IPv4' : 'IPv6'} loopback) and is refused, while Tomcat's AJP connector listens on ${list([...new Set(other.map((h) => String(h.d.address)))])}.`,
            evidence: [...g.signals, ...other],
            subject: { backend: g.backend },
          }),
        );
      else if (fam === 'v6' && viaLocalhost)
        findings.push(
          ctx.finding({
            confidence: 'possible',
            explanation: `"localhost" resolved to ${g.backend} (IPv6) and the connection was refused; Tomcat's AJP connector often listens on 127.0.0.1 only.`,
            evidence: g.signals,
            subject: { backend: g.backend },
            notes: ['check the bind address in the Tomcat log line Starting ProtocolHandler ["ajp-nio-…-8009"] or with ss -ltn'],
          }),
        );
    }
    return findings;
  },
});
