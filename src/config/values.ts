/**
 * Reading values the way the servers do: numbers (a `${…}` placeholder is unknown), booleans as
 * mod_jk's jk_get_bool_code, addresses, and the effective AJP packet size of each side with the
 * servers' own rounding and limits.
 */
import type { AjpConnector, HttpdDirective, JkWorker, ProxyAjpWorker, Setting } from './types.js';
import { indexBy, indexOfList } from '../util/index-by.js';

/** A plain integer value; undefined for unset, placeholders (`${x}`, `$(x)`) and words. */
export function intValue(s: Setting | string | undefined): number | undefined {
  const v = (typeof s === 'string' ? s : s?.value)?.trim();
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

/** jk_util.c jk_get_bool_code: off/F/N/0 false, on/T/Y/1 true. */
export function boolValue(s: Setting | undefined): boolean | undefined {
  const v = s?.value.trim();
  if (v === undefined || v === '') return undefined;
  if (/^off$/i.test(v) || /^[fFnN0]/.test(v)) return false;
  if (/^on$/i.test(v) || /^[tTyY1]/.test(v)) return true;
  return undefined;
}

/**
 * A Tomcat attribute's boolean as Tomcat reads it (server.xml, context.xml): IntrospectionUtils.setProperty
 * (tomcat util/IntrospectionUtils.java) hands the text to Boolean.valueOf, which is true for "true"
 * in any case and false for anything else: "", "yes", "1" and "on" too (boolValue reads those as
 * mod_jk's jk_get_bool_code does). Undefined when absent, or a ${…} placeholder (resolved at start-up).
 */
export function tomcatBool(s: Setting | undefined): boolean | undefined {
  if (s === undefined || isPlaceholder(s.value)) return undefined;
  return s.value.toLowerCase() === 'true';
}

export function isLoopback(host: string | undefined): boolean {
  if (host === undefined) return false;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === 'localhost.localdomain' || h === 'ip6-localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '0:0:0:0:0:0:0:1';
}

/** Tomcat / WildFly bind addresses meaning "every interface". */
export function isAnyAddress(addr: string | undefined): boolean {
  if (addr === undefined) return false;
  const a = addr.trim().replace(/^\[|\]$/g, '');
  return a === '0.0.0.0' || a === '::' || a === '*' || a === '0:0:0:0:0:0:0:0';
}

/** A value that is a placeholder resolved at start-up (Tomcat ${prop}, WildFly ${x}, httpd ${VAR}). */
export function isPlaceholder(v: string | undefined): boolean {
  return v !== undefined && /\$\{|\$\(/.test(v);
}

/** mod_jk: jk_util.c jk_get_max_packet_size: aligned up to 1024, at least 8192, at most 65536. */
export function jkPacketSize(w: JkWorker): number {
  const n = intValue(w.settings.get('max_packet_size'));
  if (n === undefined) return 8192;
  const aligned = Math.ceil(n / 1024) * 1024;
  return Math.min(65536, Math.max(8192, aligned));
}

/**
 * The directives of each name (lower case), in order, made once per list: rules ask for one name
 * per worker or proxy, and a hosting configuration of 8,000 virtual hosts (48,000 directives, 8,000
 * ProxyPass) took 5 s of rules walking the whole list each time (issue 14). Remade when the list has
 * grown (config/index.ts appends the files' directives as it reads them).
 */
const byName = new WeakMap<readonly HttpdDirective[], { length: number; index: Map<string, HttpdDirective[]> }>();
function directivesNamed(ds: readonly HttpdDirective[], lname: string): readonly HttpdDirective[] {
  return indexOfList(byName, ds, (list) => indexBy(list, (d) => d.name.toLowerCase())).get(lname) ?? [];
}

/** The last httpd directive of a name (httpd: the last one wins in one context). */
export function lastDirective(ds: readonly HttpdDirective[], name: string, vhost?: string): HttpdDirective | undefined {
  let found: HttpdDirective | undefined;
  for (const d of directivesNamed(ds, name.toLowerCase())) {
    const v = d.sections.find((s) => /^virtualhost\b/i.test(s));
    if (v !== undefined && (vhost === undefined || !v.endsWith(vhost))) continue;
    found = d;
  }
  return found;
}

/**
 * mod_proxy_ajp: the worker's io_buffer_size (iobuffersize= or ProxyIOBufferSize), at least
 * AJP_MSG_BUFFER_SZ 8192, aligned to 1024, at most AJP_MAX_BUFFER_SZ 65536 (mod_proxy_ajp.c
 * ap_proxy_ajp_request).
 */
export function proxyPacketSize(p: ProxyAjpWorker, ds: readonly HttpdDirective[]): { size: number; from?: Setting } {
  const param = p.params.get('iobuffersize');
  const d = lastDirective(ds, 'ProxyIOBufferSize', p.vhost);
  const from: Setting | undefined = param ?? (d ? { path: d.path, line: d.line, key: 'ProxyIOBufferSize', value: d.args[0] ?? '' } : undefined);
  const n = intValue(from);
  if (n === undefined) return from ? { size: 8192, from } : { size: 8192 };
  return { size: Math.min(65536, Math.ceil(Math.max(8192, n) / 1024) * 1024), from };
}

/** Tomcat AbstractAjpProtocol.setPacketSize: below 8192 becomes 8192; undefined for a placeholder. */
export function connectorPacketSize(c: AjpConnector): number | undefined {
  const s = c.server === 'jboss' ? c.attrs.get('max-ajp-packet-size') : c.attrs.get('packetSize');
  if (s === undefined) return 8192;
  const n = intValue(s);
  if (n === undefined) return undefined;
  return Math.max(8192, n);
}

/**
 * The connectors a web-server side worker (mod_jk or mod_proxy_ajp) reaches: those on its port, and
 * among several (several servers' files, or the phases of one), those whose literal address is the
 * worker's host when there are any.
 */
export function connectorsFor(connectors: readonly AjpConnector[], host: string | undefined, port: number | undefined): readonly AjpConnector[] {
  const same = connectorsByPort(connectors).get(port ?? 8009);
  if (same === undefined) return NO_CONNECTORS;
  if (same.all.length <= 1 || host === undefined) return same.all;
  return same.byAddress.get(host) ?? same.all;
}

const NO_CONNECTORS: readonly AjpConnector[] = Object.freeze([]);

interface SamePort {
  all: AjpConnector[];
  /** Those with a literal address, by it. */
  byAddress: Map<string, AjpConnector[]>;
}

/**
 * The connectors by port (and address), made once per list: rules ask for every worker and proxy,
 * and 24,000 workers against 24,000 connectors took 8 s filtering the whole list each time (issue
 * 14). Remade when the list has grown (config/index.ts appends as it reads).
 */
const portIndex = new WeakMap<readonly AjpConnector[], { length: number; index: Map<number, SamePort> }>();
function connectorsByPort(connectors: readonly AjpConnector[]): Map<number, SamePort> {
  return indexOfList(portIndex, connectors, (list) => {
    const ports = new Map<number, SamePort>();
    for (const [port, all] of indexBy(list, (c) => c.port ?? 8009)) {
      ports.set(port, { all, byAddress: indexBy(all.filter((c) => c.address !== undefined), (c) => c.address!) });
    }
    return ports;
  });
}

/** The connector's attribute, or its executor's for the thread settings. */
export function connectorThreads(c: AjpConnector): { value: number; from?: Setting } | undefined {
  const s = c.executor?.get('maxThreads') ?? c.attrs.get(c.server === 'jboss' ? 'max-connections' : 'maxThreads');
  if (c.server === 'jboss') return undefined;
  if (s === undefined) return { value: 200 };
  const n = intValue(s);
  return n === undefined ? undefined : { value: n, from: s };
}

/** A mod_jk ajp13/ajp14 worker's host and port (defaults localhost:8009). */
export function jkTarget(w: JkWorker): { host: string; port: number } {
  return { host: w.settings.get('host')?.value ?? 'localhost', port: intValue(w.settings.get('port')) ?? 8009 };
}

export function isAjpWorker(w: JkWorker): boolean {
  return w.type === 'ajp13' || w.type === 'ajp14';
}

/** A line to quote: `key=value` as written. */
export function quote(s: Setting): string {
  return s.key.includes('.') || /^[a-z_]+$/.test(s.key) ? `${s.key}=${s.value}` : `${s.key}="${s.value}"`;
}
