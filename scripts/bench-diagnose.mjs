#!/usr/bin/env node
/**
 * Benchmark: generate N (default 1,000,000) realistic mod_jk 1.2.48 lines — debug request cycles of
 * several workers and processes, with info/warn/error incidents mixed in (client aborts, refused
 * connects, reply timeouts, stale CPongs) — into a temp file, then time readLogs + diagnose from dist/.
 * Usage: npm run build && node scripts/bench-diagnose.mjs [lines] [noise]
 * `noise`: the lines are what a paste of unrelated logs holds instead (access logs, application logs
 * of layouts ajp-inspect does not parse, syslog, nginx), each read by the message layer; a few real
 * incidents are mixed in. Logs are read as the CLI reads them (fragments kept when they name a known message).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readLogs } from '../dist/logs/index.js';
import { diagnose, knownMessage } from '../dist/rules/index.js';
import { writeLog } from './lib/synth-log.mjs';

const N = Number(process.argv[2] ?? 1_000_000);
const NOISE = process.argv[3] === 'noise';
const dir = mkdtempSync(join(tmpdir(), 'ajpi-bench-'));
const file = join(dir, 'mod_jk.log');
try {
  const t0 = performance.now();
  const { lines, bytes: size } = await writeLog(file, N, { noise: NOISE });
  const tGen = performance.now() - t0;

  const t1 = performance.now();
  const { events, summaries } = await readLogs([file], { tz: 'UTC', knownMessage });
  const t2 = performance.now();
  const result = diagnose({ events, summaries });
  const t3 = performance.now();

  const read = (t2 - t1) / 1000;
  const diag = (t3 - t2) / 1000;
  const total = read + diag;
  console.log(`generated ${lines.toLocaleString('en')} ${NOISE ? 'noise ' : ''}lines (${(size / 1e6).toFixed(1)} MB) in ${(tGen / 1000).toFixed(2)} s`);
  console.log(`readLogs : ${read.toFixed(2)} s  ${Math.round(lines / read).toLocaleString('en')} lines/s  (${events.length.toLocaleString('en')} events, ${summaries[0].unrecognised} unrecognised)`);
  console.log(`diagnose : ${diag.toFixed(2)} s  ${Math.round(lines / diag).toLocaleString('en')} lines/s  (${result.findings.length} findings: ${result.findings.map((f) => f.id).join(', ')})`);
  console.log(`total    : ${total.toFixed(2)} s  ${Math.round(lines / total).toLocaleString('en')} lines/s  (target ≤ 3 s for 1,000,000 lines) ${total <= 3 ? 'OK' : 'SLOW'}`);
  const mem = process.memoryUsage();
  // rss/heap are read at the end (not a peak); external = input chunks held outside the JS heap.
  console.log(`max RSS  : ${Math.round(mem.rss / 1e6)} MB  (JS heap used ${Math.round(mem.heapUsed / 1e6)} MB, external ${Math.round(mem.external / 1e6)} MB, ${Math.round(mem.heapUsed / events.length)} heap bytes/event)`);
} finally {
  if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true }); else console.log(file);
}
