/**
 * The offset a log's own stamps state (src/logs/zone.ts), for the stamps of the same server's logs
 * that state none. Real lines: the ssl_request_log and ssl_error_log of
 * test/fixtures/logs/pastes/notes-dspace7-ah00957-refused-secretrequired.txt (one paste, -0400), and
 * the access logs of samples/ (+0000).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { statedOffsets, statedZone } from '../../src/logs/index.js';
import { runCli } from '../helpers/cli.js';

const fixture = (p: string): string => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');
const DSPACE = 'test/fixtures/logs/pastes/notes-dspace7-ah00957-refused-secretrequired.txt';

describe('statedZone', () => {
  it('reads the offset of access / request log stamps, and none from stamps without one', () => {
    expect([...statedOffsets(fixture(DSPACE))]).toEqual([['-04:00', 3]]);
    expect(statedZone([fixture(DSPACE)])).toBe('-04:00');
    expect(statedZone([fixture('samples/baseline/error_log'), fixture('samples/baseline/mod_jk.log')])).toBeUndefined();
  });
  it('no guess when the logs state different offsets (two zones, or a DST change)', () => {
    const winter = '10.0.0.1 - - [01/Mar/2024:10:00:00 +0100] "GET / HTTP/1.1" 200 5';
    const summer = '10.0.0.1 - - [01/Apr/2024:10:00:00 +0200] "GET / HTTP/1.1" 200 5';
    expect(statedZone([winter])).toBe('+01:00');
    expect(statedZone([winter, summer])).toBeUndefined();
  });
});

describe('diagnose without --log-tz: the error_log of a paste read at the offset its access log lines state', () => {
  it('the refusals and the requests line up: nothing served after them, the backend was down (not "came back")', () => {
    for (const args of [['diagnose', DSPACE], ['diagnose', '-']]) {
      const r = runCli(args, { input: args[1] === '-' ? fixture(DSPACE) : undefined, env: { TZ: 'UTC' } });
      expect(r.err).toBe("ajp-inspect: note: log stamps without a zone are read at -04:00, the offset the logs' own stamps state (access log lines); --log-tz says otherwise\n");
      expect(r.out).toMatch(/^Verdict: error, likely: backend-down-or-wrong-port .* 2024-05-13 16:38:06–16:40:46 UTC\./);
    }
  });
  it('--log-tz wins, and says nothing', () => {
    const r = runCli(['diagnose', DSPACE, '--log-tz', 'UTC'], { env: { TZ: 'UTC' } });
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^Verdict: warning, possible: backend-restart/);
  });
});
