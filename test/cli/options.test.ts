/**
 * One set of options, declared once (src/cli/options.ts), accepted by every capture command and by
 * diagnose where it makes sense; lists repeatable and comma-separated; single values given once.
 * Run as a user runs the tool: node dist/cli.js (built by test/global-setup.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportCommand } from '../../src/cli/analysis.js';
import { describe, expect, it } from 'vitest';
import { root, runCli, useTempDirs } from '../helpers/cli.js';
import { readCommonOptions, CAPTURE_OPTIONS, DIAGNOSE_OPTIONS, OPTION_SPECS } from '../../src/cli/options.js';
import { UsageError } from '../../src/cli/exit-codes.js';

const tempDir = useTempDirs('ajpi-opts-');

const BASE = 'samples/baseline/capture.pcap';
const MCMP = 'samples/mcmp/capture.pcap';
const LOG = 'samples/baseline/mod_jk.log';

/** The one line a usage error prints. */
function oneLine(err: string): string {
  const lines = err.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
}

describe('every capture command takes the shared options', () => {
  // Each of these was "Unknown argument" on at least one command (issue 10).
  const shared = ['--color', 'never', '--fail-on', 'error', '--ajp-port', '18009', '--mcmp-port', '6666', '--packet-size', '8192', '--idle', '5', '--show-secrets', '--log-tz', 'UTC', '-t', 'a', '-q'];
  for (const cmd of [[], ['inspect'], ['frames'], ['timeline'], ['mcmp']]) {
    it(`${cmd[0] ?? '(default)'}: -o, --color, --fail-on, ports, --packet-size, --idle, --show-secrets, --log, -t, -q`, () => {
      const out = join(tempDir(), 'out.txt');
      const r = runCli([...cmd, BASE, '-o', out, ...shared, '--log', LOG]);
      expect(r.err).not.toMatch(/Unknown argument|unknown option/i);
      expect(r.code === 0 || r.code === 1).toBe(true);
      expect(r.out).toBe('');
      expect(readFileSync(out, 'utf8').length).toBeGreaterThan(0);
    });
  }

  it('diagnose takes --capture with the capture options (--packet-size, --show-secrets, --mcmp-port)', () => {
    const r = runCli(['diagnose', LOG, '--capture', BASE, '--ajp-port', '18009', '--packet-size', '8192', '--show-secrets', '--mcmp-port', '6666', '--idle', '5', '-q', '--log-tz', 'UTC']);
    expect(r.err).not.toMatch(/Unknown argument|unknown option/i);
    expect(r.code === 0 || r.code === 1).toBe(true);
  });
});

describe('ports: repeatable and comma lists, bad values in one line', () => {
  it('--ajp-port 8009,18009 and --ajp-port 8009 --ajp-port 18009 are the same (it was "not NaN")', () => {
    const comma = runCli(['frames', BASE, '--ajp-port', '8009,18009']);
    const repeated = runCli(['frames', BASE, '--ajp-port', '8009', '--ajp-port', '18009']);
    expect(comma.err).toBe('');
    expect(comma.code).toBe(0);
    expect(comma.out).toMatch(/FORWARD_REQUEST/);
    expect(repeated.out).toBe(comma.out);
    expect(repeated.code).toBe(comma.code);
  });

  it('--mcmp-port takes both forms on the default command too', () => {
    const comma = runCli([MCMP, '--mcmp-port', '6666,16666', '-T', 'json']);
    const repeated = runCli([MCMP, '--mcmp-port', '6666', '--mcmp-port', '16666', '-T', 'json']);
    expect(comma.code).not.toBe(2);
    expect(JSON.parse(repeated.out).capture.mcmp).toEqual(JSON.parse(comma.out).capture.mcmp);
  });

  it('--SHOW-SECRETS, --AJP-PORT (which yargs accepts) are not silently dropped', () => {
    const SECRET = 'samples/secret-mismatch/capture.pcap';
    const upper = runCli(['frames', SECRET, '--ajp-port', '18009', '-V', '--SHOW-SECRETS']);
    expect(upper.code).not.toBe(2);
    expect(upper.out).toContain('secret [0x0C]: "not-the-tomcat-secret"');
    expect(readCommonOptions({ 'AJP-PORT': '9999', ajpPort: '9999' }, CAPTURE_OPTIONS).ajpPorts).toEqual([9999]);
  });

  it('a bad port is one line naming the option and the value, exit 2', () => {
    for (const cmd of [[], ['frames'], ['timeline'], ['mcmp']]) {
      const r = runCli([...cmd, BASE, '--ajp-port', '8009,80x9']);
      expect(r.code).toBe(2);
      expect(oneLine(r.err)).toMatch(/^ajp-inspect: --ajp-port: "80x9" is not a TCP port \(1-65535\)/);
    }
    const m = runCli(['mcmp', MCMP, '--mcmp-port', '70000']);
    expect(m.code).toBe(2);
    expect(oneLine(m.err)).toMatch(/--mcmp-port: "70000" is not a TCP port/);
  });

  it('a number option given a word says so (not NaN)', () => {
    const r = runCli([BASE, '--packet-size', 'big']);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toMatch(/--packet-size: "big" is not a packet size/);
  });
});

