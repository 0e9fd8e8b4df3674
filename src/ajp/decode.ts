/**
 * AJP13 message decoders: bytes of one packet → an `AjpMessage` value. Never throws on input:
 * a packet that cannot be read becomes MALFORMED (or UNKNOWN for an unknown prefix code) with a reason.
 *
 * Layouts: ajpv13a.xml (Tomcat Connectors docs); parse order as Tomcat's
 * `AjpProcessor.prepareRequest` (request) and mod_jk's `ajp_unmarshal_response` (response).
 * Strings are `len(2) bytes[len] NUL`, `len = 0xFFFF` is a null string with no NUL
 * (AjpMessage.doGetBytes / jk_b_get_string). Text is decoded as latin1 so every byte survives.
 */
import {
  AJP14_CODES,
  ATTRIBUTE_NAMES,
  Attr,
  Code,
  MAGIC_AJP14,
  MAGIC_CONTAINER,
  MAGIC_WEB_SERVER,
  METHODS,
  METHOD_STORED,
  REQUEST_HEADERS,
  RESPONSE_HEADERS,
} from './constants.js';
import type {
  AjpAttribute,
  AjpHeader,
  AjpMessage,
  AjpSide,
  CodeOnly,
  CutBy,
  DataPacket,
  ForwardRequest,
  MalformedMessage,
  RawPacket,
  SendHeaders,
} from './types.js';
import { PacketView, payloadByte, payloadLength } from './view.js';

/**
 * Read position over one payload; `fail` records the first overrun instead of throwing.
 * A field's name for an error message comes in parts (`what`, `mid`, `tail`), joined only when an
 * error is reported: building "request header accept value length" for every field of every packet
 * cost more than reading the field.
 */
class Cursor {
  /** Position in the payload (payload offset 0 is buf[base]), and the payload's length. */
  pos = 0;
  error: string | null = null;
  private readonly buf: Buffer;
  private readonly base: number;
  readonly len: number;
  /**
   * Over a packet's payload, read in place when the packet is the framer's view of a chunk (its
   * `payload` would be a Buffer view made for each FORWARD_REQUEST and SEND_HEADERS: view.ts).
   */
  constructor(raw: RawPacket) {
    if (raw instanceof PacketView) {
      this.buf = raw.buf;
      this.base = raw.start;
      this.len = raw.end - raw.start;
    } else {
      this.buf = raw.payload;
      this.base = 0;
      this.len = this.buf.length;
    }
  }

  private need(n: number, what: string, mid = '', tail = '', end = ''): boolean {
    if (this.error !== null) return false;
    if (this.pos + n > this.len) {
      this.error = `${what}${mid}${tail}${end} needs ${n} byte(s) at payload offset ${this.pos}, only ${this.len - this.pos} left`;
      return false;
    }
    return true;
  }
  byte(what: string): number {
    if (!this.need(1, what)) return 0;
    return this.buf[this.base + this.pos++]!;
  }
  int(what: string, mid = '', tail = '', end = ''): number {
    if (!this.need(2, what, mid, tail, end)) return 0;
    const at = this.base + this.pos;
    const v = (this.buf[at]! << 8) | this.buf[at + 1]!;
    this.pos += 2;
    return v;
  }
  peekInt(): number {
    if (this.pos + 2 > this.len) return -1;
    const at = this.base + this.pos;
    return (this.buf[at]! << 8) | this.buf[at + 1]!;
  }
  /** AJP string named `${what}${mid}${tail}`; `issues` collects a missing NUL terminator. */
  string(what: string, issues: string[], mid = '', tail = ''): string | null {
    const len = this.int(what, mid, tail, ' length');
    if (this.error !== null) return null;
    if (len === 0xffff) return null;
    if (!this.need(len + 1, what, mid, tail)) return null;
    const at = this.base + this.pos;
    const s = latin1(this.buf, at, at + len);
    if (this.buf[at + len] !== 0) issues.push(`${what}${mid}${tail}: no NUL after the string`);
    this.pos += len + 1;
    return s;
  }
}

