/**
 * The one way a renderer makes a text table (cli-table3), with every cell bounded before layout.
 *
 * cli-table3's layout is superlinear in a cell's size: word wrapping a long cell, and above all a
 * cell of several lines — `Cell.draw` (cli-table3 src/cell.js) calls `utils.truncate(this.content,
 * 10)` on the whole content for a debug line, once per drawn line, and `truncateWidth`
 * (src/utils.js) shortens a multi-line string one character at a time, measuring every line again
 * each time: lines × characters². An 18 KB log line quoted in a cell took 17 s, a 267 KB one
 * over 300 s, and a URI with newlines from a crafted capture would do the same.
 *
 * So: (1) every cell is cut before layout — at most MAX_CELL_LINES lines of at most
 * MAX_LINE_CHARS characters, MAX_CELL_CHARS in all, with a `…` where something was cut; (2) the
 * debug call's argument (the only multi-line string cli-table3 ever truncates: drawn lines are
 * single lines) is answered without the character-by-character loop. What a table shows is
 * unchanged for any cell within the bounds.
 */
import Table from 'cli-table3';
// The module object cli-table3's cell.js uses (imported, not required at run time, so that the
// bundled CLI patches the copy it bundles).
import tableUtils from 'cli-table3/src/utils.js';

export const MAX_LINE_CHARS = 400;
export const MAX_CELL_LINES = 24;
export const MAX_CELL_CHARS = 4000;

if (!tableUtils.__boundedTruncate) {
  const original = tableUtils.truncate;
  // Only Cell.draw's debug line passes a whole multi-line content (its result is never printed).
  tableUtils.truncate = (str, desiredLength, truncateChar) =>
    typeof str === 'string' && str.includes('\n') ? str.slice(0, Math.max(0, desiredLength)) : original(str, desiredLength, truncateChar);
  tableUtils.__boundedTruncate = true;
}

/** `s` cut to the bounds above (unchanged when within them). */
export function boundCell(s: string): string {
  if (s.length <= MAX_LINE_CHARS && !s.includes('\n')) return s;
  let lines = s.split('\n');
  let cut = false;
  if (lines.length > MAX_CELL_LINES) {
    lines = lines.slice(0, MAX_CELL_LINES);
    cut = true;
  }
  let total = 0;
  const out: string[] = [];
  for (const line of lines) {
    const room = Math.min(MAX_LINE_CHARS, MAX_CELL_CHARS - total);
    if (room <= 0) {
      cut = true;
      break;
    }
    const l = line.length > room ? `${line.slice(0, room - 1)}…` : line;
    out.push(l);
    total += l.length + 1;
  }
  const text = out.join('\n');
  return cut && !text.endsWith('…') ? `${text}\n…` : text;
}

type CellValue = Table.Cell;

function boundValue(c: CellValue): CellValue {
  if (typeof c === 'string') return boundCell(c);
  if (c !== null && typeof c === 'object' && 'content' in c && typeof c.content === 'string') return { ...c, content: boundCell(c.content) };
  return c;
}

function boundRow(row: unknown): unknown {
  if (Array.isArray(row)) return row.map((c) => boundValue(c as CellValue));
  if (row !== null && typeof row === 'object') {
    // A vertical or cross table row: { key: value } or { key: [values] }.
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) out[boundCell(k)] = Array.isArray(v) ? v.map((c) => boundValue(c as CellValue)) : boundValue(v as CellValue);
    return out;
  }
  return row;
}

/** A cli-table3 table whose rows (and head) are bounded as they are pushed. */
export function boundedTable(options: Table.TableConstructorOptions): Table.Table {
  const t = new Table(options.head ? { ...options, head: options.head.map(boundCell) } : options);
  const push = t.push.bind(t) as (...rows: unknown[]) => number;
  Object.defineProperty(t, 'push', { value: (...rows: unknown[]) => push(...rows.map(boundRow)), enumerable: false });
  return t;
}

export type { Table };