describe('single-value options given twice are an error, not a comma-joined value', () => {
  it('-o a -o b: one line, exit 2, neither file written', () => {
    const dir = tempDir();
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    const r = runCli([BASE, '-o', a, '-o', b]);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toMatch(/-o\/--output given 2 times .*give it once/);
    expect(existsSync(a) || existsSync(b) || existsSync(`${a},${b}`)).toBe(false);
  });

  it('--log-tz twice on diagnose, -T twice on frames', () => {
    const tz = runCli(['diagnose', LOG, '--log-tz', 'UTC', '--log-tz', 'Europe/Berlin']);
    expect(tz.code).toBe(2);
    expect(oneLine(tz.err)).toMatch(/--log-tz given 2 times/);
    const t = runCli(['frames', BASE, '-T', 'json', '--format', 'text']);
    expect(t.code).toBe(2);
    expect(oneLine(t.err)).toMatch(/-T\/--format given 2 times/);
  });

  it('--capture twice is two captures, never the one file "a,b"', () => {
    const r = runCli(['diagnose', LOG, '--capture', BASE, '--capture', 'samples/client-abort/capture.pcap', '--ajp-port', '18009']);
    expect(r.err).not.toContain(`${BASE},samples/client-abort/capture.pcap`);
    expect(r.err.trimEnd().split('\n').length).toBeLessThanOrEqual(1);
  });

  it('--log stays a list', () => {
    const r = runCli([BASE, '--ajp-port', '18009', '--log', LOG, '--log', 'samples/baseline/error_log', '-T', 'json']);
    expect(r.code).not.toBe(2);
    const paths = (JSON.parse(r.out) as { inputs: { path: string; kind: string }[] }).inputs.filter((i) => i.kind === 'log').map((i) => i.path);
    expect(paths.sort()).toEqual([LOG, 'samples/baseline/error_log'].sort());
  });
});

describe('readCommonOptions (the one reader of argv)', () => {
  it('applies defaults, splits comma lists, records what was given', () => {
    const o = readCommonOptions({ 'ajp-port': ['8009,18009', '28009'], format: 'json', q: true, quiet: true }, CAPTURE_OPTIONS);
    expect(o.ajpPorts).toEqual([8009, 18009, 28009]);
    expect(o.format).toBe('json');
    expect(o.quiet).toBe(true);
    expect(o.packetSize).toBe(8192);
    expect(o.idle).toBe(30);
    expect(o.timeFormat).toBe('r');
    expect(o.output).toBeUndefined();
    expect([...o.given].sort()).toEqual(['ajpPorts', 'format', 'quiet']);
  });

  it('-o - is stdout; -t takes only r, a, ad, u, ud, e (tshark\'s); --log-tz is checked before anything is read', () => {
    expect(readCommonOptions({ output: '-' }, CAPTURE_OPTIONS).output).toBeUndefined();
    expect(readCommonOptions({ 'time-format': 'ad' }, CAPTURE_OPTIONS).timeFormat).toBe('ad');
    expect(() => readCommonOptions({ 'time-format': 'x' }, CAPTURE_OPTIONS)).toThrow(UsageError);
    expect(() => readCommonOptions({ 'log-tz': 'Mars/Olympus' }, DIAGNOSE_OPTIONS)).toThrow(/--log-tz: "Mars\/Olympus" is not a time zone/);
    expect(() => readCommonOptions({ format: 'jsn' }, CAPTURE_OPTIONS)).toThrow("-T/--format: 'jsn' is not one of text, json, markdown, html; did you mean 'json'?");
  });

  it('reads an option under its alias too (an argv built by hand)', () => {
    const o = readCommonOptions({ t: 'ud', o: 'r.json', T: 'json' }, CAPTURE_OPTIONS);
    expect([o.timeFormat, o.output, o.format]).toEqual(['ud', 'r.json', 'json']);
  });

  it('--no-color is --color never', () => {
    expect(readCommonOptions({ color: false }, CAPTURE_OPTIONS).color).toBe('never');
    expect(runCli([BASE, '--no-color', '--color', 'never']).code).toBe(2); // still one value
  });

  it('ignores options the command did not declare', () => {
    // diagnose's first positional is called `log`: it is not the --log option of the capture commands.
    expect(readCommonOptions({ log: 'x.log' }, DIAGNOSE_OPTIONS).logs).toEqual([]);
  });
});

describe('README', () => {
  it('documents every shared option in its Options table', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Options'), readme.indexOf('## Exit codes'));
    for (const s of Object.values(OPTION_SPECS)) {
      expect(table).toContain(`\`--${s.name}`);
      if (s.alias !== undefined) expect(table).toContain(`\`-${s.alias}\`, \`--${s.name}`);
    }
  });
});

describe("the footer's command line (reportCommand)", () => {
  it("keeps the inputs and the analysis options as given, drops the command's name, its own options and the output ones, quotes for a POSIX shell", () => {
    expect(reportCommand('frames', ['frames', "it's here.pcap", 'b.pcap', '--conn', '4', '-V', '--ajp-port=18009', '-o', 'out.txt', '-T', 'json', '--log', 'mod_jk.log'])).toBe(
      "ajp-inspect 'it'\\''s here.pcap' b.pcap --ajp-port=18009 --log mod_jk.log",
    );
    expect(reportCommand('timeline', ['--ajp-port', '8010', 'timeline', 'x.pcap', '--max-events=10', '--conn=3'])).toBe('ajp-inspect --ajp-port 8010 x.pcap');
  });
});
