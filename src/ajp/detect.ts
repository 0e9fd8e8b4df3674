/**
 * Content detection: is this TCP stream AJP13 even though it is not on an `--ajp-port`?
 * A web server's first packet starts `12 34`, a plausible length and a request code whose message
 * decodes (FORWARD_REQUEST or CPING); a container's starts "AB" and a response code. Which side is the
 * web server follows from the magic, not from who opened the connection.
 */
import { HEADER_LENGTH, MAGIC_CONTAINER, MAGIC_WEB_SERVER } from './constants.js';
import { plausibleMessage } from './decode.js';
import type { AjpSide } from './types.js';

export type Detection = AjpSide | 'no' | 'need-more';

/** Judge the first bytes of one direction. `final` = no more bytes will come for this decision. */
export function looksLikeAjp(first: Buffer, final = false): Detection {
  if (first.length < HEADER_LENGTH) return final ? 'no' : first.length >= 2 && !magicPrefix(first) ? 'no' : 'need-more';
  const magic = first.readUInt16BE(0);
  if (magic !== MAGIC_WEB_SERVER && magic !== MAGIC_CONTAINER) return 'no';
  const length = first.readUInt16BE(2);
  if (length === 0) return 'no';
  if (first.length < HEADER_LENGTH + length) return final || first.length >= 0x10003 ? 'no' : 'need-more';
  const side: AjpSide = magic === MAGIC_WEB_SERVER ? 'web-server' : 'container';
  return plausibleMessage(first.subarray(HEADER_LENGTH, HEADER_LENGTH + length), length, side) ? side : 'no';
}

function magicPrefix(b: Buffer): boolean {
  const m = b.readUInt16BE(0);
  return m === MAGIC_WEB_SERVER || m === MAGIC_CONTAINER;
}