/** Longest string latin1() looks up among the ones decoded before (longer ones are rarely repeated). */
const INTERN_MAX = 48;
/** Slots of that cache: a power of two (a string's slot is a hash of its bytes). */
const INTERN_SLOTS = 4096;
/** The string last decoded into each slot ('' at first, which is also the empty string's answer). */
const interned: string[] = new Array<string>(INTERN_SLOTS).fill('');

/**
 * `buf[start, end)` as latin1 text. A short string is looked up by its bytes among the ones decoded
 * before: the protocol, addresses, server name, method-like values and most header values repeat on
 * every request of a connection and across connections, and each new copy was an allocation that a
 * cycle kept past a scavenge or two (then copied into the old generation). A hash of the bytes
 * names one slot; the string there is returned when its characters are the same bytes, else the
 * bytes are decoded and take the slot. The answer is the same text either way (latin1 maps each
 * byte to the code unit of the same value), so nothing else can tell.
 */
function latin1(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  if (n > INTERN_MAX) return buf.toString('latin1', start, end);
  let h = n;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  const slot = (h ^ (h >>> 15)) & (INTERN_SLOTS - 1);
  const s = interned[slot]!;
  if (s.length === n) {
    let i = 0;
    while (i < n && s.charCodeAt(i) === buf[start + i]) i++;
    if (i === n) return s;
  }
  const t = buf.toString('latin1', start, end);
  interned[slot] = t;
  return t;
}

/*
 * Messages list their fields explicitly (type, side, magic, length, frames, ts, offset, then their
 * own): a spread of a shared base object after `type` took V8's slow generic path on every packet.
 */
export function malformed(raw: RawPacket, side: AjpSide, code: number | null, reason: string): MalformedMessage {
  return { type: 'MALFORMED', side, magic: raw.magic, length: raw.length, frames: raw.frames, ts: raw.ts, offset: raw.offset, code, reason };
}

function hex(n: number, width = 2): string {
  return '0x' + n.toString(16).toUpperCase().padStart(width, '0');
}

/** Magic expected from a side; a packet with the other side's magic is still decoded (mod_proxy_ajp accepts either, ajp_msg.c). */
export function expectedMagic(side: AjpSide): number {
  return side === 'web-server' ? MAGIC_WEB_SERVER : MAGIC_CONTAINER;
}

const scratchIssues: string[] = [];

/** Why a packet is shorter than its header says, in words that do not blame the capture for what the sender never sent. */
function cutShort(have: number, want: number, cutBy: CutBy | undefined): string {
  if (cutBy === 'close') return `incomplete packet: the connection was closed (FIN/RST) after ${have} of ${want} payload bytes; the sender never sent the rest`;
  if (cutBy === 'capture-end') return `packet cut short: the capture ends after ${have} of ${want} payload bytes`;
  return `packet cut short: ${have} of ${want} payload bytes captured`;
}

/**
 * Decode one packet. `asBody` says the connection state expects a request body packet here
 * (web server side only): body packets carry no prefix code, so only state can tell (ajpv13a.xml).
 */
