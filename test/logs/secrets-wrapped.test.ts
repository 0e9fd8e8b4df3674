/**
 * Issue 15: a mod_jk debug log's jk_map property dump (jk_map.c jk_map_read_property() "Adding
 * property '%s' with value '%s' to map.", jk_map_dump() "'%s' -> '%s'") pasted with its lines
 * wrapped — also where the wrap cuts the word `secret` itself — or with CR-only line ends: the
 * `worker.x.secret` value is collected and scrubbed from every output (diagnose text and JSON,
 * through the built CLI), whatever the reader makes of the pieces (unrecognised-line samples,
 * re-joined evidence text).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, useTempDirs } from '../helpers/cli.js';

const tmp = useTempDirs('ajp-inspect-secrets-wrapped-');
const VALUE = 'Xq7-value-1';
const head = '[Sat Nov 21 10:52:24.905 2026] [23695:140195645757312] [debug] ';
const add = `${head}jk_map_read_property::jk_map.c (500): Adding property 'worker.w1.secret' with value '${VALUE}' to map.`;
const dump = `${head}jk_map_dump::jk_map.c (598): Dump of map 2: 'worker.w1.secret' -> '${VALUE}'`;
// a line the rules read, so that the run has findings and evidence around the dump
const other = `${head}ajp_unmarshal_response::jk_ajp_common.c (735): (w1) status = 403`;

/** `line` cut after `at` characters (a hard wrap, no blank kept). */
const cut = (line: string, at: number): string => `${line.slice(0, at)}\n${line.slice(at)}`;

const cases: [string, string][] = [
  ['wrap in the middle of "secret" (dump)', cut(dump, dump.indexOf('secret') + 3)],
  ['wrap in the middle of "secret" (property)', cut(add, add.indexOf('secret') + 2)],
  ['wrap before the value', cut(dump, dump.indexOf(`'${VALUE}`))],
  ['wrap inside the value', cut(add, add.indexOf(VALUE) + 4)],
  ['CR-only line ends, wrapped in "secret"', [other, cut(dump, dump.indexOf('secret') + 3), other].join('\n').replace(/\n/g, '\r')],
  ['CRLF line ends, wrapped in "secret"', [other, cut(add, add.indexOf('secret') + 4), other].join('\n').replace(/\n/g, '\r\n')],
  ['wrapped, indented and quoted like a mail', `> ${dump.slice(0, dump.indexOf('secret') + 3)}\n>    ${dump.slice(dump.indexOf('secret') + 3)}`],
  // fuzz log:7653: a paste with grep -n style line numbers and ** quote marks on the continuation
  ['wrapped in "secret", behind a line-number gutter and quote marks', `19: **${dump.slice(0, dump.indexOf('secret') + 4)}\n20: **${dump.slice(dump.indexOf('secret') + 4)}`],
];

describe('jk_map secret values in wrapped or CR-only pastes', () => {
  for (const [what, body] of cases) {
    it(what, () => {
      const dir = tmp();
      const file = join(dir, 'mod_jk.log');
      writeFileSync(file, `${other}\n${body}\n${other}\n`);
      for (const fmt of ['json', 'text']) {
        const r = runCli(['diagnose', file, '-T', fmt, '--log-tz', 'UTC']);
        expect(r.code === 0 || r.code === 1, r.err).toBe(true);
        expect(r.out + r.err).not.toContain(VALUE);
        expect(r.out.length).toBeGreaterThan(0);
      }
    });
  }
});
