/** cli/usage.ts probe: the option names a command declares, read by a recorder, are yargs' own. */
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { commands } from '../../src/cli/commands/index.js';
import { applyOptions, positionalNames } from '../../src/cli/options.js';
import { probe, spellings } from '../../src/cli/usage.js';

describe('usage probe', () => {
  for (const c of commands) {
    const name = spellings(c)[0]!;
    it(`${name}: the same names and valued options as a scratch yargs instance sees`, () => {
      const y = yargs([]);
      c.builder(applyOptions(y, c.options ?? []));
      const view = (y as unknown as { getOptions(): { key: Record<string, unknown>; boolean: string[] } }).getOptions();
      const positional = new Set(spellings(c).flatMap(positionalNames));
      const names = Object.keys(view.key).filter((k) => !positional.has(k) && k !== 'help' && k !== 'version');
      const booleans = new Set(view.boolean);
      const p = probe(c);
      expect([...p.names].sort()).toEqual(names.sort());
      expect([...p.valued].sort()).toEqual(names.filter((n) => !booleans.has(n)).sort());
      expect(p.names.size).toBeGreaterThan(3);
    });
  }
});
