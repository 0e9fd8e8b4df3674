import { defineRule, type SignalDef } from '../types.js';
import type { Finding } from '../finding.js';
import { list } from '../helpers.js';

/**
 * httpd reads a request's line and headers itself (server/protocol.c, ap_read_request and
 * ap_get_mime_headers_core) before any handler runs: one that breaks a Limit* directive is answered
 * 400 (414 for the request line) there, and never reaches mod_jk or mod_proxy_ajp. The messages,
 * at info, with the client: `AH00561: Request header exceeds LimitRequestFieldSize: NAME` (also
 * `…LimitRequestFieldSize` alone, AH00560 `… after merging: NAME`, AH00562 `… after folding:
 * NAME`), AH00563 `Number of request headers exceeds LimitRequestFields`, AH00565 `request
 * failed: client's request-line exceeds LimitRequestLine (longer than N)` (2.2.x and 2.4.0–2.4.?:
 * `request failed: URI too long (longer than N)`); 2.2 writes the same texts without the AH codes.
 * The page the client gets says `Size of a request header field exceeds server limit.` or `The
 * number of request header fields exceeds this server's limit.` (the request's error-notes).
 *
 * Why it belongs here: a Kerberos/SPNEGO `Authorization: Negotiate` token or a pile of cookies in
 * front of Tomcat or JBoss meets httpd's 8190-byte limit first, and once it is raised, the AJP
 * packet's 8 KB next (request-exceeds-packet-size): the remedy names both.
 */
const httpdRequestLimit: SignalDef = {
  kind: 'httpd-request-limit',
  source: 'httpd',
  needles: ['exceeds LimitRequestField', 'exceeds LimitRequestLine', 'request failed: URI too long', 'header field exceeds server limit', 'header fields exceeds this server'],
  re: /Request header exceeds (LimitRequestFieldSize)(?: after (?:merging|folding))?(?:: ([^\s:]+))?|Number of request headers exceeds (LimitRequestFields)|request-line exceeds (LimitRequestLine) \(longer than (\d+)\)|request failed: (URI too long) \(longer than (\d+)\)|(Size of a request header field) exceeds server limit|(number of request header fields) exceeds this server/,
  data: (m) => ({
    limit: m[1] ?? m[8] ? 'LimitRequestFieldSize' : m[3] ?? m[9] ? 'LimitRequestFields' : 'LimitRequestLine',
    header: m[2],
    max: m[5] ?? m[7] ? Number(m[5] ?? m[7]) : undefined,
    // the page the client got, not httpd's log: which header, and that it was httpd, is not told by it
    page: m[8] !== undefined || m[9] !== undefined ? 1 : undefined,
  }),
};

const WHAT: Record<string, string> = {
  LimitRequestFieldSize: 'a request header larger than LimitRequestFieldSize (default 8190 bytes)',
  LimitRequestFields: 'more request headers than LimitRequestFields (default 100)',
  LimitRequestLine: 'a request line (method, URI with its query string, protocol) longer than LimitRequestLine (default 8190 bytes)',
};

export default defineRule({
  id: 'httpd-request-limit',
  title: "httpd refused the request itself: a header, the number of headers or the request line over its Limit* directives",
  severity: 'error',
  needs: { logs: [httpdRequestLimit] },
  docs: {
    summary:
      "httpd answers 400 (414 for the request line) to a request whose header is larger than LimitRequestFieldSize, whose headers are more than LimitRequestFields, or whose request line is longer than LimitRequestLine, before mod_jk or mod_proxy_ajp sees it: the backend logs nothing. The usual header is Authorization (a Kerberos/SPNEGO Negotiate token of a user in many Active Directory groups, a large bearer token) or Cookie. Once httpd's limit is raised, the same request must also fit the AJP packet (8 KB by default on both sides), or it fails there next.",
    remedy: [
      'Raise the limit httpd names, in the server config (with name-based virtual hosts httpd takes it from the first-listed host of the address and port): LimitRequestFieldSize 65536 (a Negotiate token can reach 48 KB with MaxTokenSize raised), LimitRequestFields 200, or LimitRequestLine 65536.',
      'Then let the AJP packet carry it: worker.<name>.max_packet_size=65536 (mod_jk) or ProxyIOBufferSize 65536 (mod_proxy_ajp), with <Connector protocol="AJP/1.3" packetSize="65536"/> on Tomcat (max_http_header_size / the ajp-listener on WildFly): a header that passes httpd but not an 8 KB AJP packet fails there (request-exceeds-packet-size).',
      'Or make the request smaller: fewer or shorter cookies, a Kerberos ticket for fewer groups.',
    ],
    references: [
      'httpd server/protocol.c ap_get_mime_headers_core() (AH00560–AH00563) and ap_read_request() (AH00565)',
      'https://httpd.apache.org/docs/2.4/mod/core.html#limitrequestfieldsize',
      'https://www.itsfullofstars.de/2022/02/apache-ah00561-size-of-a-request-header-field-exceeds-server-limit/',
      'https://github.com/opentext-idol/find/issues/38 (Kerberos: LimitRequestFieldSize first, then the AJP packet size)',
    ],
  },
  check(ctx) {
    const s = ctx.signals(httpdRequestLimit);
    if (!s.length) return [];
    const out: Finding[] = [];
    for (const limit of ['LimitRequestFieldSize', 'LimitRequestFields', 'LimitRequestLine']) {
      const mine = s.filter((x) => x.d.limit === limit);
      if (!mine.length) continue;
      const headers = [...new Set(mine.map((x) => x.d.header).filter((h): h is string => typeof h === 'string'))];
      const max = mine.find((x) => typeof x.d.max === 'number')?.d.max;
      const pageOnly = mine.every((x) => x.d.page === 1);
      out.push(
        ctx.finding({
          confidence: pageOnly ? 'likely' : 'confirmed',
          explanation:
            `${pageOnly ? 'The error page is the one httpd writes when the client sent' : mine.length > 1 ? `httpd refused ${mine.length} requests, each with` : 'httpd refused the request: the client sent'} ${WHAT[limit]}` +
            `${headers.length ? ` (${list(headers)})` : ''}${typeof max === 'number' ? ` (the limit in force: ${max})` : ''}: ` +
            'httpd answers 400 itself, before mod_jk or mod_proxy_ajp sees the request, so the backend logs nothing of it. Raised, the request must still fit the AJP packet (8 KB by default on both sides).',
          evidence: mine,
          subject: { limit },
          remedy: limit === 'LimitRequestFieldSize' && headers.some((h) => /^authorization$/i.test(h)) ? ['Authorization over 8 KB is usually a Kerberos/SPNEGO Negotiate token (a user in many AD groups): LimitRequestFieldSize 65536.'] : undefined,
        }),
      );
    }
    return out;
  },
});
