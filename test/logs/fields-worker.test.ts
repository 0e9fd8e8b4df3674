/**
 * `fieldsWorker` answers for a jk line without reading its fields: a jk line whose `worker` is unset
 * has no `fields.worker` either (modjk.ts fill reads the worker with the expressions jkFields uses, in
 * its order). Checked on every jk line of the bundled samples (real httpd + mod_jk runs), the
 * published excerpts and the pasted threads of test/fixtures/logs, and on other dialects' lines.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldsWorker, parseLogText } from '../../src/logs/index.js';

const ROOT = join(__dirname, '../..');
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : [join(dir, d.name)]));
}
const inputs = [...files(join(ROOT, 'samples')), ...files(join(ROOT, 'test/fixtures/logs'))].filter((p) => /\.(log|txt|out)$|_log$/.test(p));

describe('fieldsWorker', () => {
  it("is the event's fields.worker whenever its worker is unset, read or not", () => {
    let jk = 0;
    for (const path of inputs) {
      const { events } = parseLogText(readFileSync(path, 'utf8'), { path, tz: 'UTC' });
      for (const ev of events) {
        if (ev.worker) continue;
        // (asked first: the answer must not depend on the fields having been read)
        const got = fieldsWorker(ev);
        expect(got, `${path}:${ev.line} ${ev.text}`).toBe(ev.fields.worker);
        if (ev.dialect === 'modjk' || ev.dialect === 'isapi') jk++;
      }
    }
    expect(jk).toBeGreaterThan(500);
  });
});
