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
 * unchanged for any cell within the bounds. (3) In the CLI, every cell is scrubbed of the inputs'
 * secret values before it is measured (setTableCellScrub), so redaction never shifts a column.
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

/**
 * What each cell's text goes through before the table measures it: nothing, unless the CLI set the
 * output guard's scrub here (cli/output.ts setOutputGuard: `shown`, the secret values collected from
 * the inputs replaced by `[redacted]` unless --show-secrets).
 *
 * Why: the guard scrubs every line as it is printed (guardText), after the table has measured its
 * columns on the cells. `shown` scrubs the renderer's input string by string, but a renderer makes
 * cells by joining strings (an endpoint `addr:port`, `ajp://host:port`, `uri?query`, `key value`): a
 * collected value that spans the join (a cookie `10.0.0.7:8009`) was replaced only in the drawn line,
 * and its row's columns shifted against the others, as the stats command's worker names did (whose
 * fix, shown() on the name, this generalises to every cell of every table). A hook rather than an
 * import: util/ does not depend on cli/, and the library's renderers stay as they were (no guard).
 */
let shownCell: (text: string) => string = (text) => text;

/** cli/output.ts setOutputGuard: the scrub each table cell goes through before it is measured (see shownCell). */
export function setTableCellScrub(scrub: (text: string) => string): void {
  shownCell = scrub;
}

/** A cell's text as it will be printed (scrubbed, see shownCell), then bounded (cut after the scrub: a value cut in two would no longer match). */
function cellAsShown(s: string): string {
  return boundCell(shownCell(s));
}

type CellValue = Table.Cell;

function boundValue(c: CellValue): CellValue {
  if (typeof c === 'string') return cellAsShown(c);
  if (c !== null && typeof c === 'object' && 'content' in c && typeof c.content === 'string') return { ...c, content: cellAsShown(c.content) };
  return c;
}

function boundRow(row: unknown): unknown {
  if (Array.isArray(row)) return row.map((c) => boundValue(c as CellValue));
  if (row !== null && typeof row === 'object') {
    // A vertical or cross table row: { key: value } or { key: [values] }.
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) out[cellAsShown(k)] = Array.isArray(v) ? v.map((c) => boundValue(c as CellValue)) : boundValue(v as CellValue);
    return out;
  }
  return row;
}

/**
 * A cli-table3 table whose rows (and head) are scrubbed and bounded as they are pushed, and drawn by `plainDraw`
 * when it can (else by cli-table3 itself).
 */
export function boundedTable(options: Table.TableConstructorOptions): Table.Table {
  const t = new Table(options.head ? { ...options, head: options.head.map(cellAsShown) } : options);
  const push = t.push.bind(t) as (...rows: unknown[]) => number;
  Object.defineProperty(t, 'push', { value: (...rows: unknown[]) => push(...rows.map(boundRow)), enumerable: false });
  const draw = Table.prototype.toString;
  Object.defineProperty(t, 'toString', { value: () => plainDraw(t) ?? draw.call(t), enumerable: false });
  return t;
}

/** cli-table3's border characters (src/cell.js CHAR_NAMES). */
const CHAR_NAMES = ['top', 'top-mid', 'top-left', 'top-right', 'bottom', 'bottom-mid', 'bottom-left', 'bottom-right', 'left', 'left-mid', 'mid', 'mid-mid', 'right', 'right-mid', 'middle'] as const;

/** cli-table3's merged options (src/utils.js mergeOptions: its defaults, then ours). */
interface MergedOptions {
  head: unknown[];
  chars: Record<string, string | undefined>;
  style: Record<string, unknown>;
  colWidths: unknown[];
  rowHeights: unknown[];
  colAligns: unknown[];
  rowAligns: unknown[];
}

function isEmptyArray(v: unknown): boolean {
  return Array.isArray(v) && v.length === 0;
}

/** What cli-table3's Cell makes of a cell given as a primitive or nothing (src/cell.js setOptions); undefined: something else. */
function cellText(c: unknown): string | undefined {
  if (typeof c === 'string') return c;
  if (typeof c === 'number' || typeof c === 'boolean' || typeof c === 'bigint') return String(c);
  return c === null || c === undefined ? '' : undefined;
}

