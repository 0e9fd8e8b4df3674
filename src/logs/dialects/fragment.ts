/**
 * Fragments: text that no layout recognises — a bare message copied without its stamp, an exception
 * flattened onto one line or only its `Caused by:`, a line of a logger layout we do not parse, lines
 * a forum wrapped. The rules still recognise the catalogue's messages in them (wherever they stand);
 * what a fragment cannot give is a time, a level or a process, so findings built on fragments say so.
 */
import type { LogEvent } from '../types.js';
import { newEvent } from './common.js';
import { tomcatFields } from './tomcat.js';

/** A fragment event: `text` and `message` are the line under its wrappers; `fields.lines` counts its physical lines. */
export function fragmentEvent(body: string): LogEvent {
  const ev = newEvent('fragment', body, body);
  ev.fields.lines = 1;
  return ev;
}

/** Completes a fragment that is kept: the facts its text names (connector, port, signature…), read once. */
export function finishFragment(ev: LogEvent): void {
  if (ev.text.indexOf('[') >= 0) tomcatFields(ev.text, ev.fields);
}

/**
 * The next unrecognised line of the same paragraph: a line a forum or mail client cut (the message
 * goes on), so it is joined as the line was before the cut: with a blank, without one in CJK text.
 */
export function appendFragmentLine(ev: LogEvent, body: string, sep = ' '): void {
  // (a blank the cut line kept at its end, as format=flowed keeps it, is the separator's)
  ev.text = `${ev.text.trimEnd()}${sep}${body}`;
  ev.message = ev.text;
  ev.fields.lines = Number(ev.fields.lines ?? 1) + 1;
}
