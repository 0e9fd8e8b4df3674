/**
 * The mutational fuzz loop (issue 15) over every command, on mutated sample captures (pcap,
 * pcapng, gzip; AJP and MCMP) and mutated logs (every dialect, pastes), run in-process.
 *
 * A short seeded budget runs with the suite (reproducible: case i of a target always gets seed
 * BASE + i); `npm run fuzz` (FUZZ_LONG=1) runs the long one and prints the counts per target.
 * FUZZ_CAPTURE / FUZZ_LOG / FUZZ_MCMP override the number of cases, FUZZ_BASE the seed base, and
 * FUZZ_ONLY=target:i replays one case; FUZZ_FROM=i starts at case i; FUZZ_TRACE=FILE names the running case.
 *
 * Time and memory are measured and counted against generous bounds (a hang would be seen as the
 * test's timeout); they are reported, not asserted to the millisecond (no timed tests).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';
import { caseDir, captureVariants, count, formatTally, inputText, logVariants, newTally, runVariant, secretsIn, type Bounds, type Tally } from './harness.js';
import { encodeLog, int, logWindow, mcmpFields, mutateCapture, mutateLog, pick, recordWindow, rng } from './mutate.js';

const LONG = process.env.FUZZ_LONG === '1';
const n = (env: string | undefined, short: number, long: number): number => (env !== undefined ? Number(env) : LONG ? long : short);
const CAPTURE_CASES = n(process.env.FUZZ_CAPTURE, 800, 100_000);
const LOG_CASES = n(process.env.FUZZ_LOG, 400, 30_000);
const MCMP_CASES = n(process.env.FUZZ_MCMP, 200, 10_000);
const BASE = Number(process.env.FUZZ_BASE ?? 20261205);
const ONLY = process.env.FUZZ_ONLY;
/** FUZZ_SAVE=DIR: the input of every failing case is written there (to become a regression fixture). */
const SAVE = process.env.FUZZ_SAVE;
function save(t: Tally, before: number, name: string, bytes: Buffer): void {
  if (SAVE === undefined || t.escapes + t.badTokens + t.badJson + t.leaks === before) return;
  mkdirSync(SAVE, { recursive: true });
  writeFileSync(join(SAVE, name), bytes);
}
const failed = (t: Tally): number => t.escapes + t.badTokens + t.badJson + t.leaks;

// Generous: the machine is shared, and these are reported rather than timed.
const BOUNDS: Bounds = { baseMs: LONG ? 3000 : 10000, msPerKb: 20, rssMb: 256, boundedBytes: 10 * 1048576 };

const samples = join(root, 'samples');
const scenarios = readdirSync(samples, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

interface CaptureSeed {
  name: string;
  bytes: Buffer;
  ports: Record<string, unknown>;
}

const PORTS_AJP = { 'ajp-port': [18009] };
const PORTS_MCMP = { 'ajp-port': [18009, 18010], 'mcmp-port': [16666] };

function captureSeeds(): CaptureSeed[] {
  const seeds: CaptureSeed[] = [];
  const add = (path: string, ports: Record<string, unknown>): void => {
    const bytes = readFileSync(path);
    seeds.push({ name: path.slice(root.length + 1), bytes, ports });
  };
  for (const s of scenarios) {
    for (const f of readdirSync(join(samples, s)).filter((x) => /^capture[^.]*\.(pcap|pcapng)$/.test(x)).sort()) {
      if (s !== 'mcmp') add(join(samples, s, f), PORTS_AJP);
    }
  }
  for (const dir of ['test/fixtures/captures', 'test/fixtures/captures/synthetic', 'test/fixtures/ajp', 'test/fixtures/fuzz']) {
    const d = join(root, dir);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).filter((x) => /\.(pcap|pcapng)(\.gz)?$/.test(x)).sort()) add(join(d, f), dir.endsWith('ajp') ? PORTS_AJP : {});
  }
  return seeds;
}

function logSeeds(): { name: string; text: string }[] {
  const seeds: { name: string; text: string }[] = [];
  const LOGS = ['mod_jk.log', 'mod_jk-info.log', 'error_log', 'catalina.out', 'access_log', 'tomcat_access_log.txt', 'workers.properties', 'httpd.conf', 'server-connector.xml'];
  for (const s of scenarios) for (const f of LOGS) if (existsSync(join(samples, s, f))) seeds.push({ name: `samples/${s}/${f}`, text: readFileSync(join(samples, s, f), 'utf8') });
  for (const dir of ['test/fixtures/logs/pastes', 'test/fixtures/logs/excerpts', 'test/fixtures/fuzz']) {
    const d = join(root, dir);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).filter((x) => /\.(txt|log)$/.test(x)).sort()) seeds.push({ name: `${dir}/${f}`, text: readFileSync(join(d, f), 'utf8') });
  }
  return seeds;
}

const tallies = new Map<string, Tally>();
const tally = (name: string): Tally => {
  let t = tallies.get(name);
  if (t === undefined) tallies.set(name, (t = newTally()));
  return t;
};

/** The long run says where it is every 2,000 cases (a run stopped early still has its counts). */
function progress(name: string, t: Tally): void {
  if (LONG && t.cases % 2000 === 0) process.stdout.write(`${formatTally(name, t)}\n`);
}

