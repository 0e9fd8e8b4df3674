/**
 * `ajp-inspect stats -T json`, written a row at a time: the text of
 * `JSON.stringify({ inputs, ...stats }, null, 2) + '\n'` from {@link RequestStatsRows}, whose
 * buckets are made as they are asked for. A row per minute of a year of logs is 525,600 buckets;
 * the report made whole held them all, its string and its bytes (125,000 rows: 0.9 GB).
 */
import type { RequestStatsRows } from '../logs/index.js';

/** `value` as JSON.stringify(…, null, 2) writes it `depth` levels deep (its lines after the first indented). */
function nested(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/** The members of an array or object that is a member `depth` levels deep, laid out as JSON.stringify(…, null, 2) does. */
function* members(items: Iterable<string>, open: string, close: string, depth: number): Generator<string> {
  const pad = '  '.repeat(depth);
  let first = true;
  for (const item of items) {
    yield `${first ? open : ','}\n${pad}  ${item}`;
    first = false;
  }
  yield first ? `${open}${close}` : `\n${pad}${close}`;
}

function* pieces(inputs: readonly string[], s: RequestStatsRows): Generator<string> {
  // (the members in the order of { inputs, ...RequestStats })
  yield `{\n  "inputs": ${nested(inputs, 1)},\n  "intervalMs": ${nested(s.intervalMs, 1)},\n  "requests": ${nested(s.requests, 1)},\n  "total": ${nested(s.total, 1)},\n  "intervals": `;
  yield* members(
    (function* () {
      for (const b of s.intervals()) yield nested(b, 2);
    })(),
    '[',
    ']',
    1,
  );
  yield ',\n  "workers": ';
  yield* members(
    (function* () {
      for (const [name, b] of s.workers()) yield `${JSON.stringify(name)}: ${nested(b, 2)}`;
    })(),
    '{',
    '}',
    1,
  );
  yield `,\n  "durationNote": ${nested(s.durationNote, 1)}\n}\n`;
}

/**
 * The JSON report in pieces of about 64 KB that each end a line: the output guard, which reads one
 * piece at a time, sees whole lines, as it saw the whole text (no value it scrubs spans lines).
 */
export function* statsJsonChunks(inputs: readonly string[], s: RequestStatsRows): Generator<string> {
  let buf = '';
  for (const p of pieces(inputs, s)) {
    buf += p;
    if (buf.length >= 65_536) {
      const nl = buf.lastIndexOf('\n');
      if (nl >= 0) {
        yield buf.slice(0, nl + 1);
        buf = buf.slice(nl + 1);
      }
    }
  }
  if (buf !== '') yield buf;
}
