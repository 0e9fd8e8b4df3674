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

  it('two captures: one line naming the extra argument', () => {
    expect(usageError(['frames', BASE, 'samples/client-abort/capture.pcap'])).toMatch(/unexpected argument 'samples\/client-abort\/capture\.pcap'/);
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
