/**
 * Every excerpt of real-log-excerpts.md (copied verbatim to test/fixtures/rules/excerpts/) gets the
 * diagnosis its source reached. "(ours)" marks excerpts whose thread reached none; there we check the
 * reading documented next to the excerpt.
 */
import { describe, expect, it } from 'vitest';
import { fx, run } from './harness.js';

const CASES: { file: string; expect: string[]; not?: string[]; note?: string }[] = [
  { file: 'E01-1.log', expect: ['cping-desync-leftover-packets', 'client-abort-upload'] },
  { file: 'E01-2.log', expect: ['cping-desync-leftover-packets'], not: ['backend-sends-after-end-response'] },
  { file: 'E03.log', expect: ['backend-idle-close-race'], note: 'source: idle close or a timeout; 120006 is no timeout' },
  { file: 'E05.log', expect: ['backend-thread-exhaustion'], not: ['slow-backend-reply-timeout'] },
  { file: 'E06.log', expect: ['backend-thread-exhaustion', 'lb-all-members-failed'] },
  { file: 'E08.log', expect: ['backend-down-or-wrong-port'], not: ['backend-restart'] },
  { file: 'E09.log', expect: ['backend-idle-close-race'], note: '(ours)' },
  { file: 'E11.log', expect: ['backend-down-or-wrong-port'] },
  { file: 'E12.log', expect: ['ajp-worker-points-to-non-ajp-port'], not: ['backend-down-or-wrong-port', 'backend-thread-exhaustion'], note: '(ours)' },
  // liferay-docker#37: the reference read no diagnosis in the thread; its reporter's later comment
  // (2020-01-27) found nothing listening on 8009 inside the container (the image's Tomcat has no AJP
  // connector; the Dockerfile only EXPOSEs the port), docker-proxy resetting the host's connections
  { file: 'E14.log', expect: ['backend-down-or-wrong-port'], not: ['backend-idle-close-race', 'firewall-idle-drop'], note: "the thread's later comment: nothing listens in the container" },
  { file: 'E15.log', expect: ['slow-backend-reply-timeout'], not: ['backend-thread-exhaustion'] },
  { file: 'E18.log', expect: ['lb-all-members-failed', 'jk-config-unknown-worker'] },
  { file: 'E19.log', expect: ['jk-config-unknown-worker'] },
  { file: 'E21.log', expect: ['backend-thread-exhaustion'] },
  { file: 'E22.log', expect: ['tomcat-ajp-hardening-defaults'] },
  { file: 'E24.log', expect: ['tomcat-ajp-hardening-defaults'] },
  { file: 'E25-1.log', expect: ['backend-down-or-wrong-port'], not: ['backend-restart'], note: '(ours)' },
  { file: 'E25-2.log', expect: ['jk-config-unknown-worker'] },
];

describe('real-log-excerpts', () => {
  for (const c of CASES) {
    it(`${c.file}: ${c.expect.join(' + ') || 'no error finding'}${c.note ? ` ${c.note}` : ''}`, () => {
      const r = run(fx(`excerpts/${c.file}`));
      for (const id of c.expect) expect(r.ids, r.ids.join(', ')).toContain(id);
      for (const id of c.not ?? []) expect(r.ids).not.toContain(id);
      if (!c.expect.length) expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    });
  }
  it('the seed case (ISAPI 1.2.28 article pasted whole) is a CPing desync plus a client abort', () => {
    const r = run(fx('seed-000-isapi-1.2.28.txt'));
    const desync = r.get('cping-desync-leftover-packets')!;
    expect(desync.severity).toBe('error');
    expect(desync.explanation).toMatch(/GET_BODY_CHUNK/);
    expect(desync.explanation).toMatch(/306 bytes/);
    expect(desync.explanation).toMatch(/1\.2\.27–1\.2\.28/);
    expect(desync.remedy).toMatch(/1\.2\.31/);
    expect(desync.evidence.map((e) => (e.source === 'log' ? e.line : 0))).toEqual([14, 16, 17, 22]);
    expect(r.ids).toContain('client-abort-upload');
    expect(r.ids.filter((id) => !['cping-desync-leftover-packets', 'client-abort-upload'].includes(id))).toEqual([]);
  });
});
