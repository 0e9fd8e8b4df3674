/**
 * Redaction by value (issue 15): every secret value of the samples — AJP secrets, session ids,
 * cookies, from captures, logs and configs — is absent from every output of every command in
 * every format, and shown again with --show-secrets (so the grep could fail). Then each form the
 * issue lists, collected from one line, and the CLI's own path (main.ts → output.ts) checked on the
 * built program.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli } from '../helpers/cli.js';
import { captureVariants, logVariants, runVariant } from '../fuzz/harness.js';
import { SecretValues } from '../../src/util/secrets.js';

const samples = join(root, 'samples');
const scenarios = readdirSync(samples, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(samples, d.name, 'README.md')) && d.name !== 'make').map((d) => d.name).sort();
const files = (s: string): string[] => readdirSync(join(samples, s), { withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(samples, s, d.name)).sort();

/** The secret values in the samples, read with patterns of this test (not the tool's). */
function sampleSecrets(): string[] {
  const found = new Set<string>();
  for (const s of scenarios) {
    for (const f of files(s)) {
      const t = readFileSync(f).toString('latin1');
      for (const m of t.matchAll(/JSESSIONID=([0-9A-F]{32}(?:\.node\d)?)/g)) found.add(m[1]!);
      for (const m of t.matchAll(/\bsecret=["']?([\w-]{6,})/gi)) found.add(m[1]!);
      for (const m of t.matchAll(/secret' with value '([^']+)'/g)) found.add(m[1]!);
      for (const m of t.matchAll(/Cookie: big=([A-Za-z0-9+/]{40})/g)) found.add(m[1]!);
    }
  }
  return [...found].sort();
}

const SECRETS = sampleSecrets();
const PORTS = (s: string): Record<string, unknown> => (s === 'mcmp' ? { 'ajp-port': [18009, 18010], 'mcmp-port': [16666] } : { 'ajp-port': [18009] });
const TEXT_FILES = /^(?:mod_jk.*\.log|error_log|catalina\.out|access_log|tomcat_access_log\.txt|workers\.properties|httpd(?:-snippet)?\.conf|server-connector\.xml|client\.log|run\.log)$/;

describe('redaction by value: every output of every sample', () => {
  it('the samples hold secrets to look for (AJP secrets, session ids, a cookie)', () => {
    expect(SECRETS).toContain('s3cr3t-of-tomcat');
    expect(SECRETS).toContain('not-the-tomcat-secret');
    expect(SECRETS.filter((s) => /^[0-9A-F]{32}/.test(s)).length).toBeGreaterThanOrEqual(3);
    expect(SECRETS.some((s) => s.startsWith('j+8ckRSw'))).toBe(true);
  });

  for (const s of scenarios) {
    it(`${s}: no secret value in any command's output, text or JSON`, async () => {
      const leaks: string[] = [];
      let outputs = 0;
      for (const f of files(s)) {
        const name = f.split('/').pop()!;
        const variants = /^capture[^.]*\.(pcap|pcapng)$/.test(name) ? captureVariants(f, PORTS(s)) : TEXT_FILES.test(name) ? logVariants(f) : [];
        for (const v of variants) {
          const o = await runVariant(v, '', SECRETS);
          expect(o.escape).toBeUndefined();
          outputs++;
          if (o.leak !== undefined) leaks.push(`${name} ${o.variant}: ${o.leak}`);
        }
      }
      expect(outputs).toBeGreaterThan(0);
      expect(leaks).toEqual([]);
    });
  }

  it('--show-secrets shows them (the grep above can fail)', async () => {
    const capture = join(samples, 'secret-mismatch', 'capture.pcap');
    const shown = await runVariant({ command: 'frames', args: { capture, 'ajp-port': [18009], verbose: true, 'show-secrets': true }, output: 'text' }, '', SECRETS);
    expect(shown.leak).toMatch(/s3cr3t-of-tomcat|not-the-tomcat-secret/);
    const log = join(samples, 'secret-mismatch', 'mod_jk.log');
    const diag = await runVariant({ command: 'diagnose', args: { log, 'log-tz': 'UTC', format: 'json', 'show-secrets': true }, output: 'json' }, '', ['s3cr3t-of-tomcat', 'not-the-tomcat-secret']);
    expect(diag.escape).toBeUndefined();
  });
});

describe('redaction by value: the forms a value is collected from', () => {
  const cases: [string, string][] = [
    ["jk_map property dump: Adding property 'worker.w1.secret' with value 'X'", "[debug] jk_map_read_property::jk_map.c (500): Adding property 'worker.w1.secret' with value 'Xq7-value-1' to map."],
    ["jk_map dump: 'worker.w1.secret' -> 'X'", "[debug] jk_map_dump::jk_map.c (573): 'worker.w1.secret' -> 'Xq7-value-1'"],
    ['secret: X', '[debug] (w1) secret: Xq7-value-1'],
    ['worker.x.secret=X', 'worker.w1.secret=Xq7-value-1'],
    ['requiredSecret="X"', '<Connector protocol="AJP/1.3" requiredSecret="Xq7-value-1" />'],
    ['ProxyPass … secret=X', 'ProxyPass /app ajp://127.0.0.1:8009/app secret=Xq7-value-1'],
    ['password="X"', '<Connector keystorePass="a" password="Xq7-value-1"/>'],
    ['mod_jk header dump: Header[1] [Cookie] = [sid=X]', '[debug] ajp_marshal_into_msgb::jk_ajp_common.c (605): Header[1] [Cookie] = [sid=Xq7-value-1]'],
    ['Authorization: Basic "X"', 'Authorization: Basic "Xq7-value-1"'],
    // fuzz log:8963: an invalid byte (read as U+FFFD) between the scheme and the credentials
    ['Authorization: Basic \uFFFD"X"', 'Authorization: Basic \uFFFD"Xq7-value-1"'],
    // fuzz log:14358, log:22245: a bidi control / invalid bytes inside the keyword
    ['Auth\u202eorization: Basic "X"', 'Auth\u202eorization: Basic "Xq7-value-1"'],
    ['Autho\uFFFD\uFFFDrization: Basic "X"', 'Autho\uFFFD\uFFFDrization: Basic "Xq7-value-1"'],
    // fuzz log:12051: a bidi control inside the keyword and a terminal escape before the credentials
    ['Auth\u202eorization: Basic "\x1b[2JX"', 'Auth\u202eorization: Basic "\x1b[2JXq7-value-1"'],
    // fuzz log:3521: jk_map_dump with the key wrapped away and the opening quote lost (`->F&X'`)
    ["et' ->F&X' (key wrapped away, opening quote lost)", "20: **et' ->F&Xq7-value-1'"],
    // the same damage with the key on the line
    ["'worker.w1.secret' ->F&X' (opening quote lost)", "Dump of map: 'worker.w1.secret' ->F&Xq7-value-1'"],
    ["'worker.w1.secret' ->F'X' (a byte of the arrow damaged)", "Dump of map: 'worker.w1.secret' ->F'Xq7-value-1'"],
    // fuzz log:11527: a byte inserted between the key's quote and the arrow
    ["et'C-> 'X' (key wrapped away, a byte before the arrow)", "web_1  | 20: **et'C-> 'Xq7-value-1'"],
    ["'worker.w1.secret'C-> 'X'", "Dump of map: 'worker.w1.secret'C-> 'Xq7-value-1'"],
    // fuzz log:6880 of the eleventh run: the key's closing quote lost
    ["et -> 'X' (key wrapped away, its closing quote lost)", "20: **et -> 'Xq7-value-1'"],
    // eighth fuzz run: a damaged separator or scheme
    ['worker.w1.secretBX (the = replaced)', 'worker.w1.secretBXq7-value-1'],
    ['secret"X" (the = deleted)', '<Connector protocol="AJP/1.3" secretRequired="true" secret"Xq7-value-1" />'],
    ['secret\u2082="X" (a character before the =)', '<Connector protocol="AJP/1.3" secret\u2082="Xq7-value-1" />'],
    // fuzz log:8563, log:1473, log:3259: a damaged header name; jk_map's dump with its key cut off by a wrap
    ["cret' with value 'X' to map. (the key wrapped away)", "web_1  |     cret' with value 'Xq7-value-1' to map."],
    ["cret' withvalue 'X' to map. (spliced)", "cret' withvalue 'Xq7-value-1' to map."],
    ['Authorization: Digest username="u", response="X"', 'Authorization: Digest username="u", response="Xq7-value-1"'],
    [';jsessionid=X in a URI', 'GET /app/page;jsessionid=Xq7-value-1?x=1 HTTP/1.1'],
    ['jsessionid%3DX (URL-encoded) in a query string', 'GET /app/x?next=%2Fa%3Bjsessionid%3DXq7-value-1 HTTP/1.1'],
    ['Set-Cookie: JSESSIONID=X; Path=/', 'unknown-0xA010: JSESSIONID=Xq7-value-1; Path=/app; HttpOnly'],
  ];
  for (const [what, line] of cases) {
    it(what, () => {
      const v = new SecretValues();
      v.noteText(line);
      expect(v.scrub(`x ${line} y Xq7-value-1 z`)).not.toContain('Xq7-value-1');
      expect(v.scrub('Xq7-value-1')).toBe('[redacted]');
    });
  }

  it('Basic credentials behind a damaged header name (fuzz log:8563); a keyed jk_map value that is no secret is kept', () => {
    const v = new SecretValues();
    v.noteText('Autho\x05ization: Basic \uFFFD"WHE3LXZhbHVlLTE6cHc="');
    expect(v.scrub('x WHE3LXZhbHVlLTE6cHc= y')).toBe('x [redacted] y');
    const w = new SecretValues();
    w.noteText("[debug] jk_map_read_property::jk_map.c (500): Adding property 'worker.w1.host' with value 'tomcat-host-1' to map.");
    expect(w.size).toBe(0);
  });

  it('only the credentials of an Authorization value are secrets, not the rest of the line (fuzz log:17725)', () => {
    const v = new SecretValues();
    v.noteText('Authorization: Basic "QWxhZGRpbjpvcGVuIHNlc2FtZQ" # ajp-inspect sample corpus: private httpd config');
    expect(v.scrub('QWxhZGRpbjpvcGVuIHNlc2FtZQ')).toBe('[redacted]');
    expect(v.scrub('"schema": "ajp-inspect/report"')).toBe('"schema": "ajp-inspect/report"');
    const d = new SecretValues();
    d.noteText('Authorization: Digest username="u-name-1", realm="r", nonce="n0nce-value", response="6629fae49393a05397450978507c4ef1"');
    expect(d.scrub('6629fae49393a05397450978507c4ef1 n0nce-value')).toBe('[redacted] [redacted]');
    // fuzz log:9517: a bidi control inside the credentials: they are taken whole, and nothing after them
    const b = new SecretValues();
    b.noteText('Authorization: Basic "QWxhZGRpbjM\u202epvcGVuIHNlc2FtZQ" # ajp-inspect sample corpus');
    expect(b.scrub('"schema": "ajp-inspect/report"')).toBe('"schema": "ajp-inspect/report"');
    expect(b.scrub('QWxhZGRpbjM\u202epvcGVuIHNlc2FtZQ')).toBe('[redacted]');
  });

  it('short words and numbers are not scrubbed everywhere (they are words of the report too)', () => {
    const v = new SecretValues();
    v.noteText('worker.w1.secret=secret');
    v.noteText('worker.w2.secret=18009');
    expect(v.size).toBe(0);
    expect(v.scrub('secret-rejected on 18009')).toBe('secret-rejected on 18009');
  });

  it('a value with a quote is scrubbed from JSON too (its escaped form)', () => {
    const v = new SecretValues();
    v.add('ab"cd\\ef-123');
    expect(v.scrub(JSON.stringify({ x: 'ab"cd\\ef-123' }))).toBe('{"x":"[redacted]"}');
  });
});

describe('the CLI path: main.ts → output.ts', () => {
  const capture = 'samples/secret-mismatch/capture.pcap';
  it.runIf(existsSync(join(root, capture)))('frames -V and timeline -V show no AJP secret, --show-secrets does', () => {
    for (const args of [['frames', capture, '--ajp-port', '18009', '-V'], ['timeline', capture, '--ajp-port', '18009', '-V'], ['diagnose', 'samples/secret-mismatch/mod_jk.log', '--log-tz', 'UTC']]) {
      const r = runCli(args);
      expect(r.out + r.err).not.toMatch(/s3cr3t-of-tomcat|not-the-tomcat-secret/);
    }
    const shown = runCli(['frames', capture, '--ajp-port', '18009', '-V', '--show-secrets']);
    expect(shown.out).toMatch(/s3cr3t-of-tomcat|not-the-tomcat-secret/);
  });
});

describe('a sample cut from a long line (fuzz log:8838)', () => {
  it('the values are scrubbed before the cut, so no prefix of one is kept; with --show-secrets they stay', () => {
    const v = new SecretValues();
    const line = 'worker.w1.secret=Xq7-value-1'.repeat(20);
    v.noteText(line);
    const cut = v.cut(line, 60);
    expect(cut.length).toBeLessThanOrEqual(61);
    expect(cut).not.toContain('Xq7-value-1');
    v.showing = true;
    expect(v.cut(line, 60)).toContain('Xq7-value-1');
  });
});

describe('a value holding a key of the same form (fuzz log:8360: a line repeated into itself)', () => {
  it('the parts between the keys are values too, so a line longer than a value is scrubbed past its first 4,096 characters', () => {
    const v = new SecretValues();
    const line = 'worker.w1.secret=Xq7-value-1'.repeat(400);
    v.noteText(line);
    expect(line.length).toBeGreaterThan(4096 * 2);
    expect(v.scrub(line)).not.toContain('Xq7-value-1');
    // the same with the separator damaged (fuzz log:19161 of the ninth run)
    const d = new SecretValues();
    const dl = 'worker.w1.secretBXq7-value-1'.repeat(40);
    d.noteText(dl);
    expect(d.scrub(dl)).not.toContain('Xq7-value-1');
    // and with the line cut inside its last value (a hard wrap: fuzz log:25337 of the eleventh run)
    const c = new SecretValues();
    const cl = `${'worker.w1.secretBXq7-value-1'.repeat(5)}worker.w1.secretBXq7-`;
    c.noteText(cl);
    expect(c.scrub(cl)).not.toContain('Xq7-value-1');
    // the continuation of such a wrap: the line starts inside a value, no key before the first copy
    // has a word boundary (fuzz log:18697 of the twelfth run)
    const w = new SecretValues();
    const wl = `ue-1${'worker.w1.secretBXq7-value-1'.repeat(5)}`;
    w.noteText(wl);
    expect(w.scrub(wl)).not.toContain('Xq7-value-1');
    // the part after the last key, where the line ends
    expect(v.scrub('Xq7-value-1')).toBe('[redacted]');
  });
});

describe('Basic credentials behind a character glued to the scheme (fuzz log:9153 of the eighth run)', () => {
  it('Auth\u202eorization: Basic] "X": the base64 credentials are collected', () => {
    const v = new SecretValues();
    v.noteText('Auth\u202eorization: Basic] "WHE3LXZhbHVlLTE6cHc="');
    expect(v.scrub('x WHE3LXZhbHVlLTE6cHc= y')).toBe('x [redacted] y');
  });
});

describe('log text is redacted with --show-secrets too (docs/report.md: logs are always redacted)', () => {
  it("an unrecognised line's sample in diagnose's text (it was printed as read, while the evidence and the JSON samples were redacted)", () => {
    const paste = 'GET / HTTP/1.1\nAuthorization: Basic dXNlcjpwYXNzd29yZA==\n[Thu Jun 04 10:20:51 2020] [error] ajp_read_header: ajp_ilink_receive failed\n';
    for (const extra of [[], ['--show-secrets']]) {
      const r = runCli(['diagnose', '-', '--log-tz', 'UTC', ...extra], { input: paste });
      expect(r.out, extra.join(' ')).toMatch(/line 2: Authorization: /);
      expect(r.out, extra.join(' ')).not.toContain('dXNlcjpwYXNzd29yZA==');
    }
  });
});
