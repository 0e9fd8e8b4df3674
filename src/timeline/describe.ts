/** One-line and field-by-field text forms of AJP messages (for `frames`, `frames -V` and stories). */
import type { AjpHeader, AjpMessage } from '../ajp/index.js';

function q(s: string | null): string {
  return s === null ? '(null)' : JSON.stringify(s);
}

function hex2(n: number): string {
  return '0x' + n.toString(16).toUpperCase().padStart(2, '0');
}

function headerValue(headers: AjpHeader[], name: string): string | null | undefined {
  const h = headers.find((x) => x.name.toLowerCase() === name);
  return h === undefined ? undefined : h.value;
}

/** Compact one-line form, e.g. `FORWARD_REQUEST POST /app/upload?x=1 HTTP/1.1 Content-Length=20000`. */
export function describeMessage(m: AjpMessage): string {
  switch (m.type) {
    case 'FORWARD_REQUEST': {
      const method = m.method ?? `method#${m.methodCode}`;
      const uri = (m.uri ?? '(null)') + (m.query !== null ? `?${m.query}` : '');
      const parts = [`FORWARD_REQUEST ${method} ${uri} ${m.protocol ?? '(null)'}`];
      const host = headerValue(m.headers, 'host');
      if (host) parts.push(`host=${host}`);
      if (m.contentLength !== null) parts.push(`Content-Length=${m.contentLength}`);
      if (m.chunked) parts.push('chunked');
      if (m.remoteAddr) parts.push(`from ${m.remoteAddr}`);
      return parts.join(' ');
    }
    case 'DATA':
      if (m.empty) return m.chunkLength === null ? 'DATA empty (12 34 00 00: end of body)' : 'DATA empty (chunk length 0: end of body)';
      return `DATA ${m.chunkLength ?? 0} bytes`;
    case 'SEND_HEADERS': {
      const ct = headerValue(m.headers, 'content-type');
      const cl = headerValue(m.headers, 'content-length');
      let s = `SEND_HEADERS ${m.status} ${q(m.message)}`;
      if (ct) s += ` Content-Type=${ct}`;
      if (cl) s += ` Content-Length=${cl}`;
      return s + ` (${m.headers.length} header${m.headers.length === 1 ? '' : 's'})`;
    }
    case 'SEND_BODY_CHUNK':
      if (m.incomplete !== undefined) return `SEND_BODY_CHUNK ${m.chunkLength} bytes, incomplete: the connection closed after ${m.incomplete.received} of them`;
      return m.flush ? 'SEND_BODY_CHUNK flush' : `SEND_BODY_CHUNK ${m.chunkLength} bytes`;
    case 'END_RESPONSE':
      return `END_RESPONSE reuse=${m.reuse === null ? 'missing' : m.reuse}`;
    case 'GET_BODY_CHUNK':
      return `GET_BODY_CHUNK ${m.requestedLength}`;
    case 'UNKNOWN':
      return `UNKNOWN code ${hex2(m.code)}${m.name ? ` (${m.name})` : ''}`;
    case 'MALFORMED':
      return `MALFORMED ${m.reason}`;
    default:
      return m.type;
  }
}

/** Every field, one per line (for `frames -V`). Values are shown as decoded; nulls as (null). */
export function describeMessageFields(m: AjpMessage): string[] {
  const out: string[] = [`magic: 0x${m.magic.toString(16).toUpperCase().padStart(4, '0')}`, `length: ${m.length}`];
  switch (m.type) {
    case 'FORWARD_REQUEST':
      out.push(
        `method: ${m.method ?? '(invalid)'} (code ${m.methodCode})`,
        `protocol: ${q(m.protocol)}`,
        `req_uri: ${q(m.uri)}`,
        `remote_addr: ${q(m.remoteAddr)}`,
        `remote_host: ${q(m.remoteHost)}`,
        `server_name: ${q(m.serverName)}`,
        `server_port: ${m.serverPort}`,
        `is_ssl: ${m.isSsl}`,
        `num_headers: ${m.headers.length}`,
      );
      for (const h of m.headers) out.push(`  ${h.name}${h.code !== undefined ? ` [${'0x' + h.code.toString(16).toUpperCase()}]` : ''}: ${q(h.value)}`);
      out.push(`attributes: ${m.attributes.length}`);
      for (const a of m.attributes) {
        out.push(`  ${a.request ? 'req_attribute ' : ''}${a.name} [${hex2(a.code)}]: ${typeof a.value === 'number' ? a.value : q(a.value)}`);
      }
      break;
    case 'DATA':
      out.push(`chunk_length: ${m.chunkLength === null ? '(none: zero-length packet)' : m.chunkLength}`, `end_of_body: ${m.empty}`);
      break;
    case 'SEND_HEADERS':
      out.push(`status: ${m.status}`, `message: ${q(m.message)}`, `num_headers: ${m.headers.length}`);
      for (const h of m.headers) out.push(`  ${h.name}${h.code !== undefined ? ` [${'0x' + h.code.toString(16).toUpperCase()}]` : ''}: ${q(h.value)}`);
      break;
    case 'SEND_BODY_CHUNK':
      out.push(`chunk_length: ${m.chunkLength}`, `flush: ${m.flush}`, `trailing_nul: ${m.trailingNul}`);
      if (m.incomplete !== undefined) out.push(`incomplete: ${m.incomplete.received} of ${m.chunkLength} data bytes sent before the connection closed (FIN/RST)`);
      break;
    case 'END_RESPONSE':
      out.push(`reuse: ${m.reuse === null ? '(missing)' : m.reuse}`);
      break;
    case 'GET_BODY_CHUNK':
      out.push(`requested_length: ${m.requestedLength}`);
      break;
    case 'UNKNOWN':
      out.push(`code: ${hex2(m.code)}`, `reason: ${m.reason}`);
      break;
    case 'MALFORMED':
      out.push(`code: ${m.code === null ? '(none)' : hex2(m.code)}`, `reason: ${m.reason}`);
      break;
    default:
      break;
  }
  for (const i of m.issues ?? []) out.push(`issue: ${i}`);
  return out;
}
