/**
 * The protocol verticals every capture analysis runs, in report order. A new protocol is one file
 * beside these (a `ProtocolVertical`) and one line here; nothing else names a protocol.
 */
import { ajpVertical } from './ajp.js';
import { mcmpVertical } from './mcmp.js';

export const verticals = [
  ajpVertical,
  mcmpVertical,
] as const;

export type { AjpSection } from './ajp.js';
