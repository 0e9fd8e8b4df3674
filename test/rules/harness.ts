/** Test helpers: real log text → parseLogText (the real parser) → diagnose. Tests never read /work/shared. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseLogText } from '../../src/logs/index.js';
import type { LogEvent, LogSummary } from '../../src/logs/index.js';
import { diagnose, knownMessage } from '../../src/rules/index.js';
import type { Finding } from '../../src/report/types.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface LogInput {
  path: string;
  text: string;
}

/** A file of the repository (path relative to the repository root). */
export function load(rel: string): LogInput {
  return { path: rel, text: readFileSync(ROOT + rel, 'utf8') };
}

/** A real paste of the corpus (test/fixtures/logs/pastes/<slug>.txt). */
export const paste = (slug: string): LogInput => load(`test/fixtures/logs/pastes/${slug}.txt`);

/** A file under test/fixtures/rules/. */
export const fx = (rel: string): LogInput => load('test/fixtures/rules/' + rel);

/** The logs of a sample scenario (debug mod_jk log unless `info`). */
export function sample(scenario: string, files: readonly string[] = ['mod_jk.log', 'error_log', 'catalina.out']): LogInput[] {
  return files.map((f) => load(`samples/${scenario}/${f}`));
}

export function parse(...inputs: (LogInput | LogInput[])[]): { events: LogEvent[]; summaries: LogSummary[] } {
  const events: LogEvent[] = [];
  const summaries: LogSummary[] = [];
  for (const i of inputs.flat()) {
    // as the CLI reads: fragments (text of no known layout) kept when they name a known message
    const r = parseLogText(i.text, { path: i.path, tz: 'UTC', knownMessage });
    events.push(...r.events);
    summaries.push(r.summary);
  }
  return { events, summaries };
}

export function run(...inputs: (LogInput | LogInput[])[]) {
  const { events, summaries } = parse(...inputs);
  const res = diagnose({ events, summaries });
  return {
    ...res,
    events,
    ids: res.findings.map((f) => f.id),
    get: (id: string): Finding | undefined => res.findings.find((f) => f.id === id),
    all: (id: string): Finding[] => res.findings.filter((f) => f.id === id),
  };
}

/** Evidence texts of a finding. */
export function evidenceText(f: Finding | undefined): string[] {
  return (f?.evidence ?? []).map((e) => (e.source === 'capture' ? e.detail : e.text));
}
