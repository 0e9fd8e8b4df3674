/**
 * Text tables are bounded before layout (util/table.ts): cli-table3's layout is superlinear in a
 * cell's size (a multi-line cell: lines × characters²), so every cell is cut first.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Table from 'cli-table3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';
import { boundCell, boundedTable, MAX_CELL_CHARS, MAX_CELL_LINES, MAX_LINE_CHARS, plainDraw, setTableCellScrub, tableLines } from '../../src/util/table.js';

describe('boundCell', () => {
  it('leaves a cell within the bounds as it is', () => {
    for (const s of ['', 'GET /app', 'a\nb\nc', 'x'.repeat(MAX_LINE_CHARS)]) expect(boundCell(s)).toBe(s);
  });

  it('cuts a long line, too many lines and too many characters, and says so with …', () => {
    const long = boundCell('y'.repeat(100_000));
    expect(long).toHaveLength(MAX_LINE_CHARS);
    expect(long.endsWith('…')).toBe(true);
    const many = boundCell('line\n'.repeat(10_000)).split('\n');
    expect(many).toHaveLength(MAX_CELL_LINES + 1);
    expect(many.at(-1)).toBe('…');
    const big = boundCell(`${'z'.repeat(MAX_LINE_CHARS - 1)}\n`.repeat(MAX_CELL_LINES));
    expect(big.length).toBeLessThanOrEqual(MAX_CELL_CHARS + 2);
    expect(big.endsWith('…')).toBe(true);
  });
});

describe('boundedTable', () => {
  it('draws a table as cli-table3 does when the cells are small', () => {
    const t = boundedTable({ head: ['a', 'b'], style: { head: [], border: [] } });
    t.push(['1', 'two\nlines'], ['3', '4']);
    expect(t.toString()).toBe(
      ['┌───┬───────┐', '│ a │ b     │', '├───┼───────┤', '│ 1 │ two   │', '│   │ lines │', '├───┼───────┤', '│ 3 │ 4     │', '└───┴───────┘'].join('\n'),
    );
  });

  it('a cell of 10,000 lines of 100 characters (once minutes of layout) is drawn cut, in its bounds', () => {
    const t = boundedTable({ head: ['uri', 'note'], style: { head: [], border: [] } });
    t.push([`${'y'.repeat(100)}\n`.repeat(10_000), { content: 'q'.repeat(1_000_000) }]);
    const out = t.toString();
    expect(out.split('\n').length).toBeLessThanOrEqual(MAX_CELL_LINES + 5);
    expect(out).toContain('…');
    expect(out.length).toBeLessThan(50 * 1024);
  });
});

describe('setTableCellScrub (the CLI\'s redaction, before the widths are measured)', () => {
  // As the output guard does: a collected value replaced wherever it occurs, here one made whole only
  // by the renderer's joining of two strings (host and port).
  const scrub = (s: string): string => s.replaceAll('10.0.0.7:8009', '[redacted]');
  const rows = [
    ['1', 'ajp://10.0.0.7:8009'],
    ['2', 'ajp://10.0.0.8:8009'],
  ];
  const lengths = (text: string): Set<number> => new Set(text.split('\n').map((l) => l.length));

  it('every cell (head, rows; drawn whole or row by row, by plainDraw or cli-table3) is measured as it is printed', () => {
    setTableCellScrub(scrub);
    try {
      for (const opts of [{ head: ['#', 'address'], style: { head: [], border: [] } }, { head: ['#', 'address'], style: { head: [], border: [] }, colWidths: [5, 30] }]) {
        const t = boundedTable(opts);
        t.push(...rows);
        const drawn = t.toString();
        expect(drawn).toContain('│ ajp://[redacted] ');
        expect(lengths(drawn).size).toBe(1);
        const lines = [...tableLines(opts, () => rows)].join('\n');
        expect(lines).toBe(drawn);
      }
      const head = boundedTable({ head: ['10.0.0.7:8009'], style: { head: [], border: [] } });
      expect(head.toString()).toContain('│ [redacted] │');
    } finally {
      setTableCellScrub((s) => s);
    }
  });

  it('unset (the library): cells as they are', () => {
    const t = boundedTable({ head: ['#', 'address'], style: { head: [], border: [] } });
    t.push(...rows);
    expect(t.toString()).toContain('│ ajp://10.0.0.7:8009 │');
  });
});

describe('plainDraw (the drawing of simple tables without cli-table3 layout)', () => {
  /** cli-table3's own drawing of the same table: the golden. */
  const cliTable3 = (t: Table.Table) => Table.prototype.toString.call(t);

  // Pieces of cells: what the renderers print (ports, frames 9–15, …, └), wide and zero-width
  // characters, SGR colour codes (opened, closed, reset), newlines, blanks.
  const piece = fc.constantFrom('a', 'GET', '/app/echo?x=1', ' ', '  ', '', '9–15', '…', '└ ', '漢字', '👍', 'é', 'e\u0301', '\t', '\x1b[31m', '\x1b[39m', '\x1b[1m', '\x1b[0m', '\n', '127.0.0.1:8009', '0');
  const text = fc.array(piece, { maxLength: 6 }).map((p) => p.join(''));
  const cell = fc.oneof({ weight: 6, arbitrary: text }, fc.integer({ min: -5, max: 100_000 }), fc.constantFrom(null, undefined, true, false, 0, 1.5));
  const chars = fc.oneof(
    fc.constant(undefined),
    fc.constant({ mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' }),
    fc.record({ top: fc.constantFrom('-', '', '=='), middle: fc.constantFrom('|', '', ' '), 'top-mid': fc.constantFrom('+', ''), bottom: fc.constantFrom('', '_') }, { requiredKeys: [] }),
  );
  const table = fc.integer({ min: 1, max: 5 }).chain((n) =>
    fc.record({
      head: fc.option(fc.array(text, { minLength: n, maxLength: n }), { nil: undefined }),
      rows: fc.array(fc.array(cell, { minLength: n, maxLength: n }), { maxLength: 6 }),
      chars,
      pad: fc.option(fc.record({ 'padding-left': fc.integer({ min: 0, max: 2 }), 'padding-right': fc.integer({ min: 0, max: 2 }) }), { nil: undefined }),
    }),
  );

  it('draws every table it takes exactly as cli-table3 does (random tables)', () => {
    let drawn = 0;
    fc.assert(
      fc.property(table, ({ head, rows, chars: c, pad }) => {
        const opts = { ...(head ? { head } : {}), style: { head: [], border: [], ...pad }, ...(c ? { chars: c } : {}) };
        const t = boundedTable(opts);
        t.push(...(rows as string[][]));
        const mine = plainDraw(t);
        if (!head && rows.length === 0) expect(mine).toBe('');
        expect(mine).toBeDefined();
        expect(mine).toBe(cliTable3(t));
        // drawn a row at a time from the rows themselves (each pass reads them again)
        expect([...tableLines(opts, () => rows as string[][])].join('\n')).toBe(mine);
        drawn++;
      }),
      { numRuns: 400, seed: 14 },
    );
    expect(drawn).toBe(400);
  });

  it('the renderers\' tables are drawn the same: the stream table of a capture, with and without rules between rows', () => {
    for (const c of [undefined, { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' }]) {
      const t = boundedTable({ head: ['stream', 'client', 'frames'], style: { head: [], border: [] }, ...(c ? { chars: c } : {}) });
      t.push(['0', '127.0.0.1:49250', '9–15'], ['35', '[::1]:57804', ''], ['1', '\x1b[31mRST by server\x1b[39m', '…']);
      expect(plainDraw(t)).toBe(cliTable3(t));
      expect(t.toString()).toBe(cliTable3(t));
    }
  });

  it('leaves to cli-table3 what it does not draw: colours, fixed widths, spans, rows of other lengths, cells as objects', () => {
    const cases: Array<[Table.TableConstructorOptions, unknown[][]]> = [
      [{ head: ['a'], style: { head: ['cyan'], border: [] } }, [['1']]],
      [{ head: ['a'], style: { head: [], border: ['grey'] } }, [['1']]],
      [{ head: ['a'] }, [['1']]],
      [{ head: ['a', 'b'], style: { head: [], border: [] }, colWidths: [5, 5], wordWrap: true }, [['1', '2']]],
      [{ head: ['a', 'b'], style: { head: [], border: [] } }, [['1']]],
      [{ head: ['a', 'b'], style: { head: [], border: [] } }, [['1', { content: '2', colSpan: 1 }]]],
      [{ head: ['a'], style: { head: [], border: [], compact: true } }, [['1'], ['2']]],
    ];
    for (const [opts, rows] of cases) {
      const t = boundedTable(opts);
      t.push(...(rows as string[][]));
      expect(plainDraw(t)).toBeUndefined();
      expect(t.toString()).toBe(cliTable3(t));
      expect([...tableLines(opts, () => rows as string[][])].join('\n')).toBe(cliTable3(t));
    }
  });
});

it('every text table is made by util/table.ts (no renderer imports cli-table3 itself)', () => {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  walk(join(root, 'src'));
  const direct = files.filter((p) => !p.endsWith(join('util', 'table.ts')) && /from 'cli-table3'/.test(readFileSync(p, 'utf8')));
  expect(direct.map((p) => p.slice(root.length + 1))).toEqual([]);
});
