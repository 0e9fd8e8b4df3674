/**
 * Compare our decode with tshark's saved AJP13 view (`samples/<scenario>/<stem>.ajp13.json`, written by
 * `samples/make/tshark-views.sh`: tshark 4.0.17 -2 -o tcp.reassemble_out_of_order:TRUE -d tcp.port==P,ajp13).
 * Our messages are turned into the field set tshark would print, with tshark's known display rules
 * applied (null strings shown as "", values cut at 240 characters, string-named headers as
 * `ajp13.unknown_header` "Name: value").
 */
import type { AjpMessage } from '../../src/ajp/index.js';

export interface TsharkFrame {
  frame: number;
  stream: number;
  tcp_len: number;
  src_port: number;
  dst_port: number;
  pdus: Record<string, string | string[] | number>[];
}

/** tshark's per-PDU type, in our names. Body packets have no ajp13.code. */
export function tsharkType(p: Record<string, unknown>): string {
  const magic = p['ajp13.magic'];
  const code = p['ajp13.code'] as string | undefined;
  if (magic === '12:34') {
    if (code === undefined) return 'DATA';
    return code === '2' ? 'FORWARD_REQUEST' : code === '10' ? 'CPING' : `REQ#${code}`;
  }
  if (magic === '41:42') {
    const names: Record<string, string> = { '3': 'SEND_BODY_CHUNK', '4': 'SEND_HEADERS', '5': 'END_RESPONSE', '6': 'GET_BODY_CHUNK', '9': 'CPONG' };
    return names[code ?? ''] ?? `RSP#${code}`;
  }
  return 'OTHER';
}

function wsText(s: string | null): string {
  if (s === null) return '';
  return s.length > 240 ? s.slice(0, 240) : s;
}

function add(o: Record<string, string | string[]>, k: string, v: string): void {
  const cur = o[k];
  if (cur === undefined) o[k] = v;
  else if (Array.isArray(cur)) cur.push(v);
  else o[k] = [cur, v];
}

const ATTR_FIELD: Record<string, string> = {
  context: 'context',
  servlet_path: 'servlet_path',
  remote_user: 'remote_user',
  auth_type: 'auth_type',
  query_string: 'query_string',
  route: 'route',
  ssl_cert: 'ssl_cert',
  ssl_cipher: 'ssl_cipher',
  ssl_session: 'ssl_session',
  ssl_key_size: 'ssl_key_size',
  secret: 'secret',
  stored_method: 'stored_method',
};

/** Our FORWARD_REQUEST / SEND_HEADERS in tshark's field names (unredacted message expected). */
export function asTshark(m: AjpMessage): Record<string, string | string[]> {
  const o: Record<string, string | string[]> = {};
  o['ajp13.len'] = String(m.length);
  if (m.type === 'FORWARD_REQUEST') {
    o['ajp13.method'] = String(m.methodCode);
    o['ajp13.ver'] = wsText(m.protocol);
    o['ajp13.uri'] = wsText(m.uri);
    o['ajp13.raddr'] = wsText(m.remoteAddr);
    o['ajp13.rhost'] = wsText(m.remoteHost);
    o['ajp13.srv'] = wsText(m.serverName);
    o['ajp13.port'] = String(m.serverPort);
    o['ajp13.sslp'] = m.isSsl ? '1' : '0';
    o['ajp13.nhdr'] = String(m.headers.length);
    for (const h of m.headers) {
      if (h.code !== undefined) add(o, `ajp13.${h.name.toLowerCase().replace(/-/g, '_')}`, wsText(h.value));
      else add(o, 'ajp13.unknown_header', wsText(`${h.name}: ${h.value ?? ''}`));
    }
    for (const a of m.attributes) {
      if (a.request) add(o, 'ajp13.req_attribute', wsText(`${a.name}: ${a.value ?? ''}`));
      else if (ATTR_FIELD[a.name]) add(o, `ajp13.${ATTR_FIELD[a.name]}`, typeof a.value === 'number' ? String(a.value) : wsText(a.value));
    }
  } else if (m.type === 'SEND_HEADERS') {
    o['ajp13.rstatus'] = String(m.status);
    o['ajp13.rmsg'] = wsText(m.message);
    o['ajp13.nhdr'] = String(m.headers.length);
    for (const h of m.headers) {
      if (h.code !== undefined) add(o, `ajp13.${h.name.toLowerCase().replace(/-/g, '_')}`, wsText(h.value));
      else add(o, 'ajp13.unknown_header', wsText(`${h.name}: ${h.value ?? ''}`));
    }
  }
  return o;
}

/** tshark's PDU without the fields we do not model (magic, code, expert info, body text length). */
export function tsharkFields(p: Record<string, unknown>): Record<string, string | string[]> {
  const o: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(p)) {
    if (k === 'ajp13.magic' || k === 'ajp13.code' || k === '_ws.expert.message' || k === 'ajp13.data_chars') continue;
    o[k] = v as string | string[];
  }
  return o;
}
