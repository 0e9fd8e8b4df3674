/**
 * A line of no known layout is kept as a fragment only when knownMessage names it (logs/reader.ts
 * flush). Read from a chunk of ASCII bytes, the reader first asks knownMessage.firstLook over the
 * line's bytes (a typed array is cheaper to read than the string), and asks the test itself only
 * where that look does not rule the line out. Checked against the reader as it was before, the
 * test asked of every fragment: the same events and the same summary on the corpus of real pastes
 * and on lines of noise around known messages under every wrapper the reader takes off.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { feedStream, lineContext, LogLineReader, type LogEvent, type LogSummary } from '../../src/logs/index.js';
import { knownMessage } from '../../src/rules/index.js';
import { LiteralScan } from '../../src/util/literal-scan.js';

const PASTES = join(__dirname, '..', 'fixtures', 'logs', 'pastes');

/** Reads `text` as a file's bytes in chunks of `chunk` bytes (the chunk ends fall anywhere), with this test. */
async function read(text: string, known: typeof knownMessage | ((t: string) => boolean), chunk = 65536): Promise<{ events: LogEvent[]; summary: LogSummary }> {
  const buf = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  const events: LogEvent[] = [];
  const reader = new LogLineReader('x.log', lineContext({ tz: 'UTC', now: Date.UTC(2026, 10, 21), knownMessage: known }), (ev) => events.push(ev));
  await feedStream(Readable.from(parts), reader);
  reader.end();
  return { events, summary: reader.summary };
}

/** The test alone, without its first look: the reader as it was. */
const testOnly = (t: string): boolean => knownMessage(t);

async function same(text: string, chunk?: number): Promise<void> {
  const was = await read(text, testOnly, chunk);
  const now = await read(text, knownMessage, chunk);
  expect(JSON.stringify(now.events)).toBe(JSON.stringify(was.events));
  expect(JSON.stringify(now.summary)).toBe(JSON.stringify(was.summary));
}

describe('knownMessage.firstLook in the log reader', () => {
  it('reads every paste of the corpus as the test alone does', async () => {
    const files = readdirSync(PASTES).filter((f) => f.endsWith('.txt'));
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) await same(readFileSync(join(PASTES, f), 'utf8'));
  });

  it('reads noise around known messages, wrapped, numbered, cut and continued, as the test alone does', async () => {
    // real known messages (mod_jk, Tomcat, httpd) and lines of noise, under the wrappers unwrap.ts takes off
    const known = [
      'connecting to backend failed. Tomcat is probably not started or is listening on the wrong port (errno=111)',
      'The AJP Connector is configured with secretRequired="true" but the secret attribute is either null or "". This combination is not valid.',
      'Connector [AJP/1.3-8009] does not support external executors. Method setExecutor(java.util.concurrent.Executor) not found.',
      'does not',
      'support external executors',
      'AJP13 protocol: Reuse is set to false',
    ];
    const noise = ['2026-11-21 08:00:00,000 - app.worker - INFO - processed job 0 in 0 ms (queue=0)', '{"ts":"2026-11-21T08:00:00.000Z","level":"debug","msg":"cache miss"}', 'plain words of no log at all', '   at com.example.Foo.bar(Foo.java:12)', '\tat org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:198)', 'Caused by: java.net.ConnectException: Connection refused', '初始化组件 [Connector', ''];
    const wrap = [
      (l: string) => l,
      (l: string) => `Nov 21 08:00:00 web1 catalina.sh[123]: ${l}`,
      (l: string) => `2026-11-21T08:00:00.123456789Z ${l}`,
      (l: string) => `web_1  | ${l}`,
      (l: string) => `12: ${l}`,
      (l: string) => `\`${l}\``,
      (l: string) => l.replace(/"/g, '&quot;'),
      (l: string) => `**${l}**`,
      (l: string) => `${l}   `,
      (l: string) => `${l}\r`,
      (l: string) => `> ${l}`,
      (l: string) => l.toUpperCase(),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...known, ...noise, ...noise), fc.nat(wrap.length - 1), fc.nat(40)), { maxLength: 24 }),
        fc.constantFrom(7, 64, 65536),
        async (lines, chunk) => {
          // (a cut inside a known message now and then: the wrap-join path)
          const text = lines.map(([l, w, cut]) => (cut < 3 && l.length > 20 ? `${wrap[w](l.slice(0, 20 + cut))}\n${l.slice(20 + cut)}` : wrap[w](l))).join('\n');
          await same(text, chunk);
        },
      ),
      { numRuns: 400, seed: 14 },
    );
  });

  it('rules lines out: the test is asked of few lines of noise', async () => {
    let asked = 0;
    const counting = Object.assign((t: string) => (asked++, knownMessage(t)), { firstLook: knownMessage.firstLook });
    const text = Array.from({ length: 200 }, (_, i) => `2026-11-21 08:00:00,${String(i).padStart(3, '0')} - app.worker - INFO - processed job #${i}`).join('\n') + '\n';
    const { summary } = await read(text, counting);
    expect(summary.unrecognised).toBe(200);
    expect(asked).toBe(0);
  });
});

describe('LiteralScan.mayOccurBytes', () => {
  it('answers as mayOccur over the Latin-1 text of any bytes and range', () => {
    const lits = ['connect to ', 'Connecting to tom', 'tomcat failed', 'ab', 'abc', 'b(c', ' 50', 'errno=111', 'é', 'does not\nsupport'];
    const s = new LiteralScan(lits);
    const alphabet = fc.constantFrom(...[...'connect toCONNECTabB(5019=x\t-\n'].map((c) => c.charCodeAt(0)), 0xe9, 0x80, 0xff, 0);
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), fc.nat(), fc.nat(), (codes, a, b) => {
        const bytes = Uint8Array.from(codes);
        const text = Buffer.from(bytes).toString('latin1');
        const from = codes.length === 0 ? 0 : a % codes.length;
        const to = from + (codes.length === 0 ? 0 : b % (codes.length - from + 1));
        expect(s.mayOccurBytes(bytes, from, to), JSON.stringify(text.slice(from, to))).toBe(s.mayOccur(text, from, to));
      }),
      { numRuns: 3000, seed: 14 },
    );
  });
});
