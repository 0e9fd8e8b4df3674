/** logs/dialects/tomcat.ts: how much of a stack trace a Tomcat event keeps (MAX_TRACE_HEAD). */
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../../../src/logs/index.js';
import { MAX_TRACE_HEAD } from '../../../src/logs/dialects/tomcat.js';
import { listenerFailureIn } from '../../../src/rules/signals.js';

const HEAD = '21-Nov-2026 10:00:00.123 SEVERE [main] org.apache.catalina.core.StandardService.initInternal Failed to initialize connector [Connector[AJP/1.3-8009]]';
const NEXT = '21-Nov-2026 10:00:01.000 INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [10] milliseconds';

/** A trace: the connector's exception, `levels` wrapping causes of 3 lines each, then the root cause and `frames` frames of it. */
function trace(levels: number, frames: number): string[] {
  const lines = ['org.apache.catalina.LifecycleException: Failed to initialize component [Connector[AJP/1.3-8009]]', '\tat org.apache.catalina.util.LifecycleBase.init(LifecycleBase.java:139)'];
  for (let i = 0; i < levels; i++) lines.push(`Caused by: java.lang.RuntimeException: level ${i}`, `\tat x.Y${i}.z(Y.java:${i})`, `\t... ${i + 3} more`);
  lines.push('Caused by: java.net.BindException: Address already in use');
  for (let i = 0; i < frames; i++) lines.push(`\tat sun.nio.ch.Net.bind${i}(Net.java:${i})`);
  lines.push(`\t... ${levels + 3} more`);
  return lines;
}

function read(lines: string[]) {
  const { events } = parseLogText([HEAD, ...lines, NEXT].join('\n') + '\n', { path: 'catalina.out', tz: 'UTC' });
  expect(events).toHaveLength(2);
  return events[0];
}

describe('a Tomcat stack trace', () => {
  it('is kept whole up to MAX_TRACE_HEAD characters', () => {
    const lines = trace(100, 40);
    const ev = read(lines);
    expect(ev.text).toBe([HEAD, ...lines].join('\n'));
    expect(ev.message.split('\n').slice(1)).toEqual(lines.map((l) => l.trim()));
  });

  it('past it: the head, the exception lines before the last lines, the last lines, and how many were left out', () => {
    // 20,000 levels (~800 KB); the root cause has more frames than the last lines kept
    const lines = trace(20_000, 40);
    const ev = read(lines);
    const whole = [HEAD, ...lines].join('\n');
    expect(ev.text.length).toBeLessThan(MAX_TRACE_HEAD + 40_000);
    // the head as it was
    const note = ev.text.indexOf('\n\t[');
    expect(note).toBeGreaterThan(MAX_TRACE_HEAD - 200);
    expect(whole.startsWith(ev.text.slice(0, note))).toBe(true);
    // then the note, the last `Caused by` lines (the root cause among them) and the trace's end
    const kept = ev.text.slice(note + 1).split('\n');
    const left = Number(/^\t\[(\d+) lines of this trace not kept by ajp-inspect/.exec(kept[0])![1]);
    const headLines = ev.text.slice(0, note).split('\n').length - 1;
    expect(left + kept.length - 1 + headLines).toBe(lines.length);
    expect(kept.slice(-32)).toEqual(lines.slice(-32));
    const causes = kept.slice(1, -32);
    expect(causes).toHaveLength(16);
    expect(causes.at(-1)).toBe('Caused by: java.net.BindException: Address already in use');
    expect(causes[0]).toBe(`Caused by: java.lang.RuntimeException: level ${20_000 - 15}`);
    // what the rules read: the root cause in the text and message, the innermost exception's class
    expect(listenerFailureIn(ev.text)).toBe('in-use');
    expect(ev.message).toContain('\nCaused by: java.net.BindException: Address already in use\nat sun.nio.ch.Net.bind9(Net.java:9)');
    expect(ev.fields.exception).toBe('java.net.BindException');
  });
});
