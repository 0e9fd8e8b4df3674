/**
 * Text tables are bounded before layout (util/table.ts): cli-table3's layout is superlinear in a
 * cell's size (a multi-line cell: lines × characters²), so every cell is cut first.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../helpers/cli.js';
import { boundCell, boundedTable, MAX_CELL_CHARS, MAX_CELL_LINES, MAX_LINE_CHARS } from '../../src/util/table.js';

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
