#!/usr/bin/env node
/**
 * Same answers before and after (issue 14: "identical findings, counts and frame numbers before and
 * after on every sample and fixture"): runs two builds of the CLI on every capture under samples/
 * and test/fixtures/ (the default command, `frames` and `timeline`, all as JSON) and on every
 * sample's logs and on every log fixture alone (`diagnose … -T json`), and compares the outputs byte for byte (the JSON report has
 * no clock-dependent field). Prints each difference's first lines; exits 1 when a report (stdout) or
 * an exit code differs; differences in stderr alone (warnings) are listed and counted apart.
 *
 *   node scripts/compare-builds.mjs --before /path/to/other/dist [--after dist] [--only substring] [--ignore REGEX] [--text] [--capture-args "--ajp-port 8009,18009"]
 *
 * --text: the text reports instead (what a terminal shows): every capture × the default command,
 * `frames`, `timeline`, `mcmp` and `stats`, the default command again with `--color always`, and the
 * same `diagnose` runs, without `-T json`.
 *
 * --ignore REGEX: lines matching it are left out on both sides (a field one build adds, e.g.
 * '"evidenceDropped": 0,?$'); then a comma at a line's end is not compared either.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (n) => {
  const i = args.indexOf(`--${n}`);
  return i < 0 ? undefined : args[i + 1];
};
const before = opt('before');
const after = opt('after') ?? join(root, 'dist');
const only = opt('only');
const ignore = opt('ignore') === undefined ? undefined : new RegExp(opt('ignore'));
if (before === undefined || !existsSync(join(before, 'cli.js'))) {
  console.error('compare-builds: --before DIST (a folder with cli.js) is needed');
  process.exit(2);
}

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}
const files = [...walk(join(root, 'samples')), ...walk(join(root, 'test', 'fixtures'))].filter((p) => only === undefined || p.includes(only));
const captures = files.filter((p) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(p) && statSync(p).size < 64 * 1024 * 1024);
const logSets = new Map();
for (const p of files.filter((f) => f.startsWith(join(root, 'samples')) && /(\.log|error_log|catalina\.out|access_log)$/.test(f))) {
  const d = dirname(p);
  logSets.set(d, [...(logSets.get(d) ?? []), p]);
}

const text = args.includes('--text');
const format = text ? [] : ['-T', 'json'];
const commands = text ? [[], ['frames'], ['timeline'], ['mcmp'], ['stats']] : [[], ['frames'], ['timeline']];
const jobs = [];
// --capture-args "…": options given to every capture run (e.g. `--ajp-port 8009,18009`: where a build
// reads again a capture whose AJP is found by content only, the ports given keep both builds to one read)
const captureArgs = opt('capture-args')?.split(' ').filter(Boolean) ?? [];
for (const c of captures) for (const cmd of commands) jobs.push([...cmd, c, ...captureArgs, ...format]);
if (text) for (const c of captures) jobs.push([c, '--color', 'always']);
for (const [, logs] of logSets) jobs.push(['diagnose', ...logs.sort(), ...format]);
// Every log fixture (real pastes, excerpts, rule fixtures) diagnosed alone.
const logFixtures = files.filter((f) => /[\\/]test[\\/]fixtures[\\/](logs|rules)[\\/]/.test(f) && !/\.(json|md|ts|sh|tsv)$/.test(f));
for (const f of logFixtures) jobs.push(['diagnose', f, ...format]);

const clean = (t) => (ignore === undefined ? t : t.split('\n').filter((l) => !ignore.test(l)).map((l) => l.replace(/,$/, '')).join('\n'));
// Without the ignored lines a JSON neighbour may lose its trailing comma: commas at line ends are not compared.
const run = (dist, a) => {
  const r = spawnSync(process.execPath, [join(dist, 'cli.js'), ...a], { cwd: root, maxBuffer: 1 << 30, encoding: 'utf8' });
  return { out: clean(`exit ${r.status}\n${r.stdout}`), err: r.stderr };
};
const show = (a) => a.map((s) => (s.startsWith(root) ? relative(root, s) : s)).join(' ');
const firstDifference = (x, y) => {
  const xl = x.split('\n');
  const yl = y.split('\n');
  let i = 0;
  while (i < xl.length && xl[i] === yl[i]) i++;
  return `  line ${i + 1}\n  - ${(xl[i] ?? '').slice(0, 200)}\n  + ${(yl[i] ?? '').slice(0, 200)}`;
};
let differ = 0;
let stderrOnly = 0;
for (const a of jobs) {
  const x = run(before, a);
  const y = run(after, a);
  if (x.out !== y.out) {
    differ++;
    console.log(`DIFFERS: ${show(a)}\n${firstDifference(x.out, y.out)}`);
  } else if (x.err !== y.err) {
    // Warnings on stderr are told apart: the report (stdout) and the exit code are what must not change.
    stderrOnly++;
    console.log(`stderr only: ${show(a)}\n${firstDifference(x.err, y.err)}`);
  }
}
console.log(
  `${jobs.length - differ} of ${jobs.length} runs with identical output and exit code, ${stderrOnly} of them with other stderr lines (${captures.length} captures × ${text ? 'default/frames/timeline/mcmp/stats/--color always, text' : 'default/frames/timeline'}, ${logSets.size} sample log sets, ${logFixtures.length} log fixtures)`,
);
process.exit(differ === 0 ? 0 : 1);
