/**
 * One analysis for every command (issue 10): every sample capture (capture.pcap, capture-any.pcap,
 * capture.pcapng) through the default command,
 * `frames`, `timeline`, `mcmp` and `diagnose --capture`, with the same options, must give the same
 * root-cause ids and the same exit code. Before issue 10 each command built its own pipeline:
 * `mcmp` exited 1 on MCMP errors while the default command said "none found", client aborts exited
 * 0 or 1 depending on the command, `diagnose --capture` ran without MCMP and with a fixed packet size.
 *
 * Runs the built CLI (dist/, built by test/global-setup.ts) as a user does, a few at a time.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pool, root, runCliAsync as runCli, type CliRunAsync } from '../helpers/cli.js';

type Run = CliRunAsync;

const scenarios = readdirSync(join(root, 'samples'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'samples', d.name, 'capture.pcap')))
  .map((d) => d.name)
  .sort();
/** Every capture of every sample (capture.pcap, and capture-any.pcap / capture.pcapng where present), with its scenario. */
const captures = scenarios.flatMap((s) =>
  readdirSync(join(root, 'samples', s))
    .filter((f) => /^capture.*\.pcap(ng)?$/.test(f))
    .sort()
    .map((f) => ({ scenario: s, capture: `samples/${s}/${f}` })),
);

/** The sample runs' AJP ports (samples/make: Tomcat on 18009; the mcmp sample's node2 on 18010). */
const OPTS = ['--ajp-port', '18009', '--ajp-port', '18010'];

type Command = 'default' | 'frames' | 'timeline' | 'mcmp' | 'capture --log' | 'diagnose --capture';

function argsFor(cmd: Command, capture: string, log: string): string[] {
  switch (cmd) {
    case 'default':
      return [capture, ...OPTS, '-T', 'json'];
    case 'frames':
    case 'timeline':
    case 'mcmp':
      return [cmd, capture, ...OPTS, '-T', 'json'];
    case 'capture --log':
      return [capture, '--log', log, ...OPTS, '-T', 'json'];
    case 'diagnose --capture':
      return ['diagnose', log, '--capture', capture, ...OPTS, '-T', 'json'];
  }
}

/** The finding ids a command's JSON names, sorted (one per finding). */
function findingIds(cmd: Command, out: string): string[] {
  let doc: { findings?: Array<{ id: string }> };
  if (cmd === 'frames') {
    const lines = out.trimEnd().split('\n');
    doc = JSON.parse(lines[lines.length - 1]!) as typeof doc;
  } else doc = JSON.parse(out) as typeof doc;
  if (doc.findings === undefined) throw new Error(`${cmd}: no findings in its JSON`);
  return doc.findings.map((f) => f.id).sort();
}

const COMMANDS: Command[] = ['default', 'frames', 'timeline', 'mcmp', 'capture --log', 'diagnose --capture'];
const results = new Map<string, Run>();

beforeAll(async () => {
  const jobs = captures.flatMap(({ scenario, capture }) =>
    COMMANDS.map((cmd) => async () => {
      results.set(`${capture} ${cmd}`, await runCli(argsFor(cmd, capture, `samples/${scenario}/error_log`)));
    }),
  );
  await pool(jobs);
}, 300_000);

describe('every command gives the same findings and exit code for the same capture and options', () => {
  it('runs every sample capture (and its error_log)', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(12);
    expect(captures.length).toBeGreaterThanOrEqual(16);
    for (const s of scenarios) expect(existsSync(join(root, 'samples', s, 'error_log')), s).toBe(true);
  });

  for (const { capture: s } of captures) {
    it(`${s}: default = frames = timeline = mcmp; capture --log = diagnose --capture`, () => {
      const got = (cmd: Command) => {
        const r = results.get(`${s} ${cmd}`)!;
        expect([0, 1], `${cmd}: ${r.stderr}`).toContain(r.code);
        return { code: r.code, ids: findingIds(cmd, r.stdout) };
      };
      const base = got('default');
      for (const cmd of ['frames', 'timeline', 'mcmp'] as const) expect(got(cmd), `${s}: ${cmd} vs the default command`).toEqual(base);
      const withLog = got('capture --log');
      expect(got('diagnose --capture'), `${s}: diagnose LOG --capture CAPTURE vs CAPTURE --log LOG`).toEqual(withLog);
    });
  }

  it('the findings are real: the fault samples name their root causes, the baseline none', () => {
    const ids = (s: string) => findingIds('default', results.get(`samples/${s}/capture.pcap default`)!.stdout);
    expect(ids('baseline')).toEqual([]);
    expect(results.get('samples/baseline/capture.pcap mcmp')!.code).toBe(0);
    expect(ids('client-abort')).toEqual(['client-abort-download', 'client-abort-upload']);
    // client aborts are info: exit 0 for every command (before: 0 for the default command, 1 for frames/timeline).
    for (const cmd of ['default', 'frames', 'timeline', 'mcmp'] as const) expect(results.get(`samples/client-abort/capture.pcap ${cmd}`)!.code, cmd).toBe(0);
    expect(ids('mcmp')).toEqual(expect.arrayContaining(['mcmp-mem-error', 'mcmp-node-not-ok', 'mcmp-node-removed', 'mcmp-syntax-error']));
    for (const cmd of ['default', 'frames', 'timeline', 'mcmp'] as const) expect(results.get(`samples/mcmp/capture.pcap ${cmd}`)!.code, cmd).toBe(1);
  });
});
