/**
 * Usage errors as a user meets them: one line on stderr with where to look, "did you mean" for a
 * mistyped command or option, a hint when a file of the wrong kind is given, exit 2; --help and
 * --version.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cli, root, runCli, useTempDirs } from '../helpers/cli.js';

const tempDir = useTempDirs('ajpi-usage-');

const BASE = 'samples/baseline/capture.pcap';
const LOG = 'samples/backend-down/mod_jk.log';

function usageError(args: string[]): string {
  const r = runCli(args);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  const lines = r.err.trimEnd().split('\n');
  expect(lines).toHaveLength(1); // it was 36-61 lines of help with the error last
  return lines[0] ?? '';
}

describe('usage errors: one line, a --help hint, exit 2', () => {
  it('a mistyped command: did you mean (it was "Unknown argument: <the capture>")', () => {
    const line = usageError(['frmes', BASE]);
    expect(line).toBe("ajp-inspect: unknown command or file 'frmes'; did you mean 'frames'? See 'ajp-inspect --help'.");
    expect(usageError(['timline', BASE])).toMatch(/did you mean 'timeline'\?/);
    expect(usageError(['diagnoze', LOG])).toMatch(/did you mean 'diagnose'\?/);
    expect(usageError(['help'])).toMatch(/unknown command or file 'help'; did you mean --help\?/);
    expect(usageError(['-qo', 'r.txt', 'frmes', BASE])).toMatch(/did you mean 'frames'\?/);
  });

  it('options before the command or the capture, grouped short flags, are not taken for a command', () => {
    const out = join(tempDir(), 'r.txt');
    const r = runCli(['-qo', out, '--ajp-port', '18009', 'frames', BASE]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/FORWARD_REQUEST/);
  });

  it('a mistyped option: did you mean, with the command\'s help', () => {
    expect(usageError(['frames', BASE, '--ajp-prot', '18009'])).toBe(
      "ajp-inspect: unknown option --ajp-prot; did you mean --ajp-port? See 'ajp-inspect frames --help'.",
    );
    expect(usageError([BASE, '--packet-sise', '8192'])).toMatch(/unknown option --packet-sise; did you mean --packet-size\?/);
    expect(usageError(['diagnose', LOG, '--rules', 'x'])).toMatch(/unknown option --rules; did you mean --rule\?/);
  });

  it('a long option with one dash, a value typed as an option', () => {
    expect(usageError([BASE, '-ajp-port', '18009'])).toMatch(/unknown option -ajp-port; did you mean --ajp-port\?/);
    expect(usageError([BASE, '--json'])).toMatch(/unknown option --json; did you mean --format json\?/);
    expect(usageError(['frames', BASE, '--no-colour'])).toMatch(/unknown option --no-colour; did you mean --no-color\?/);
  });

  it('an option of another command says where it belongs', () => {
    expect(usageError(['mcmp', BASE, '--conn', '3'])).toMatch(/unknown option --conn for mcmp \(it is an option of frames, timeline\)/);
  });

  it('a bad value, a missing value, no argument at all', () => {
    expect(usageError([BASE, '--format', 'xml'])).toMatch(/^ajp-inspect: -T\/--format: 'xml' is not one of text, json, markdown, html\. See 'ajp-inspect --help'\.$/);
    expect(usageError([BASE, '--ajp-port'])).toMatch(/--ajp-port needs a value/);
    expect(usageError(['frames'])).toMatch(/frames: give a capture file \(or - for stdin\)/);
    expect(usageError([])).toMatch(/give a capture file \(or - for stdin\), or a command/);
  });

  it('frames, timeline and mcmp take the files of a rotation as the default command does: the same lines as the whole capture, and a footer command that names them all with the options given', () => {
    // the sample cut into three pcap files of 300 records (what tcpdump -C / editcap -c writes)
    const whole = readFileSync(join(root, 'samples/client-abort/capture.pcap'));
    const dir = tempDir();
    const parts: string[] = [];
    let at = 24;
    while (at < whole.length) {
      const chunks = [whole.subarray(0, 24)];
      for (let n = 0; n < 300 && at < whole.length; n++) {
        const len = whole.readUInt32LE(at + 8);
        chunks.push(whole.subarray(at, at + 16 + len));
        at += 16 + len;
      }
      const f = join(dir, `rot_${parts.length}.pcap`);
      writeFileSync(f, Buffer.concat(chunks));
      parts.push(f);
    }
    expect(parts.length).toBe(3);
    for (const cmd of ['frames', 'timeline', 'mcmp']) {
      const one = runCli([cmd, 'samples/client-abort/capture.pcap', '--ajp-port', '18009']);
      const rot = runCli([cmd, ...parts, '--ajp-port', '18009']);
      expect(rot.code, `${cmd}: ${rot.err}`).toBe(one.code);
      const body = (t: string) => t.split('\n').filter((l) => !l.startsWith('Root causes:')).join('\n');
      expect(body(rot.out), cmd).toBe(body(one.out));
      expect(rot.out, cmd).toContain(`(details: ajp-inspect ${parts.join(' ')} --ajp-port 18009)`);
    }
  });

  it('frames --conn: a value that is no tcp.stream number, or no AJP connection of the capture, is one line and exit 2 (as timeline)', () => {
    for (const cmd of ['frames', 'timeline']) {
      expect(usageError([cmd, BASE, '--ajp-port', '18009', '--conn', 'abc'])).toMatch(/--conn must be a tcp\.stream number, not abc/);
      const r = runCli([cmd, BASE, '--ajp-port', '18009', '--conn', '999']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^ajp-inspect: no AJP connection with tcp\.stream 999 \(AJP streams: \d+/);
    }
  });
});

describe('a file of the wrong kind gets a hint', () => {
  it('a log given as a capture: use diagnose', () => {
    const line = usageError([LOG]);
    expect(line).toContain('not a capture');
    expect(line).toContain(`looks like a log: use \`ajp-inspect diagnose ${LOG}\``);
    expect(usageError(['frames', LOG])).toContain('looks like a log');
    const piped = runCli(['-'], { input: readFileSync(join(root, LOG)) });
    expect(piped.code).toBe(2);
    expect(piped.err.trimEnd().split('\n')).toHaveLength(1);
    expect(piped.err).toMatch(/^ajp-inspect: stdin: not a capture: looks like text: .*; a log\? use `ajp-inspect diagnose -`$/m);
  });

  it('a paste of bare messages (no log layout) given as a capture: use diagnose too', () => {
    const dir = tempDir();
    const f = join(dir, 'paste.txt');
    writeFileSync(f, "`(104)Connection reset by peer: ajp_ilink_receive() can't receive header`\n");
    expect(usageError([f])).toContain(`looks like a log: use \`ajp-inspect diagnose ${f}\``);
  });

  it('a capture given to diagnose: use the default command (or --capture)', () => {
    const line = usageError(['diagnose', BASE]);
    expect(line).toBe(`ajp-inspect: ${BASE}: this is a pcap capture: use \`ajp-inspect ${BASE}\` (or diagnose --capture ${BASE})`);
  });

  it('a gzipped capture given to diagnose, a capture given to --log', () => {
    const dir = tempDir();
    const gz = join(dir, 'c.pcapng.gz');
    copyFileSync(join(root, 'test/fixtures/captures/lo-ether.pcapng.gz'), gz);
    expect(usageError(['diagnose', gz])).toContain('this is a pcapng capture');
    expect(usageError([BASE, '--log', BASE])).toMatch(/--log .*: this is a pcap capture, not a log/);
  });
});

describe('the file-kind check never reads from a pipe', () => {
  it('a capture through a FIFO is read whole (the check does not take its first bytes)', () => {
    const dir = tempDir();
    const fifo = join(dir, 'capture.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = spawnSync('sh', ['-c', `cat '${BASE}' > '${fifo}' & exec '${process.execPath}' '${cli}' '${fifo}' --ajp-port 18009 -T json`], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const whole = JSON.parse(runCli([BASE, '--ajp-port', '18009', '-T', 'json']).out) as { capture: { packets: number } };
    expect((JSON.parse(r.stdout) as { capture: { packets: number } }).capture.packets).toBe(whole.capture.packets);
  });
});

describe('--help and --version', () => {
  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(pkg.version);
  });

  it('--help lists the commands and the exit codes; a command\'s help lists the shared options', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Exit codes:/);
    expect(r.out).toMatch(/frames <capture>/);
    const f = runCli(['frames', '--help']);
    expect(f.code).toBe(0);
    for (const o of ['--output', '--color', '--fail-on', '--ajp-port', '--mcmp-port', '--idle', '--time-format', '--quiet', '--log']) expect(f.out).toContain(o);
  });
});

describe("each command's --help offers the -T values it takes", () => {
  it('text | json on frames, timeline, mcmp, rules, stats and config (each refuses markdown); all four on the report commands', () => {
    const formatLine = (args: string[]) => {
      const r = runCli([...args, '--help']);
      expect(r.code).toBe(0);
      const at = r.out.indexOf('-T, --format');
      expect(at).toBeGreaterThanOrEqual(0);
      return r.out.slice(at, r.out.indexOf('\n  -', at + 1));
    };
    for (const cmd of ['frames', 'timeline', 'mcmp', 'rules', 'stats', 'config']) {
      const line = formatLine([cmd]);
      expect(line, cmd).toMatch(/output format: text \| json\b/);
      expect(line, cmd).not.toMatch(/markdown|html/);
    }
    for (const args of [[], ['diagnose']]) expect(formatLine(args), args.join(' ')).toMatch(/text \| json \| markdown \| html/);
    expect(usageError(['config', 'samples/client-abort/workers.properties', '-T', 'markdown'])).toMatch(/config writes text or json.*See 'ajp-inspect config --help'/);
  });
});
