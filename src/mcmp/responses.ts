/**
 * Decoding of mod_manager's answers. Bodies differ by command and by server generation:
 * - STATUS-RSP / PING-RSP: `Type=STATUS-RSP&JVMRoute=n&State=OK&id=<restart time>\n` everywhere;
 *   `id` is a signed 32-bit `%d` in mod_cluster 1.3 and 64-bit microseconds in mod_proxy_cluster.
 * - STOP-APP-RSP: `Type=STOP-APP-RSP&JvmRoute=n&Alias=a&Context=/c&Requests=N\n` in 1.3 and 2.x
 *   (2.x prints the alias from a pointer: garbage bytes, possibly with `\n`), but the newline form
 *   `Type=STOP-APP-RSP\nJvmRoute=n\nAlias=a Contexts=/c\n\n` without `Requests=` on main.
 * - the other *-APP commands: empty body except on main (same newline form).
 * - INFO and DUMP: line-oriented dumps, no `Type=` marker (process_info / process_dump).
 * - VERSION: `release: mod_proxy_cluster/2.0.0.Dev, protocol: 0.2.1`.
 * - errors: HTTP 500 with `Version`, `Type` (SYNTAX/MEM/GENERAL) and `Mess` headers (process_error).
 */
import { headerValue } from './http.js';
import type {
  AmpersandFields,
  DumpBalancer,
  DumpContext,
  DumpHost,
  DumpNode,
  HttpHeader,
  InfoContext,
  InfoNode,
  InfoVhost,
  McmpError,
  McmpResponseBody,
} from './types.js';

/** `a=b&c=d` split on `&`, each pair at its first `=` (what the Java DefaultMCMPResponseParser does). */
export function parseAmpersand(text: string): AmpersandFields {
  const body = text.replace(/\r?\n+$/, '');
  const fields: Array<[string, string]> = body.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
  });
  const out: AmpersandFields = { format: 'ampersand', fields };
  const type = fields.find(([k]) => k === 'Type')?.[1];
  if (type !== undefined) out.type = type;
  return out;
}

export function fieldValue(f: AmpersandFields, key: string): string | undefined {
  const k = key.toLowerCase();
  return f.fields.find(([name]) => name.toLowerCase() === k)?.[1];
}

/** `Type=ENABLE-APP-RSP\nJvmRoute=node1\nAlias=localhost Contexts=/app,/b\n\n` (mod_proxy_cluster main). */
function parseAppRsp(text: string): McmpResponseBody {
  const lines = text.split('\n').filter((l) => l !== '');
  const type = lines[0].slice('Type='.length);
  const out: Extract<McmpResponseBody, { kind: 'app-rsp' }> = { kind: 'app-rsp', type, aliases: [] };
  for (const line of lines.slice(1)) {
    if (line.startsWith('JvmRoute=') || line.startsWith('JVMRoute=')) {
      out.jvmRoute = line.slice(line.indexOf('=') + 1);
      continue;
    }
    const m = /^Alias=(\S*)\s+Contexts=(.*)$/.exec(line);
    if (m) {
      out.aliases.push({ alias: m[1], contexts: m[2] === '' ? [] : m[2].split(',') });
      continue;
    }
    return { kind: 'unparsable', reason: `unexpected line in ${type}: "${line.slice(0, 60)}"`, text };
  }
  return out;
}

/** `Key: value,Key: value` (INFO lines). */
function commaFields(line: string): Array<[string, string]> {
  return line.split(',').map((item) => {
    const colon = item.indexOf(':');
    return colon < 0 ? [item.trim(), ''] : [item.slice(0, colon).trim(), item.slice(colon + 1).trim()];
  });
}

function bracketIds(v: string): number[] | undefined {
  const m = /^\[([-\d:]+)\]$/.exec(v.trim());
  return m ? m[1].split(':').map(Number) : undefined;
}

