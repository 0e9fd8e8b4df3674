/**
 * A standalone copy of an event, for the few events a caller keeps past the read (issue 14: logs
 * streamed). An event read from a chunk holds slices of it: `text` (or, for a jk line, the chunk
 * itself and offsets), `message`, `fields` and `source` values are substrings, and V8 keeps a
 * substring of 13 characters or more as a view of its parent, so one kept event would keep its
 * whole decoded chunk (a MiB) alive. The copy owns flat strings and nothing else.
 */
import type { LogEvent } from './types.js';
import { JkLogEvent } from './dialects/modjk.js';
import { flatCopy } from './dialects/head.js';

/** A string that shares no storage with a larger one. */
export const ownString: (s: string) => string = flatCopy;

function ownValue<T>(v: T): T {
  return (typeof v === 'string' ? ownString(v) : v) as T;
}

/**
 * The event as one whose strings are its own: a jk line stays a compact JkLogEvent over its own
 * text (`text`, when given, is that text already as an own string: identical lines share it), other
 * lines become plain objects.
 */
export function keepEvent(ev: LogEvent, text?: string): LogEvent {
  if (ev instanceof JkLogEvent) return ev.detached(text ?? ownString(ev.text));
  const fields: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(ev.fields)) fields[k] = ownValue(v);
  const out: LogEvent = { path: ev.path, line: ev.line, text: text ?? ownString(ev.text), dialect: ev.dialect, message: ownString(ev.message), fields };
  if (ev.ts !== undefined) out.ts = ev.ts;
  if (ev.level !== undefined) out.level = ev.level;
  if (ev.pid !== undefined) out.pid = ev.pid;
  if (ev.tid !== undefined) out.tid = ownString(ev.tid);
  const src = ev.source;
  if (src !== undefined) {
    const s: NonNullable<LogEvent['source']> = {};
    if (src.file !== undefined) s.file = ownString(src.file);
    if (src.line !== undefined) s.line = src.line;
    if (src.fn !== undefined) s.fn = ownString(src.fn);
    out.source = s;
  }
  if (ev.worker !== undefined) out.worker = ownString(ev.worker);
  if (ev.requestId !== undefined) out.requestId = ownString(ev.requestId);
  if (ev.module !== undefined) out.module = ownString(ev.module);
  if (ev.version !== undefined) out.version = ownString(ev.version);
  return out;
}