/**
 * The table as cli-table3 0.6.5 draws it, for the tables the renderers make: every row an array of
 * the same length (no spans), primitive cells, widths and heights from the content, no colours
 * (style.head and style.border empty), cli-table3's alignments; undefined for anything else.
 *
 * Why: cli-table3 builds a Cell object per cell, copies its 15 border characters into it by name
 * (`mergeTableOptions`), and lays the table out with `fillInTable` (src/layout-manager.js), which
 * for each position scans every cell of the rows above (`conflictExists`): rows² × columns² for a
 * table without a missing cell. Drawing the 37-row stream table of a small capture was ~10 % of the
 * whole run. This is the same drawing without the generality: `Table.toString` (src/table.js: a
 * 'top' line per row, its lines, a 'bottom' line after the last; a line whose pieces are all empty is
 * left out), `Cell.drawTop` / `drawLine` / `drawEmpty` / `drawBottom` (src/cell.js), the widths and
 * heights of `makeComputeWidths` (src/layout-manager.js: the widest / tallest cell, at least 1). It
 * measures with cli-table3's own `strlen` and colours lines with its own `colorizeLines`, so a width
 * is the one cli-table3 computes; test/util/table.test.ts draws random tables both ways.
 */
export function plainDraw(t: Table.Table): string | undefined {
  const o = t.options as unknown as MergedOptions;
  const pads = plainPads(o);
  if (pads === undefined) return undefined;
  const rows: unknown[] = o.head && o.head.length ? [o.head, ...t] : [...t];
  if (rows.length === 0) return '';
  const widths = plainWidths(rows, pads);
  if (widths === undefined || widths === null) return undefined;
  const chars = plainChars(o);
  if (chars === undefined) return undefined;
  return [...plainLines(rows, widths, pads, chars)].join('\n');
}

/**
 * The lines of the table that `boundedTable(options)` with the rows of `rows()` pushed draws (its
 * `toString()` is these joined by newlines), made from two passes over `rows()` — the widths, then
 * the lines, one row at a time — instead of holding every row and the whole drawing: `stats` draws a
 * row per minute of its logs, and 125,000 rows (85 MB of text) took 1.4 GB. A table plainDraw does
 * not draw is drawn whole by cli-table3.
 */
export function* tableLines(options: Table.TableConstructorOptions, rows: () => Iterable<readonly CellValue[]>): Generator<string> {
  const t = boundedTable(options);
  const o = t.options as unknown as MergedOptions;
  const all = function* (): Generator<unknown> {
    if (o.head && o.head.length) yield o.head;
    for (const r of rows()) yield boundRow(r);
  };
  const pads = plainPads(o);
  const chars = plainChars(o);
  const widths = pads === undefined || chars === undefined ? undefined : plainWidths(all(), pads);
  if (widths === null) {
    yield '';
    return;
  }
  if (widths !== undefined) {
    yield* plainLines(all(), widths, pads!, chars!);
    return;
  }
  for (const r of rows()) t.push(r as CellValue[]);
  yield* t.toString().split('\n');
}

/** The paddings plainDraw draws with, when it can draw a table of options `o` (see there). */
function plainPads(o: MergedOptions): { pl: number; pr: number } | undefined {
  if (!isEmptyArray(o.colWidths) || !isEmptyArray(o.rowHeights) || !isEmptyArray(o.colAligns) || !isEmptyArray(o.rowAligns)) return undefined;
  const style = o.style;
  if (style.compact || !isEmptyArray(style.head) || !isEmptyArray(style.border) || style.paddingLeft !== undefined || style.paddingRight !== undefined) return undefined;
  const padLeft = style['padding-left'];
  const padRight = style['padding-right'];
  if (!Number.isInteger(padLeft) || !Number.isInteger(padRight) || (padLeft as number) < 0 || (padRight as number) < 0) return undefined;
  return { pl: padLeft as number, pr: padRight as number };
}

