/**
 * logs/dialects/modjk.ts: a JkRequestLog line's %T is read as mod_jk writes it, seconds '.' six
 * digits of microseconds (mod_jk.c jk_handler, "%.1ld.%.6ld"); a number of another shape is no %T.
 */
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../../../src/logs/index.js';

function seconds(duration: string): unknown {
  const line = `[Thu Mar 09 16:41:25 2023] lb GET /app/ 200 ${duration}`;
  const { events } = parseLogText(`${line}\n`, { path: 'jk_request.log', tz: 'UTC' });
  expect(events).toHaveLength(1);
  expect(events[0]!.dialect).toBe('jk-request');
  return events[0]!.fields.seconds;
}

describe('JkRequestLog %T', () => {
  it('reads the durations mod_jk writes: half a second is 0.500000, twelve seconds and 123 µs 12.000123', () => {
    expect(seconds('0.500000')).toBe(0.5);
    expect(seconds('12.000123')).toBe(12.000123);
    expect(seconds('0.000042')).toBe(0.000042);
  });
  it('does not take a number mod_jk never writes for %T (0.5, 12) as a duration', () => {
    expect(seconds('0.5')).toBeUndefined();
    expect(seconds('12')).toBeUndefined();
  });
});