export function decodePacket(raw: RawPacket, side: AjpSide, asBody = false): AjpMessage {
  if (raw.magic === MAGIC_AJP14 && !raw.truncated && raw.payload.length > 0 && AJP14_CODES[raw.payload[0]!] !== undefined) {
    // mod_jk's ajp14 worker (jk_ajp14.c): same framing, magic 0x1235 both ways. Named, not decoded.
    const code = raw.payload[0]!;
    return { type: 'UNKNOWN', side, magic: raw.magic, length: raw.length, frames: raw.frames, ts: raw.ts, offset: raw.offset, code, name: AJP14_CODES[code]!, reason: `AJP14 ${AJP14_CODES[code]} (magic 0x1235): not AJP13; Tomcat rejects it as an invalid signature` };
  }
  if (raw.magic !== MAGIC_WEB_SERVER && raw.magic !== MAGIC_CONTAINER) {
    const why =
      raw.magic === MAGIC_AJP14
        ? 'AJP14 magic 0x1235 (mod_jk ajp14 worker); Tomcat rejects it as an invalid signature'
        : `bad magic ${hex(raw.magic, 4)} ("${printable(raw.magic)}"): not AJP13`;
    return malformed(raw, side, null, why);
  }
  if (raw.truncated) {
    // Read through payloadLength / payloadByte: a body chunk cut short may have had its data counted, not kept (view.ts ElidedPacket).
    const have = payloadLength(raw);
    const code = have > 0 && !asBody ? payloadByte(raw, 0)! : null;
    // The sender closed the connection mid-packet (the web server resetting a download it gave up on):
    // the rest was never sent, so this is an incomplete SEND_BODY_CHUNK, not damage in the capture.
    if (raw.cutBy === 'close' && side === 'container' && code === Code.SEND_BODY_CHUNK && raw.magic === MAGIC_CONTAINER && have >= 3) {
      const chunkLength = (payloadByte(raw, 1)! << 8) | payloadByte(raw, 2)!;
      return {
        type: 'SEND_BODY_CHUNK', side, magic: raw.magic, length: raw.length, frames: raw.frames, ts: raw.ts, offset: raw.offset,
        chunkLength, flush: chunkLength === 0, trailingNul: false,
        incomplete: { received: Math.min(chunkLength, have - 3), cutBy: 'close' },
      };
    }
    const m = malformed(raw, side, code, cutShort(have, raw.length, raw.cutBy));
    m.truncated = true;
    if (raw.cutBy !== undefined) m.cutBy = raw.cutBy;
    return m;
  }
  // One working list for every packet (decodePacket is not re-entered): a message keeps a copy only
  // when it has issues, so a clean packet allocates no array.
  const issues = scratchIssues;
  // Empty already unless a decode threw half-way: setting the length is a runtime call per packet.
  if (issues.length !== 0) issues.length = 0;
  if (raw.magic !== expectedMagic(side)) issues.push(`magic ${hex(raw.magic, 4)} sent by the ${side}`);
  const msg = side === 'web-server' ? decodeFromWebServer(raw, asBody, issues) : decodeFromContainer(raw, issues);
  if (issues.length > 0) {
    if (msg.type !== 'MALFORMED') msg.issues = issues.splice(0);
    else issues.length = 0;
  }
  return msg;
}

function printable(magic: number): string {
  return [magic >> 8, magic & 0xff].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
}

function decodeFromWebServer(raw: RawPacket, asBody: boolean, issues: string[]): AjpMessage {
  if (asBody) return decodeBody(raw, issues);
  if (payloadLength(raw) === 0) return malformed(raw, 'web-server', null, 'empty packet where a message was expected (Tomcat: 400/500 and close)');
  const code = payloadByte(raw, 0)!;
  switch (code) {
    case Code.FORWARD_REQUEST:
      return decodeForwardRequest(raw, issues);
    case Code.CPING:
    case Code.SHUTDOWN:
    case Code.PING:
      return codeOnly(raw, 'web-server', code === Code.CPING ? 'CPING' : code === Code.SHUTDOWN ? 'SHUTDOWN' : 'PING', issues);
    default:
      return unknown(raw, 'web-server', code);
  }
}

function unknown(raw: RawPacket, side: AjpSide, code: number): AjpMessage {
  const name = AJP14_CODES[code] ?? null;
  const reason = name
    ? `AJP14 code ${hex(code)} (${name}); not AJP13`
    : `prefix code ${hex(code)} is not an AJP13 ${side === 'web-server' ? 'request' : 'response'} code`;
  return { type: 'UNKNOWN', side, magic: raw.magic, length: raw.length, frames: raw.frames, ts: raw.ts, offset: raw.offset, code, name, reason };
}