afterAll(() => {
  const lines = [...tallies].map(([name, t]) => formatTally(name, t));
  process.stdout.write(`\nfuzz (${LONG ? 'long' : 'short'} budget, seed base ${BASE}):\n${lines.join('\n')}\n`);
  for (const [, t] of tallies) for (const f of t.failures) process.stdout.write(`  ${f}\n`);
});

/** What fails the test: everything but the measured bounds (reported, not timed). */
const asserted = (f: string): boolean => !f.startsWith('over ');

/** FUZZ_FROM=i: cases before i are skipped; FUZZ_TRACE=FILE: the case about to run is written there (a case that takes the worker down is then known). */
const FROM = Number(process.env.FUZZ_FROM ?? 0);
const TRACE = process.env.FUZZ_TRACE;
const wanted = (target: string, i: number): boolean => {
  if (i < FROM || (ONLY !== undefined && ONLY !== `${target}:${i}`)) return false;
  if (TRACE !== undefined) writeFileSync(TRACE, `${target}:${i}\n`);
  return true;
};
const TIMEOUT = LONG ? 24 * 3600_000 : 120_000;

describe('fuzz: mutated captures through every capture command', () => {
  it(`${CAPTURE_CASES} capture cases: nothing escapes, no bad token, JSON valid, no secret shown`, async () => {
    const seeds = captureSeeds();
    const dir = caseDir();
    const t = tally('capture');
    try {
      for (let i = 0; i < CAPTURE_CASES; i++) {
        if (!wanted('capture', i)) continue;
        const r = rng(BASE + i);
        const seed = pick(r, seeds);
        const bytes = mutateCapture(r, recordWindow(r, seed.bytes, 16384 + int(r, 48 * 1024)));
        const path = dir.file(`c${i % 8}.pcap`, bytes);
        const variants = captureVariants(path, seed.ports);
        const v = variants[i % variants.length]!;
        const before = failed(t);
        const latin = inputText(bytes);
        const o = await runVariant(v, latin, secretsIn(latin));
        count(t, o, bytes.length, BOUNDS, `capture:${i} ${seed.name}`);
        save(t, before, `capture-${i}.pcap`, bytes);
        progress('capture', t);
      }
    } finally {
      dir.done();
    }
    expect(t.failures.filter(asserted), t.failures.join('\n')).toEqual([]);
  }, TIMEOUT);
});

describe('fuzz: mutated MCMP captures', () => {
  it(`${MCMP_CASES} MCMP cases: nothing escapes, no bad token, JSON valid`, async () => {
    const seed = readFileSync(join(samples, 'mcmp', 'capture.pcap'));
    const dir = caseDir();
    const t = tally('mcmp');
    try {
      for (let i = 0; i < MCMP_CASES; i++) {
        if (!wanted('mcmp', i)) continue;
        const r = rng(BASE + 7_000_000 + i);
        let bytes = recordWindow(r, seed, 16384 + int(r, 64 * 1024));
        bytes = r() < 0.6 ? mcmpFields(r, bytes) : mutateCapture(r, bytes);
        if (r() < 0.3) bytes = mutateCapture(r, bytes);
        const path = dir.file(`m${i % 8}.pcap`, bytes);
        const variants = captureVariants(path, PORTS_MCMP).filter((v) => v.command === 'mcmp' || v.command === '$0');
        const v = variants[i % variants.length]!;
        const before = failed(t);
        const latin = inputText(bytes);
        const o = await runVariant(v, latin, secretsIn(latin));
        count(t, o, bytes.length, BOUNDS, `mcmp:${i}`);
        save(t, before, `mcmp-${i}.pcap`, bytes);
        progress('mcmp', t);
      }
    } finally {
      dir.done();
    }
    expect(t.failures.filter(asserted), t.failures.join('\n')).toEqual([]);
  }, TIMEOUT);
});

describe('fuzz: mutated logs through diagnose', () => {
  it(`${LOG_CASES} log cases: nothing escapes, no bad token, JSON valid, no secret shown`, async () => {
    const seeds = logSeeds();
    const dir = caseDir();
    const t = tally('log');
    try {
      for (let i = 0; i < LOG_CASES; i++) {
        if (!wanted('log', i)) continue;
        const r = rng(BASE + 3_000_000 + i);
        const seed = pick(r, seeds);
        const text = mutateLog(r, logWindow(r, seed.text, 2048 + int(r, 14 * 1024)));
        const bytes = encodeLog(r, text);
        const path = dir.file(`l${i % 8}.log`, bytes);
        const variants = logVariants(path, i % 4 === 1 ? 'Europe/Berlin' : 'UTC');
        const v = variants[i % variants.length]!;
        const before = failed(t);
        const o = await runVariant(v, text, secretsIn(text));
        count(t, o, bytes.length, BOUNDS, `log:${i} ${seed.name}`);
        save(t, before, `log-${i}.log`, bytes);
        progress('log', t);
      }
    } finally {
      dir.done();
    }
    expect(t.failures.filter(asserted), t.failures.join('\n')).toEqual([]);
  }, TIMEOUT);
});
