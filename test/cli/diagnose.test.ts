/**
 * `ajp-inspect diagnose` and `ajp-inspect rules` as a user runs them (node dist/cli.js, built by
 * test/global-setup.ts), on real excerpts and samples.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runCli, useTempDirs } from '../helpers/cli.js';
import { rules } from '../../src/rules/index.js';

const tempDir = useTempDirs('ajpi-diag-');

const SEED = 'test/fixtures/rules/seed-000-isapi-1.2.28.txt';
const E08 = 'test/fixtures/rules/excerpts/E08.log';

function run(args: string[], input?: string) {
  return runCli(args, { input });
}

describe('ajp-inspect diagnose', () => {
  it('prints the findings table, evidence lines with file:line, remedy, and what was read; exit 1', () => {
    const r = run(['diagnose', E08, '--log-tz', 'UTC']);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/│ 1\s+│ error\s+│ likely\s+│ backend-down-or-wrong-port/);
    expect(r.out).toContain(`${E08}:3 [Fri Jan 11 14:14:28 2008] [12548:38576] [info]  jk_open_socket::jk_connect.c (451): connect to 127.0.0.1:8009 failed (errno=111)`);
    expect(r.out).toMatch(/Remedy:\n\s+- Check on the backend host/);
    expect(r.out).toMatch(/E08\.log: 12 lines \(modjk 12, 2008-01-11T14:14:12\.000Z \.\. 2008-01-11T14:14:28\.000Z\), 0 unrecognised/);
    expect(r.out).toMatch(/Not evaluated:\n.*needs a Tomcat log/);
  });
  it('--log-tz shifts the stamps to UTC', () => {
    const r = run(['diagnose', E08, '--log-tz', '+02:00', '-T', 'json']);
    const rep = JSON.parse(r.out);
    expect(rep.logs.files[0].firstTs).toBe('2008-01-11T12:14:12.000Z');
  });
  it('writes the JSON report (schema, inputs with the detected format, findings, logs summary)', () => {
    const dir = tempDir();
    const out = join(dir, 'r.json');
    const r = run(['diagnose', SEED, 'samples/baseline/error_log', '--log-tz', 'UTC', '--format', 'json', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const rep = JSON.parse(readFileSync(out, 'utf8'));
    expect(rep.schema).toBe('ajp-inspect/report');
    expect(rep.schemaVersion).toBe(1);
    expect(rep.tool.name).toBe('ajp-inspect');
    expect(rep.inputs).toEqual([
      { path: SEED, kind: 'log', format: 'modjk' },
      { path: 'samples/baseline/error_log', kind: 'log', format: 'httpd' },
    ]);
    expect(rep.findings.map((f: { id: string }) => f.id)).toEqual(['cping-desync-leftover-packets', 'client-abort-upload']);
    expect(rep.findings[0].evidence[0]).toEqual({ source: 'log', path: SEED, line: 14, text: '[warn] jk_ajp_common.c (883): awaited reply cpong, received 6 instead' });
    expect(rep.findings[0].remedy).toMatch(/1\.2\.31/);
    expect(rep.logs.files[0]).toMatchObject({ path: SEED, lines: 35, unrecognised: 17 });
    expect(rep.logs.files[1]).toMatchObject({ lines: 70, byDialect: { httpd: 70 } });
  });
  it('reads a paste from stdin (mail quotes, CRLF) and redacts session ids in evidence', () => {
    const paste = [
      '> [Tue Jul 27 11:15:51 2010] [4804:1680] [error] jk_ajp_common.c (969): wrong message format 0x4854 from 127.0.0.1:8090',
      '> [Tue Jul 27 11:15:51 2010] [4804:1680] [error] jk_ajp_common.c (1536): (jetty) Tomcat is down or refused connection. No response has been sent to the client (yet)',
      '',
    ].join('\r\n');
    const r = run(['diagnose', '-', '--log-tz', 'UTC'], paste);
    expect(r.code).toBe(1);
    expect(r.out).toContain('ajp-worker-points-to-non-ajp-port');
    expect(r.out).toContain('stdin:1 [Tue Jul 27 11:15:51 2010]');
    const secret = run(['diagnose', '-', '-T', 'json'], '[Sat Nov 21 09:20:01.317 2026] [4242:1] [error] ajp_marshal_into_msgb::jk_ajp_common.c (472): (node1) failed appending the header value for header \'Cookie\' of length 6 JSESSIONID=ABCDEF0123\n');
    expect(secret.out).toContain('request-exceeds-packet-size');
    expect(secret.out).not.toContain('ABCDEF0123');
  });
  it('exit codes: 0 without findings at --fail-on, 1 with, 2 when it cannot read', () => {
    expect(run(['diagnose', 'samples/baseline/mod_jk-info.log']).code).toBe(0);
    // client aborts are info: not a failure by default, a failure with --fail-on info
    expect(run(['diagnose', 'samples/client-abort/mod_jk-info.log']).code).toBe(0);
    expect(run(['diagnose', 'samples/client-abort/mod_jk-info.log', '--fail-on', 'info']).code).toBe(1);
    expect(run(['diagnose', 'test/fixtures/rules/constructed/socket-timeout-too-low.log', '--fail-on', 'error']).code).toBe(0);
    const missing = run(['diagnose', 'no/such.log']);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('ajp-inspect: no/such.log: no such file\n');
    const dir = tempDir();
    // Text that names nothing known is never refused: a plain "nothing matched" and what would help, exit 0.
    writeFileSync(join(dir, 'x.txt'), 'hello\nworld\n');
    const none = run(['diagnose', join(dir, 'x.txt')]);
    expect(none.code).toBe(0);
    expect(none.out).toMatch(/^Verdict: no root cause found: nothing in these lines names a message ajp-inspect knows/);
    expect(none.out).toMatch(/\nNo root cause found: none of the 2 lines names a message/);
    expect(none.out).toMatch(/What would help: .*JkLogLevel debug/);
    // Exit 2 only for empty or binary input, saying which.
    writeFileSync(join(dir, 'empty.txt'), '\n\n');
    const empty = run(['diagnose', join(dir, 'empty.txt')]);
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/empty\.txt: empty, nothing to diagnose/);
    const pcap = run(['diagnose', 'samples/baseline/capture.pcap']);
    expect(pcap.code).toBe(2);
    expect(pcap.err).toMatch(/^ajp-inspect: samples\/baseline\/capture\.pcap: this is a pcap capture: use `ajp-inspect samples\/baseline\/capture\.pcap`/);
    // the same from stdin, where no file kind can be checked first: the log reader says it is not text
    const piped = runCli(['diagnose', '-'], { input: readFileSync(join(root, 'samples/baseline/capture.pcap')) });
    expect(piped.code).toBe(2);
    expect(piped.err).toMatch(/not text \(looks like a pcap capture\)|this is a pcap capture/);
    writeFileSync(join(dir, 'bin.dat'), Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 9, 9]));
    expect(run(['diagnose', join(dir, 'bin.dat')]).err).toMatch(/bin\.dat: not text \(looks like binary data\)/);
    expect(run(['diagnose', E08, '--rule', 'no-such-rule']).code).toBe(2);
  });
  it('--capture adds capture evidence: the finding is confirmed, with a Wireshark filter', () => {
    const r = run(['diagnose', 'samples/ghostcat-probe/catalina.out', '--capture', 'samples/ghostcat-probe/capture.pcap', '--ajp-port', '18009', '--log-tz', 'UTC']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/│ error\s+│ confirmed\s+│ ghostcat-probe/);
    expect(r.out).toMatch(/capture stream \d+, frame\.number in \{\d+/);
    const json = JSON.parse(run(['diagnose', 'samples/ghostcat-probe/catalina.out', '--capture', 'samples/ghostcat-probe/capture.pcap', '--ajp-port', '18009', '-T', 'json']).out);
    expect(json.inputs[1]).toEqual({ path: 'samples/ghostcat-probe/capture.pcap', kind: 'capture', format: 'pcap' });
    expect(run(['diagnose', E08, '--capture', 'no/such.pcap']).code).toBe(2);
  });
  it('--rule runs only the named rules', () => {
    const r = run(['diagnose', 'test/fixtures/rules/excerpts/E18.log', '--rule', 'jk-config-unknown-worker', '-T', 'json']);
    expect(JSON.parse(r.out).findings.map((f: { id: string }) => f.id)).toEqual(['jk-config-unknown-worker']);
  });
});

describe('the verdict first', () => {
  it('diagnose: the first line names the cause; the lb with no usable member is its consequence (reply-timeout sample)', () => {
    const r = run(['diagnose', 'samples/reply-timeout/mod_jk-info.log', '--log-tz', 'UTC']);
    const first = r.out.split('\n')[0];
    expect(first).toMatch(/^Verdict: warning, likely: slow-backend-reply-timeout — /);
    expect(first).toMatch(/; explains lb-all-members-failed\.$/);
    const json = JSON.parse(run(['diagnose', 'samples/reply-timeout/mod_jk-info.log', '--log-tz', 'UTC', '-T', 'json']).out);
    expect(json.findings.map((f: { id: string; severity: string; causedBy?: string }) => [f.id, f.severity, f.causedBy])).toEqual([
      ['slow-backend-reply-timeout', 'warning', undefined],
      ['lb-all-members-failed', 'info', 'slow-backend-reply-timeout'],
    ]);
  });
  it('the default command: the verdict before the capture summary', () => {
    const r = run(['samples/secret-mismatch/capture.pcap', '--ajp-port', '18009']);
    expect(r.out.split('\n')[0]).toMatch(/^Verdict: error, confirmed: ajp-secret-mismatch — /);
  });
});

describe('ajp-inspect rules', () => {
  it('lists every rule with id, severity, title and what it needs', () => {
    const r = run(['rules']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/cping-desync-leftover-packets\s+│ error/);
    expect(r.out).toMatch(/ghostcat-probe .*Tomcat log/);
    expect(r.out).toMatch(new RegExp(`${rules.length} rules\\.`));
    expect(rules.length).toBeGreaterThanOrEqual(30);
  });
  it('--format json', () => {
    const list = JSON.parse(run(['rules', '-T', 'json']).out) as { id: string; needs: string[]; remedy: string[] }[];
    expect(list).toHaveLength(rules.length);
    const ids = ['root-cause-ids.txt', 'corpus-cause-ids.txt', 'mcmp-root-cause-ids.txt', 'catalogue-cause-ids.txt', 'config-rule-ids.txt', 'statistics-cause-ids.txt', 'published-cause-ids.txt'].flatMap((f) => readFileSync(join(root, 'test/fixtures/rules', f), 'utf8').split('\n').filter(Boolean));
    for (const x of list) {
      expect(ids).toContain(x.id);
      expect(x.needs.length).toBeGreaterThan(0);
      expect(x.remedy.length).toBeGreaterThan(0);
    }
  });
});

describe('diagnose --rule', () => {
  it('takes one id a flag, repeated or a comma list; the file after it stays a file; no value is a usage error', () => {
    const ids = (args: string[]) => {
      const r = runCli(['diagnose', ...args, '-T', 'json']);
      expect(r.err).toBe('');
      return [...new Set((JSON.parse(r.out) as { findings: { id: string }[] }).findings.map((f) => f.id))].sort();
    };
    expect(ids(['--rule', 'client-abort-upload', 'samples/client-abort/mod_jk.log'])).toEqual(['client-abort-upload']);
    expect(ids(['samples/client-abort/mod_jk.log', '--rule', 'client-abort-upload,client-abort-download'])).toEqual(['client-abort-download', 'client-abort-upload']);
    expect(ids(['samples/client-abort/mod_jk.log', '--rule', 'client-abort-upload', '--rule', 'client-abort-download'])).toEqual(['client-abort-download', 'client-abort-upload']);
    const none = runCli(['diagnose', 'samples/client-abort/mod_jk.log', '--rule']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^ajp-inspect: --rule needs a rule id/);
  });
});

describe('diagnose on a .gz cut short', () => {
  it('reads the lines before the cut and says so on stderr (a capture .gz cut short is read the same way)', () => {
    const dir = tempDir();
    const whole = readFileSync(join(root, 'samples/client-abort/mod_jk.log'));
    const cut = join(dir, 'mod_jk.log.gz');
    writeFileSync(cut, gzipSync(whole).subarray(0, 3000));
    const r = runCli(['diagnose', cut, '-T', 'json']);
    expect(r.err).toBe(`ajp-inspect: warning: ${cut}: gzip data cut short: the lines before the cut were read\n`);
    const lines = (JSON.parse(r.out) as { logs: { files: { lines: number }[] } }).logs.files[0]!.lines;
    expect(lines).toBeGreaterThan(10);
    expect(lines).toBeLessThan(whole.toString('utf8').split('\n').length);
  });
});