function codeOnly(raw: RawPacket, side: AjpSide, type: CodeOnly['type'], issues: string[]): CodeOnly {
  const n = payloadLength(raw);
  if (n > 1) issues.push(`${n - 1} byte(s) after the prefix code`);
  return { type, side, magic: raw.magic, length: raw.length, frames: raw.frames, ts: raw.ts, offset: raw.offset };
}

/** Request body packet: `CHUNKLEN(2) data`; empty forms `12 34 00 00` and `12 34 00 02 00 00`. */
export function decodeBody(raw: RawPacket, issues: string[] = []): DataPacket {
  const n = payloadLength(raw);
  if (n === 0) return { type: 'DATA', side: 'web-server', magic: raw.magic, length: raw.length, frames: raw.frames, ts: raw.ts, offset: raw.offset, chunkLength: null, empty: true };
  if (n === 1) {
    issues.push('1-byte body packet has no complete chunk length');
    return { type: 'DATA', side: 'web-server', magic: raw.magic, length: raw.length, frames: raw.frames, ts: raw.ts, offset: raw.offset, chunkLength: null, empty: false, issues };
  }
  const chunkLength = (payloadByte(raw, 0)! << 8) | payloadByte(raw, 1)!;
  if (chunkLength !== n - 2) issues.push(`chunk length ${chunkLength} but ${n - 2} data byte(s) in the packet`);
  const msg: DataPacket = { type: 'DATA', side: 'web-server', magic: raw.magic, length: raw.length, frames: raw.frames, ts: raw.ts, offset: raw.offset, chunkLength, empty: chunkLength === 0 };
  if (issues.length > 0) msg.issues = issues;
  return msg;
}

/** Field names for error messages, per header list (see Cursor). */
const HEADER_LABELS = {
  request: { code: 'request header code', name: 'request header name', value: 'request header ' },
  response: { code: 'response header code', name: 'response header name', value: 'response header ' },
} as const;

function decodeHeaders(c: Cursor, count: number, table: readonly (string | undefined)[], what: 'request' | 'response', issues: string[]): AjpHeader[] {
  const headers: AjpHeader[] = [];
  const label = HEADER_LABELS[what];
  for (let i = 0; i < count && c.error === null; i++) {
    const word = c.peekInt();
    let name: string;
    let code: number | undefined;
    // Coded when the first word is 0xA0xx (Tomcat AjpProcessor.prepareRequest: (word & 0xFF00) == 0xA000).
    if (word >= 0 && (word & 0xff00) === 0xa000) {
      c.int(label.code);
      code = word;
      const known = table[word & 0xff];
      if (known === undefined) {
        name = `unknown-${hex(word, 4)}`;
        issues.push(`${what} header code ${hex(word, 4)} is invalid (Tomcat: 500; mod_jk/mod_proxy_ajp: bad header)`);
      } else name = known;
    } else {
      const s = c.string(label.name, issues);
      name = s ?? '';
      if (s === null && c.error === null) issues.push(`${what} header name is a null string`);
    }
    const value = c.string(label.value, issues, name, ' value');
    if (c.error === null) headers.push(code === undefined ? { name, value } : { name, value, code });
  }
  return headers;
}