/**
 * The columns' widths of `rows` (makeComputeWidths, src/layout-manager.js: the widest cell, at
 * least 1); undefined when a row is no array of primitive cells as long as the first, null when
 * there is no row.
 */
function plainWidths(rows: Iterable<unknown>, { pl, pr }: { pl: number; pr: number }): number[] | undefined | null {
  let widths: number[] | null = null;
  let n = 0;
  for (const row of rows) {
    if (widths === null) {
      if (!Array.isArray(row) || row.length === 0) return undefined;
      n = row.length;
      widths = new Array<number>(n).fill(1);
    }
    if (!Array.isArray(row) || row.length !== n) return undefined;
    for (let x = 0; x < n; x++) {
      const text = cellText(row[x]);
      if (text === undefined) return undefined;
      widths[x] = Math.max(widths[x]!, tableUtils.strlen(text) + pl + pr);
    }
  }
  return widths;
}

/** cli-table3's border characters for options `o` (src/cell.js setOption: a character's camelCase name first, then its dashed one); undefined when one is no string. */
function plainChars(o: MergedOptions): Map<string, string> | undefined {
  const chars = new Map<string, string>();
  for (const name of CHAR_NAMES) {
    const c = o.chars[name.replace(/-(.)/, (_, l: string) => l.toUpperCase())] ?? o.chars[name];
    if (typeof c !== 'string') return undefined;
    chars.set(name, c);
  }
  return chars;
}

/** The drawn lines of `rows` (as plainWidths took them) in `widths`. */
function* plainLines(rows: Iterable<unknown>, widths: readonly number[], { pl, pr }: { pl: number; pr: number }, chars: Map<string, string>): Generator<string> {
  const n = widths.length;
  const ch = (name: (typeof CHAR_NAMES)[number]) => chars.get(name)!;
  const [top, topMid, topLeft, topRight] = [ch('top'), ch('top-mid'), ch('top-left'), ch('top-right')];
  const [bottom, bottomMid, bottomLeft, bottomRight] = [ch('bottom'), ch('bottom-mid'), ch('bottom-left'), ch('bottom-right')];
  const [left, leftMid, mid, midMid] = [ch('left'), ch('left-mid'), ch('mid'), ch('mid-mid')];
  const [right, rightMid, middle] = [ch('right'), ch('right-mid'), ch('middle')];
  // (a line whose pieces are all empty is left out)
  const rule = (first: string, fill: string, join: string, last: string): string => {
    let line = '';
    for (let x = 0; x < n; x++) line += (x === 0 ? first : join) + fill.repeat(widths[x]!);
    return line + last;
  };
  let y = 0;
  for (const row of rows) {
    const r = y++ === 0 ? rule(topLeft, top, topMid, topRight) : rule(leftMid, mid, midMid, rightMid);
    if (r.length) yield r;
    // Each cell's lines (src/cell.js computeLines: split at '\n', then colorizeLines, which changes a
    // line only around an escape code), and the row's height: its tallest cell.
    const cells: string[][] = [];
    let height = 1;
    for (let x = 0; x < n; x++) {
      const text = cellText((row as unknown[])[x])!;
      const split = text.split('\n');
      cells.push(text.includes('\x1b') ? tableUtils.colorizeLines(split) : split);
      height = Math.max(height, split.length);
    }
    for (let i = 0; i < height; i++) {
      let line = '';
      for (let x = 0; x < n; x++) {
        const w = widths[x]!;
        const l = cells[x]![i];
        // drawLine: the line padded to the width (utils.pad, left aligned), or drawEmpty: blanks.
        line += (x === 0 ? left : middle) + (l === undefined ? ' '.repeat(w) : ' '.repeat(pl) + l + ' '.repeat(w - pl - pr - tableUtils.strlen(l)) + ' '.repeat(pr));
      }
      line += right;
      if (line.length) yield line;
    }
  }
  const b = rule(bottomLeft, bottom, bottomMid, bottomRight);
  if (b.length) yield b;
}

export type { Table };
