/**
 * Redaction of credentials in every output: Cookie / Cookie2 / Authorization / Proxy-Authorization
 * request header values, Set-Cookie / Set-Cookie2 response header values, and the AJP `secret`
 * attribute (0x0C). `--show-secrets` turns it off.
 */
import type { AjpAttribute, AjpHeader, AjpMessage } from '../ajp/index.js';
import { inputSecrets } from '../util/secrets.js';

const SENSITIVE_HEADERS = new Set(['cookie', 'cookie2', 'authorization', 'proxy-authorization', 'set-cookie', 'set-cookie2']);

export function isSensitiveHeader(name: string): boolean {
  // By length first: most headers are not one of these, and lowercasing each name allocates.
  const n = name.length;
  if (n !== 6 && n !== 7 && n !== 10 && n !== 11 && n !== 13 && n !== 19) return false;
  return SENSITIVE_HEADERS.has(name.toLowerCase());
}

export function redactedValue(v: string | null): string | null {
  if (v === null) return null;
  return `[redacted, ${Buffer.byteLength(v, 'latin1')} bytes]`;
}

export function redactHeaders(headers: AjpHeader[], show: boolean): AjpHeader[] {
  if (show || !headers.some((h) => isSensitiveHeader(h.name))) return headers;
  return headers.map((h) => (isSensitiveHeader(h.name) ? { ...h, value: redactedValue(h.value) } : h));
}

export function redactAttributes(attrs: AjpAttribute[], show: boolean): AjpAttribute[] {
  if (show || !attrs.some((a) => a.code === 0x0c)) return attrs;
  return attrs.map((a) => (a.code === 0x0c ? { ...a, value: a.value === null ? null : '[redacted]' } : a));
}

/**
 * Collects the message's secret values for redaction by value (util/secrets.ts): the AJP secret,
 * Cookie / Set-Cookie / Authorization values, a header whose code was not recognised when it
 * reads like one of those (a damaged code byte: `unknown-0xA010: JSESSIONID=…`), and a jsessionid
 * in the URI or query string. Called for every message whatever is shown.
 */
export function noteSecrets(m: AjpMessage): void {
  if (m.type === 'FORWARD_REQUEST') {
    for (const a of m.attributes) if (a.code === 0x0c && typeof a.value === 'string') inputSecrets.add(a.value);
    noteHeaders(m.headers);
    if (m.uri !== null) inputSecrets.noteText(m.uri);
    if (m.query !== null) inputSecrets.noteText(m.query);
  } else if (m.type === 'SEND_HEADERS') noteHeaders(m.headers);
}

function noteHeaders(headers: readonly AjpHeader[]): void {
  for (const h of headers) {
    if (h.value === null) continue;
    if (isSensitiveHeader(h.name)) {
      const n = h.name.toLowerCase();
      if (n.endsWith('authorization')) inputSecrets.addAuthorization(h.value);
      else inputSecrets.addCookieHeader(h.value);
    } else if (h.name.startsWith('unknown') || h.name.length > 32) inputSecrets.noteText(`${h.name}: ${h.value}`);
    else if (h.value.length >= 16) inputSecrets.noteText(h.value);
  }
}

/** A copy of the message with credentials redacted (the original when nothing needs it). */
export function redactMessage(m: AjpMessage, show: boolean): AjpMessage {
  if (show) return m;
  if (m.type === 'FORWARD_REQUEST') {
    const headers = redactHeaders(m.headers, false);
    const attributes = redactAttributes(m.attributes, false);
    return headers === m.headers && attributes === m.attributes ? m : { ...m, headers, attributes };
  }
  if (m.type === 'SEND_HEADERS') {
    const headers = redactHeaders(m.headers, false);
    return headers === m.headers ? m : { ...m, headers };
  }
  return m;
}