function decodeForwardRequest(raw: RawPacket, issues: string[]): AjpMessage {
  const c = new Cursor(raw);
  c.byte('prefix code');
  const methodCode = c.byte('method');
  const protocol = c.string('protocol', issues);
  const uri = c.string('req_uri', issues);
  const remoteAddr = c.string('remote_addr', issues);
  const remoteHost = c.string('remote_host', issues);
  const serverName = c.string('server_name', issues);
  const serverPort = c.int('server_port');
  const isSsl = c.byte('is_ssl') !== 0;
  const nHeaders = c.int('num_headers');
  const headers = decodeHeaders(c, nHeaders, REQUEST_HEADERS, 'request', issues);
  const attributes: AjpAttribute[] = [];
  if (c.error === null) {
    // Attribute loop as Tomcat's: until are_done (0xFF); running out of bytes first is an error there.
    for (;;) {
      const at = c.pos;
      const code = c.byte('attribute code (list not terminated by 0xFF)');
      if (c.error !== null || code === Attr.ARE_DONE) break;
      if (code === Attr.REQ_ATTRIBUTE) {
        const n = c.string('req_attribute name', issues);
        const v = c.string('req_attribute ', issues, n ?? '', ' value');
        if (c.error === null) attributes.push({ code, name: n ?? '', value: v, request: true });
      } else if (code === Attr.SSL_KEY_SIZE) {
        const v = c.int('ssl_key_size');
        if (c.error === null) attributes.push({ code, name: 'ssl_key_size', value: v });
      } else if (ATTRIBUTE_NAMES[code] !== undefined) {
        const name = ATTRIBUTE_NAMES[code]!;
        const v = c.string(name, issues);
        if (c.error === null) attributes.push({ code, name, value: v });
      } else {
        // Tomcat ignores an unknown code without consuming a value (AjpProcessor.prepareRequest default
        // branch), so what follows cannot be parsed reliably: say so rather than guess.
        issues.push(`unknown attribute code ${hex(code)} at payload offset ${at}; rest of the attribute list not parsed`);
        c.pos = c.len;
        break;
      }
    }
  }
  if (c.error !== null) return malformed(raw, 'web-server', Code.FORWARD_REQUEST, `FORWARD_REQUEST: ${c.error}`);
  if (c.pos < c.len) issues.push(`${c.len - c.pos} byte(s) after the attribute list`);

  let method: string | null = METHODS[methodCode] ?? null;
  let storedMethod: string | null = null;
  let query: string | null = null;
  for (const a of attributes) {
    if (a.code === Attr.STORED_METHOD) storedMethod = typeof a.value === 'string' ? a.value : null;
    else if (a.code === Attr.QUERY_STRING) query = typeof a.value === 'string' ? a.value : null;
  }
  if (methodCode === METHOD_STORED) {
    method = storedMethod;
    if (storedMethod === null) issues.push('method 0xFF (stored) but no stored_method attribute');
  } else if (method === null) issues.push(`method code ${methodCode} is invalid (Tomcat: "Method code [${methodCode}] was invalid", 500)`);

  let contentLength: number | null = null;
  let chunked = false;
  for (const h of headers) {
    // Only a name as long as one of the two can be one of them: no lowercased copy of every other name.
    const nameLength = h.name.length;
    if (nameLength !== 14 && nameLength !== 17) continue;
    const lower = h.code === undefined ? h.name.toLowerCase() : h.name;
    // Tomcat honours a string-named Content-Length exactly like the coded one (AjpProcessor.prepareRequest).
    if (lower === 'content-length') {
      const n = h.value !== null && /^\d+$/.test(h.value) ? Number(h.value) : NaN;
      if (Number.isNaN(n)) issues.push(`Content-Length "${h.value ?? 'null'}" is not a number (Tomcat: 400)`);
      else if (contentLength !== null && contentLength !== n) issues.push('duplicate Content-Length (Tomcat: 400)');
      else contentLength = n;
    } else if (lower === 'transfer-encoding' && h.value !== null && /chunked/i.test(h.value)) chunked = true;
  }

  const msg: ForwardRequest = {
    type: 'FORWARD_REQUEST',
    side: 'web-server',
    magic: raw.magic,
    length: raw.length,
    frames: raw.frames,
    ts: raw.ts,
    offset: raw.offset,
    methodCode,
    method,
    protocol,
    uri,
    remoteAddr,
    remoteHost,
    serverName,
    serverPort,
    isSsl,
    headers,
    attributes,
    query,
    contentLength,
    chunked,
  };
  return msg;
}