const INFO_NODE_KEYS: Record<string, keyof InfoNode> = {
  Name: 'name', Balancer: 'balancer', LBGroup: 'lbGroup', Host: 'host', Port: 'port', Type: 'type',
  Flushpackets: 'flushpackets', Flushwait: 'flushwait', Ping: 'ping', Smax: 'smax', Ttl: 'ttl',
  Elected: 'elected', Read: 'read', Transfered: 'transfered', Connected: 'connected', Load: 'load',
};

/** INFO (process_info): `Node: [i],Name: ...`, `Vhost: [n:v:i], Alias: a`, `Context: [n:v:i], Context: /p, Status: S`. */
export function parseInfo(text: string): McmpResponseBody {
  const nodes: InfoNode[] = [];
  const vhosts: InfoVhost[] = [];
  const contexts: InfoContext[] = [];
  const unparsed: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = commaFields(line);
    const ids = bracketIds(f[0][1]);
    if (f[0][0] === 'Node' && ids && ids.length === 1) {
      const n: InfoNode = {
        id: ids[0], name: '', balancer: '', lbGroup: '', host: '', port: '', type: '', flushpackets: '',
        flushwait: '', ping: '', smax: '', ttl: '', elected: '', read: '', transfered: '', connected: '', load: '', extra: [],
      };
      for (const [k, v] of f.slice(1)) {
        const prop = INFO_NODE_KEYS[k];
        if (prop && prop !== 'id' && prop !== 'extra') n[prop] = v;
        else n.extra.push([k, v]);
      }
      nodes.push(n);
    } else if (f[0][0] === 'Vhost' && ids && ids.length === 3) {
      vhosts.push({ node: ids[0], vhost: ids[1], id: ids[2], alias: f.find(([k]) => k === 'Alias')?.[1] ?? '' });
    } else if (f[0][0] === 'Context' && ids && ids.length === 3) {
      contexts.push({
        node: ids[0], vhost: ids[1], id: ids[2],
        path: f[1]?.[0] === 'Context' ? f[1][1] : '',
        status: f.find(([k]) => k === 'Status')?.[1] ?? '',
      });
    } else {
      unparsed.push(line);
    }
  }
  return { kind: 'info', nodes, vhosts, contexts, unparsed };
}

/** DUMP (process_dump): `balancer: [i] Name: ...`, `node: [i:id],...`, `host: i [alias] vhost: v node: n`, `context: i [path] vhost: v node: n status: s`. */
export function parseDump(text: string): McmpResponseBody {
  const balancers: DumpBalancer[] = [];
  const nodes: DumpNode[] = [];
  const hosts: DumpHost[] = [];
  const contexts: DumpContext[] = [];
  const unparsed: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^balancer: \[(\d+)\] (.*)$/.exec(line))) {
      const fields: Record<string, string> = {};
      for (const fm of m[2].matchAll(/(\w+): (\S+)/g)) fields[fm[1]] = fm[2];
      const sticky = /Sticky: \S+ \[([^\]]*)\]\/\[([^\]]*)\]/.exec(m[2]);
      if (sticky) {
        fields.StickySessionCookie = sticky[1];
        fields.StickySessionPath = sticky[2];
      }
      balancers.push({ id: Number(m[1]), name: fields.Name ?? '', line, fields });
    } else if ((m = /^node: \[(\d+):(\d+)\],(.*)$/.exec(line))) {
      const fields: Record<string, string> = {};
      for (const [k, v] of commaFields(m[3])) fields[k] = v;
      nodes.push({ id: Number(m[1]), fields });
    } else if ((m = /^host: (\d+) \[([^\]]*)\] vhost: (\d+) node: (\d+)$/.exec(line))) {
      hosts.push({ id: Number(m[1]), alias: m[2], vhost: Number(m[3]), node: Number(m[4]) });
    } else if ((m = /^context: (\d+) \[([^\]]*)\] vhost: (\d+) node: (\d+) status: (\d+)$/.exec(line))) {
      contexts.push({ id: Number(m[1]), path: m[2], vhost: Number(m[3]), node: Number(m[4]), status: Number(m[5]) });
    } else {
      unparsed.push(line);
    }
  }
  return { kind: 'dump', balancers, nodes, hosts, contexts, unparsed };
}

