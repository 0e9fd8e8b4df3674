/**
 * The verdict on one real paste (test/fixtures/logs/pastes/): read as the CLI reads a paste (its
 * stamps at the offset it states, the configuration it quotes), diagnosed, and judged by its label:
 * the thread's cause, or an id in `alsoAcceptable`, is the first error or warning, and every other
 * error or warning is acceptable or a check of the quoted configuration (pastes.test.ts,
 * pastes-wrapped.test.ts).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lineContext, parseLine, readLogs, statedZone } from '../../src/logs/index.js';
import { diagnose, knownMessage } from '../../src/rules/index.js';
import { addExcerpts, emptyFacts } from '../../src/config/index.js';

export const PASTES = fileURLToPath(new URL('../fixtures/logs/pastes/', import.meta.url));

export interface PasteMeta {
  source: string;
  conclusion: string;
  cause: string | null;
  alsoAcceptable?: string[];
}

export const pasteCases = (): { slug: string; meta: PasteMeta }[] =>
  readdirSync(PASTES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ slug: f.slice(0, -5), meta: JSON.parse(readFileSync(PASTES + f, 'utf8')) as PasteMeta }));

let scratch: string | undefined;

/**
 * The verdict on `text` under `meta`'s label: the paste `slug` as published (`file`: its path), or a
 * paste made of it (no `file`: it is written to a scratch file first).
 */
export async function pasteVerdict(slug: string, text: string, meta: PasteMeta, file?: string): Promise<{ pass: boolean; got: string; refused: boolean }> {
  if (file === undefined) {
    scratch ??= mkdtempSync(join(tmpdir(), 'ajp-pastes-'));
    file = join(scratch, `${slug}.txt`);
    writeFileSync(file, text);
  }
  // stamps without a zone at the offset the paste's own stamps state, else UTC (the CLI: the machine's zone)
  const tz = statedZone([text]) ?? 'UTC';
  const { events, summaries } = await readLogs([file], { tz, knownMessage });
  const s = summaries[0];
  const refused = s.binary !== undefined || (s.unrecognised === 0 && events.length === 0);
  // the configuration the paste quotes is read too, as the CLI reads it (config/fragments.ts)
  const config = emptyFacts();
  const ctx = lineContext({ knownMessage });
  const logLine = (l: string): boolean => parseLine(l, ctx) !== null || knownMessage(l);
  const quoted = addExcerpts(config, slug, text, logLine).read.length > 0;
  const r = diagnose(quoted ? { events, summaries, config } : { events, summaries });
  const ew = r.findings.filter((f) => f.severity !== 'info');
  const ok = [meta.cause, ...(meta.alsoAcceptable ?? [])];
  // A check of the quoted configuration (its evidence all configuration: a Ghostcat exposure of the
  // <Connector> the post shows) is about that file, not another diagnosis of the incident: it may
  // stand beside the thread's cause, never before it.
  const aboutConfig = (f: (typeof ew)[number]): boolean => f.evidence.length > 0 && f.evidence.every((e) => e.source === 'config');
  const pass = meta.cause === null ? ew.filter((f) => !aboutConfig(f)).length === 0 : ew.length > 0 && ok.includes(ew[0].id) && ew.every((f) => ok.includes(f.id) || aboutConfig(f));
  return { pass, got: r.findings.map((f) => `${f.id} (${f.severity})`).join(', ') || 'no finding', refused };
}