function decodeFromContainer(raw: RawPacket, issues: string[]): AjpMessage {
  const n = payloadLength(raw);
  if (n === 0) return malformed(raw, 'container', null, 'empty packet: no prefix code');
  const code = payloadByte(raw, 0)!;
  switch (code) {
    case Code.SEND_BODY_CHUNK: {
      if (n < 3) return malformed(raw, 'container', code, `SEND_BODY_CHUNK needs a chunk length, payload is ${n} byte(s)`);
      const chunkLength = (payloadByte(raw, 1)! << 8) | payloadByte(raw, 2)!;
      const rest = n - 3;
      // Tomcat writes data + NUL (AjpProcessor.writeData / AjpMessage.appendBytes); mod_jk only checks
      // CHUNKLEN <= len - 3, mod_proxy_ajp requires the NUL (ajp_header.c ajp_parse_data).
      if (chunkLength > rest) return malformed(raw, 'container', code, `SEND_BODY_CHUNK chunk length ${chunkLength} exceeds the ${rest} byte(s) in the packet`);
      const trailingNul = rest > chunkLength && payloadByte(raw, 3 + chunkLength) === 0;
      if (rest === chunkLength) issues.push('no NUL after the chunk data (mod_proxy_ajp rejects this)');
      else if (rest > chunkLength + 1) issues.push(`${rest - chunkLength - 1} byte(s) after the chunk data`);
      return { type: 'SEND_BODY_CHUNK', side: 'container', magic: raw.magic, length: raw.length, frames: raw.frames, ts: raw.ts, offset: raw.offset, chunkLength, flush: chunkLength === 0, trailingNul };
    }
    case Code.SEND_HEADERS:
      return decodeSendHeaders(raw, issues);
    case Code.END_RESPONSE: {
      if (n > 2) issues.push(`${n - 2} byte(s) after the reuse flag`);
      return { type: 'END_RESPONSE', side: 'container', magic: raw.magic, length: raw.length, frames: raw.frames, ts: raw.ts, offset: raw.offset, reuse: n >= 2 ? payloadByte(raw, 1)! : null };
    }
    case Code.GET_BODY_CHUNK: {
      if (n < 3) return malformed(raw, 'container', code, `GET_BODY_CHUNK needs a requested length, payload is ${n} byte(s)`);
      if (n > 3) issues.push(`${n - 3} byte(s) after the requested length`);
      return { type: 'GET_BODY_CHUNK', side: 'container', magic: raw.magic, length: raw.length, frames: raw.frames, ts: raw.ts, offset: raw.offset, requestedLength: (payloadByte(raw, 1)! << 8) | payloadByte(raw, 2)! };
    }
    case Code.CPONG:
      return codeOnly(raw, 'container', 'CPONG', issues);
    default:
      return unknown(raw, 'container', code);
  }
}

function decodeSendHeaders(raw: RawPacket, issues: string[]): AjpMessage {
  const c = new Cursor(raw);
  c.byte('prefix code');
  const status = c.int('status');
  const message = c.string('status message', issues);
  const n = c.int('num_headers');
  const headers = decodeHeaders(c, n, RESPONSE_HEADERS, 'response', issues);
  if (c.error !== null) return malformed(raw, 'container', Code.SEND_HEADERS, `SEND_HEADERS: ${c.error}`);
  if (c.pos < c.len) issues.push(`${c.len - c.pos} byte(s) after the headers`);
  const msg: SendHeaders = { type: 'SEND_HEADERS', side: 'container', magic: raw.magic, length: raw.length, frames: raw.frames, ts: raw.ts, offset: raw.offset, status, message, headers };
  return msg;
}

/**
 * Is this payload a plausible typed message from `side`? Used while resynchronising after a gap or a
 * mid-stream start: the lengths of fixed-size messages must match exactly, and a FORWARD_REQUEST or
 * SEND_HEADERS must decode cleanly.
 */
/**
 * Whether a packet of `side` may start with prefix code `code` at all (plausibleMessage's first
 * test, without the payload): resynchronisation rules a candidate out with it before waiting for the
 * bytes it claims.
 */
export function plausibleCode(code: number | undefined, side: AjpSide): boolean {
  if (side === 'web-server') return code === Code.CPING || code === Code.SHUTDOWN || code === Code.PING || code === Code.FORWARD_REQUEST;
  return code === Code.CPONG || code === Code.END_RESPONSE || code === Code.GET_BODY_CHUNK || code === Code.SEND_BODY_CHUNK || code === Code.SEND_HEADERS;
}

