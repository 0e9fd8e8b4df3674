/**
 * The corpus of real pastes (test/fixtures/logs/pastes/: each excerpt exactly as published, with its
 * source URL and the conclusion its thread reached). For every one, read as the CLI reads it:
 *  - it is never refused (text is always diagnosed; exit 2 is only for empty or binary input);
 *  - the thread's cause is the primary finding, at error or warning, and no other error/warning
 *    finding is made (ids in `alsoAcceptable` are causes a careful reader could equally name), but
 *    checks of the configuration the paste quotes (read as the CLI reads it), after the cause;
 *  - a thread that concluded on no cause the logs can show (`cause: null`) gets no error/warning finding.
 * Labels come from the threads, never from the tool. Cases the tool still gets wrong are listed in
 * MISSES with the reason, and the test fails if one of them starts passing (so the list stays true).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PASTES as DIR, pasteCases, pasteVerdict, type PasteMeta } from './paste-verdict.js';

/** Cases the tool does not get right yet, and why (what is missing). */
const MISSES: Record<string, string> = {
  'iis-boncode-readtimeout-long-query':
    "BonCode's generic 'Connection error 2 … If you restarted Tomcat this is expected' names no cause; the thread's (a multi-minute query over BonCode's ReadTimeOut) needs the request's duration, which the paste lacks",
  'jb-eap-ajp-idle-threads-never-released':
    'a thread dump of AJP threads idle in AjpProcessor.readMessage is also what a healthy server shows (jb-as423-ajp-readmessage-threads-harmless is labelled no cause): telling exhaustion apart needs the thread count against maxThreads, which the excerpt lacks',
  'jk-msgajp-cpbytes-buffer-overflow':
    "Tomcat 6's MsgAjp.cpBytes overflows while Tomcat builds its own outgoing message, so the tool names the response side (response-header-exceeds-packet-size, same remedy); the blog attributes it to the request",
  'gh-massbank-modjk-jk-status-worker-not-found':
    "the tool names the thread's cause (jk-config-unknown-worker) at info: undefined status workers (jk-status, jk-manager, mounted by the distribution's sample jk.conf) harm no other URL; the thread defined them, as the remedy says",
  'gh-siga-140-modcluster-proxy-error-first-access-pt':
    "the paste is httpd's 502 page ('Error reading from remote server'), which a timeout, a crash and a closed connection all produce; the thread's fix (mod_cluster's Socket Timeout raised) is not told by it",
  'gh-idol-find-kerberos-header-ajp-packetsize':
    "the log shows httpd's own limit first (`Request header exceeds LimitRequestFieldSize: Authorization`, named: httpd-request-limit, whose remedy goes on to the AJP packet); the AJP-side failure the poster hit once it was raised is past the part of the post the stored copy has",
  'ko-blog-jk-ajp-port-58009-selinux-rc3':
    'one summary line (`connecting to tomcat failed (rc=-3, errors=14, …)`, JkLogLevel error) without the jk_open_socket line and its errno: refused, a firewall and SELinux all end so; its lone reading (backend-down-or-wrong-port, possible) names the commonest and lists errno 13 (SELinux) among what the lines before it would say',
  'kb-redhat-66006-modcluster-info-rsp-parse-iae':
    "the JBoss 5 node's mod_cluster listener failing to parse httpd's INFO-RSP (IllegalArgumentException in DefaultMCMPHandler.parseInfoResponse) has no rule, and the old log4j layout without a stamp, indented, is not read",
  'tc-gh-ajpy-6-large-war-upload-bad-signature':
    "the signatures (0x441F, 0x2D2D \"--\", a multipart boundary) are body bytes an AJP client (AJPy) sent without AJP framing, read where a packet header should be; no rule names a client's framing defect, and http-client-on-ajp-port claims any first bytes that are not AJP's",
  'jk-ubuntu-debug-jkmount-main-server':
    'the evidence is an absence (JkMount added at start-up, no request ever mapped in the debug log): not detected',
};

const cases = pasteCases();

const verdict = (slug: string, meta: PasteMeta) => pasteVerdict(slug, readFileSync(DIR + slug + '.txt', 'utf8'), meta, DIR + slug + '.txt');

describe('real pastes as published', () => {
  it('the corpus is real: every case has its source URL, a conclusion and an excerpt', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const { slug, meta } of cases) {
      // six excerpts are real published text whose repository the code index could not name: cited by their index id
      expect(meta.source, slug).toMatch(/^(?:https?:\/\/|code-index:file-id\/\d+$)/);
      expect(meta.conclusion.length, slug).toBeGreaterThan(20);
      expect(readFileSync(DIR + slug + '.txt', 'utf8').trim().length, slug).toBeGreaterThan(0);
    }
  });
  for (const { slug, meta } of cases) {
    const miss = MISSES[slug];
    it(`${slug}: ${meta.cause ?? 'no error/warning finding'}${miss ? ` (known miss: ${miss})` : ''}`, async () => {
      const v = await verdict(slug, meta);
      expect(v.refused, 'refused').toBe(false);
      if (miss) expect(v.pass, `now passes (${v.got}): remove it from MISSES`).toBe(false);
      else expect(v.pass, `${meta.conclusion}\n got: ${v.got}`).toBe(true);
    });
  }
  it('the thread\'s cause is the primary finding in at least 9 of 10 cases', () => {
    const missed = cases.filter((c) => MISSES[c.slug] !== undefined).length;
    expect(missed / cases.length).toBeLessThanOrEqual(0.1);
  });
});