function xmlText(inner: string, tag: string): string {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(inner);
  return m ? m[1] : '';
}
function xmlAttr(attrs: string, name: string): string | undefined {
  return new RegExp(`${name}="([^"]*)"`).exec(attrs)?.[1];
}

/**
 * INFO with `Accept: text/xml` (process_info, TEXT_XML): `<Info><Nodes><Node id= name=>...</Node>
 * </Nodes><Vhosts><Vhost id= alias=><Node id=/></Vhost></Vhosts><Contexts><Context id=><Status id=>S
 * </Status><Context>/p</Context><Node id=/><Vhost id=/></Context></Contexts></Info>`. The XML gives
 * no virtual host number for an alias (only its table id), so `vhost` is -1 there.
 */
export function parseInfoXml(text: string): McmpResponseBody {
  const nodes: InfoNode[] = [];
  const vhosts: InfoVhost[] = [];
  const contexts: InfoContext[] = [];
  const nodesBlock = /<Nodes>([\s\S]*?)<\/Nodes>/.exec(text)?.[1] ?? '';
  for (const m of nodesBlock.matchAll(/<Node ([^>]*)>([\s\S]*?)<\/Node>/g)) {
    const inner = m[2];
    nodes.push({
      id: Number(xmlAttr(m[1], 'id')), name: xmlAttr(m[1], 'name') ?? '',
      balancer: xmlText(inner, 'Balancer'), lbGroup: xmlText(inner, 'LBGroup'), host: xmlText(inner, 'Host'),
      port: xmlText(inner, 'Port'), type: xmlText(inner, 'Type'), flushpackets: xmlText(inner, 'Flushpackets'),
      flushwait: xmlText(inner, 'Flushwait'), ping: xmlText(inner, 'Ping'), smax: xmlText(inner, 'Smax'), ttl: xmlText(inner, 'Ttl'),
      elected: xmlText(inner, 'Elected'), read: xmlText(inner, 'Read'), transfered: xmlText(inner, 'Transfered'),
      connected: xmlText(inner, 'Connected'), load: xmlText(inner, 'Load'), extra: [],
    });
  }
  for (const m of text.matchAll(/<Vhost id="(\d+)" alias="([^"]*)"><Node id="(\d+)"\/><\/Vhost>/g)) {
    vhosts.push({ node: Number(m[3]), vhost: -1, id: Number(m[1]), alias: m[2] });
  }
  for (const m of text.matchAll(/<Context id="(\d+)"><Status id="\d+">([^<]*)<\/Status><Context>([^<]*)<\/Context><Node id="(\d+)"\/><Vhost id="(\d+)"\/><\/Context>/g)) {
    contexts.push({ node: Number(m[4]), vhost: Number(m[5]), id: Number(m[1]), path: m[3], status: m[2] });
  }
  return { kind: 'info', nodes, vhosts, contexts, unparsed: [] };
}