export function plausibleMessage(payload: Buffer, length: number, side: AjpSide): boolean {
  if (payload.length === 0) return false;
  const code = payload[0]!;
  if (side === 'web-server') {
    switch (code) {
      case Code.CPING:
      case Code.SHUTDOWN:
      case Code.PING:
        return length === 1;
      case Code.FORWARD_REQUEST: {
        const m = payload[1];
        if (m === undefined || !(m === METHOD_STORED || (m >= 1 && m < METHODS.length))) return false;
        return forwardRequestShape(payload);
      }
      default:
        return false;
    }
  }
  switch (code) {
    case Code.CPONG:
      return length === 1;
    case Code.END_RESPONSE:
      return length === 2 && payload[1]! <= 1;
    case Code.GET_BODY_CHUNK:
      return length === 3;
    case Code.SEND_BODY_CHUNK:
      return length >= 3 && ((payload[1]! << 8) | payload[2]!) + 4 === length;
    case Code.SEND_HEADERS:
      return sendHeadersShape(payload);
    default:
      return false;
  }
}

/*
 * The shapes below walk a FORWARD_REQUEST / SEND_HEADERS exactly as decodeForwardRequest /
 * decodeSendHeaders read it (same fields, same order, same end-of-bytes checks: a message decodes
 * to its type iff its shape is whole), but skip strings instead of making them: resynchronisation
 * tries a candidate header at many offsets, and each try costs a few field steps, not the bytes the
 * header claims.
 */

/** Offset after an AJP string at `p` (a 0xFFFF length is a null string: nothing more read), or -1 past the end. */
function skipString(b: Buffer, p: number): number {
  if (p < 0 || p + 2 > b.length) return -1;
  const len = (b[p]! << 8) | b[p + 1]!;
  if (len === 0xffff) return p + 2;
  const end = p + 2 + len + 1;
  return end > b.length ? -1 : end;
}

/** Offset after `count` headers at `p` (decodeHeaders), or -1. */
function skipHeaders(b: Buffer, p: number, count: number): number {
  for (let i = 0; i < count && p >= 0; i++) {
    const word = p + 2 <= b.length ? (b[p]! << 8) | b[p + 1]! : -1;
    if (word >= 0 && (word & 0xff00) === 0xa000) p += 2;
    else p = skipString(b, p);
    p = skipString(b, p);
  }
  return p;
}

function forwardRequestShape(b: Buffer): boolean {
  let p = 2; // prefix code, method
  if (p > b.length) return false;
  for (let i = 0; i < 5; i++) p = skipString(b, p); // protocol, req_uri, remote_addr, remote_host, server_name
  if (p < 0 || p + 5 > b.length) return false; // server_port, is_ssl, num_headers
  const nHeaders = (b[p + 3]! << 8) | b[p + 4]!;
  p = skipHeaders(b, p + 5, nHeaders);
  if (p < 0) return false;
  for (;;) {
    if (p + 1 > b.length) return false; // the attribute list must end with 0xFF
    const code = b[p++]!;
    if (code === Attr.ARE_DONE) return true;
    if (code === Attr.REQ_ATTRIBUTE) p = skipString(b, skipString(b, p));
    else if (code === Attr.SSL_KEY_SIZE) p = p + 2 <= b.length ? p + 2 : -1;
    else if (ATTRIBUTE_NAMES[code] !== undefined) p = skipString(b, p);
    else return true; // an unknown code ends the list (decodeForwardRequest: not parsed further)
    if (p < 0) return false;
  }
}

function sendHeadersShape(b: Buffer): boolean {
  if (b.length < 3) return false; // prefix code, status
  let p = skipString(b, 3); // status message
  if (p < 0 || p + 2 > b.length) return false;
  const n = (b[p]! << 8) | b[p + 1]!;
  p = skipHeaders(b, p + 2, n);
  return p >= 0;
}