/** DUMP with `Accept: text/xml` (process_dump, TEXT_XML). */
export function parseDumpXml(text: string): McmpResponseBody {
  const balancers: DumpBalancer[] = [];
  const nodes: DumpNode[] = [];
  const hosts: DumpHost[] = [];
  const contexts: DumpContext[] = [];
  for (const m of text.matchAll(/<Balancer id="(\d+)" name="([^"]*)">([\s\S]*?)<\/Balancer>/g)) {
    const inner = m[3];
    balancers.push({
      id: Number(m[1]),
      name: m[2],
      line: m[0],
      fields: {
        Name: m[2], Sticky: xmlText(inner, 'Enabled'), StickySessionCookie: xmlText(inner, 'Cookie'),
        StickySessionPath: xmlText(inner, 'Path'), remove: xmlText(inner, 'Remove'), force: xmlText(inner, 'Force'),
        Timeout: xmlText(inner, 'Timeout'), maxAttempts: xmlText(inner, 'MaxAttempts'),
      },
    });
  }
  const nodesBlock = /<Nodes>([\s\S]*?)<\/Nodes>/.exec(text)?.[1] ?? '';
  for (const m of nodesBlock.matchAll(/<Node id="(\d+)">([\s\S]*?)<\/Node>/g)) {
    const fields: Record<string, string> = {};
    for (const f of m[2].matchAll(/<(\w+)>([^<]*)<\/\1>/g)) fields[f[1] === 'FlushPackets' ? 'flushpackets' : f[1] === 'Timeout' ? 'timeout' : f[1]] = f[2];
    nodes.push({ id: Number(m[1]), fields });
  }
  for (const m of text.matchAll(/<Host id="(\d+)" alias="([^"]*)">\s*<Vhost>(\d+)<\/Vhost>\s*<Node>(\d+)<\/Node>\s*<\/Host>/g)) {
    hosts.push({ id: Number(m[1]), alias: m[2], vhost: Number(m[3]), node: Number(m[4]) });
  }
  for (const m of text.matchAll(/<Context id="(\d+)" path="([^"]*)"><Vhost>(\d+)<\/Vhost><Node>(\d+)<\/Node><Status id="(\d+)">/g)) {
    contexts.push({ id: Number(m[1]), path: m[2], vhost: Number(m[3]), node: Number(m[4]), status: Number(m[5]) });
  }
  return { kind: 'dump', balancers, nodes, hosts, contexts, unparsed: [] };
}

export function parseVersion(text: string): McmpResponseBody {
  const line = text.split('\n')[0];
  const out: Extract<McmpResponseBody, { kind: 'version' }> = { kind: 'version' };
  const rel = /release: ([^,]+)/.exec(line);
  const proto = /protocol: (\S+)/.exec(line);
  if (rel) out.release = rel[1].trim();
  if (proto) out.protocol = proto[1].trim();
  if (!rel && !proto) return { kind: 'unparsable', reason: 'VERSION answer without release/protocol', text };
  return out;
}

/** The MCMP error carried by a 500's headers, if any. */
export function mcmpError(status: number, headers: readonly HttpHeader[]): McmpError | undefined {
  const type = headerValue(headers, 'Type');
  const mess = headerValue(headers, 'Mess');
  const version = headerValue(headers, 'Version');
  if (type === undefined && mess === undefined) return undefined;
  if (status < 400) return undefined;
  const e: McmpError = {};
  if (version !== undefined) e.version = version;
  if (type !== undefined) e.type = type;
  if (mess !== undefined) e.mess = mess;
  return e;
}

/** Decodes a response body according to the command it answers. */
export function decodeBody(method: string, status: number, contentType: string | undefined, body: string): McmpResponseBody {
  if (body === '') return { kind: 'empty' };
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('xml') || body.startsWith('<?xml')) {
    if (status === 200 && /<Info>/.test(body)) return parseInfoXml(body);
    if (status === 200 && /<Dump>/.test(body)) return parseDumpXml(body);
    return { kind: 'xml', text: body };
  }
  if (ct.includes('html') || /^\s*<(!doctype|html)/i.test(body)) return { kind: 'html', text: body };
  if (status !== 200) return { kind: 'text', text: body };
  const m = method.toUpperCase();
  const firstLine = body.split('\n')[0];
  if (body.startsWith('Type=')) {
    if (firstLine.includes('&')) return { kind: 'fields', fields: parseAmpersand(body) };
    return parseAppRsp(body);
  }
  if (m === 'INFO' || firstLine.startsWith('Node: [')) return parseInfo(body);
  if (m === 'DUMP' || /^(balancer|node|host|context): /.test(firstLine)) return parseDump(body);
  if (m === 'VERSION' || /protocol: /.test(firstLine)) return parseVersion(body);
  return { kind: 'unparsable', reason: `unexpected answer to ${method}`, text: body };
}
