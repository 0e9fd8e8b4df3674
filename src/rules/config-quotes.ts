/**
 * The generic join of a finding with the configuration: a rule declares the configuration keys its
 * findings concern (`Rule.concerns`), and the engine quotes each one's file:line and value — or says
 * it is unset and what the default then is — as evidence of every finding of that rule, narrowed to
 * the worker / backend the finding is about when it names one. No rule quotes configuration itself.
 *
 * Keys: `jk:<directive>` (an ajp13/ajp14 worker's directive in workers.properties, or a global such
 * as `jk:maintain`), `proxy:<param>` (a ProxyPass / BalancerMember ajp:// parameter),
 * `httpd:<Directive>`, `tomcat:<attribute>` (the AJP <Connector>; `jboss:` the same for an
 * <ajp-listener>).
 */
import type { ConfigFacts, JkWorker, ProxyAjpWorker, AjpConnector, Setting } from '../config/index.js';
import { isAjpWorker, jkTarget, lastDirective } from '../config/index.js';
import type { ConfigEvidence } from '../util/evidence.js';

/** What an unset key means, with its source. */
const DEFAULTS: Record<string, string> = {
  'jk:connection_pool_timeout': '0: idle connections are never closed (workers.html)',
  'jk:connection_pool_minsize': 'half of connection_pool_size',
  'jk:socket_keepalive': 'false: no TCP keepalive',
  'jk:socket_timeout': '0: no socket timeout',
  'jk:socket_connect_timeout': 'socket_timeout × 1000 ms, 0: the OS connect timeout',
  'jk:ping_mode': 'none: no CPing/CPong (1.2.27+)',
  'jk:ping_timeout': '10000 ms',
  'jk:reply_timeout': '0: no reply timeout',
  'jk:max_reply_timeouts': '0',
  'jk:max_packet_size': '8192',
  'jk:secret': 'none: no secret sent',
  'jk:recovery_options': '0',
  'jk:retries': '2',
  'jk:maintain': '60 s',
  'proxy:ttl': 'none: pooled connections kept until closed',
  'proxy:keepalive': 'Off: no TCP keepalive',
  'proxy:ping': 'none: no CPing before a request',
  'proxy:timeout': 'ProxyTimeout, else Timeout (60 s)',
  'proxy:secret': 'none: no secret sent',
  'proxy:iobuffersize': 'ProxyIOBufferSize (8192)',
  'httpd:ProxyIOBufferSize': '8192',
  'httpd:ProxyTimeout': 'Timeout',
  'httpd:Timeout': '60 s',
  'tomcat:packetSize': '8192',
  'tomcat:connectionTimeout': '-1 for AJP: no timeout (Tomcat 7–11 AJP connector docs)',
  'tomcat:keepAliveTimeout': 'connectionTimeout',
  'tomcat:secret': 'none',
  'tomcat:secretRequired': 'true since 9.0.31 / 8.5.51 / 7.0.100; absent before',
  'tomcat:maxThreads': '200',
  'tomcat:address': 'loopback since 9.0.31 / 8.5.51 / 7.0.100; every address before',
  'jboss:max-ajp-packet-size': '8192',
  'jboss:no-request-timeout': '60000 ms',
};

const MAX_QUOTES = 8;
/** Directives of an lb worker (the others belong to its ajp13 members). */
const LB_KEYS = new Set(['max_reply_timeouts', 'recover_time', 'error_escalation_time', 'balance_workers', 'sticky_session', 'sticky_session_force', 'method', 'lock']);

function ev(s: Setting): ConfigEvidence {
  return { source: 'config', path: s.path, line: s.line, text: `${s.key}=${s.value}${s.via ? ` (from ${s.via})` : ''}` };
}

function unset(path: string, line: number, what: string, key: string): ConfigEvidence {
  const d = DEFAULTS[key];
  return { source: 'config', path, line, text: `${what} not set${d ? ` (default ${d})` : ''}` };
}

function proxyLine(p: ProxyAjpWorker): string {
  return `${p.directive}${p.mount ? ` ${p.mount}` : ''} ${p.url}${[...p.params.values()].map((s) => ` ${s.key}=${s.value}`).join('')}`;
}

/** Which workers / proxies / connectors a finding's subject narrows the quotes to. */
function scope(facts: ConfigFacts, subject: Record<string, string> | undefined): {
  workers: JkWorker[];
  proxies: ProxyAjpWorker[];
  connectors: AjpConnector[];
  /** The finding is about a mod_jk worker: mod_proxy's httpd directives do not concern it. */
  jkOnly: boolean;
} {
  let workers = facts.workers.flatMap((f) => [...f.workers.values()]).filter((w) => isAjpWorker(w) || w.type === 'lb');
  let proxies = facts.proxies;
  let connectors = facts.connectors;
  let jkOnly = false;
  const name = subject?.worker ?? subject?.member;
  const backend = subject?.backend;
  if (name !== undefined) {
    const all = facts.workers.flatMap((f) => [...f.workers.values()]);
    const w = all.find((x) => x.name === name);
    if (w) {
      // The worker, its members (an lb) and the lbs it is a member of.
      const names = new Set([w.name, ...w.members, ...all.filter((x) => x.members.includes(w.name)).map((x) => x.name)]);
      workers = workers.filter((x) => names.has(x.name));
      proxies = [];
      jkOnly = true;
    }
  }
  if (backend !== undefined) {
    const m = /:(\d+)$/.exec(backend);
    if (m) {
      const port = Number(m[1]);
      workers = workers.filter((w) => jkTarget(w).port === port);
      proxies = proxies.filter((p) => p.port === port);
      connectors = connectors.filter((c) => (c.port ?? 8009) === port);
    } else {
      // (refusals that name no address are grouped under `worker:<name>`: rules/shared.ts refusalGroups)
      const named = backend.replace(/^worker:/, '');
      const w = workers.filter((x) => x.name === named);
      if (w.length) {
        workers = w;
        proxies = [];
      }
    }
  }
  if (subject?.module === 'mod_proxy_ajp') workers = [];
  if (subject?.module === 'mod_jk') proxies = [];
  return { workers, proxies, connectors, jkOnly };
}

/** The configuration evidence for a finding: each concerned key, where it is set or that it is not. */
export function configQuotes(facts: ConfigFacts, keys: readonly string[], subject?: Record<string, string>): ConfigEvidence[] {
  if (!facts.files.length) return [];
  const { workers, proxies, connectors, jkOnly } = scope(facts, subject);
  const out: ConfigEvidence[] = [];
  for (const key of keys) {
    const [side, name = ''] = key.split(':') as [string, string | undefined];
    const lname = name.toLowerCase();
    if (side === 'jk') {
      for (const f of facts.workers) {
        const g = f.globals.get(lname);
        if (g) out.push(ev(g));
      }
      if (facts.workers.some((f) => f.globals.has(lname)) || lname === 'maintain') {
        if (lname === 'maintain' && !facts.workers.some((f) => f.globals.has('maintain')) && facts.workers[0]) out.push(unset(facts.workers[0].path, 1, 'worker.maintain', key));
        continue;
      }
      for (const w of workers) {
        const s = w.settings.get(lname);
        if (s) out.push(ev(s));
        else if (LB_KEYS.has(lname) === (w.type === 'lb')) out.push(unset(w.path, w.line, `worker.${w.name}.${name}`, key));
      }
    } else if (side === 'proxy') {
      for (const p of proxies) {
        const s = p.params.get(lname);
        out.push(s ? { source: 'config', path: p.path, line: p.line, text: proxyLine(p) } : unset(p.path, p.line, `${name}= on ${p.directive} ${p.url}`, key));
      }
    } else if (side === 'httpd') {
      if (jkOnly && /^(proxy|timeout$)/i.test(name)) continue;
      const d = lastDirective(facts.httpd, name);
      if (d) out.push({ source: 'config', path: d.path, line: d.line, text: `${d.name} ${d.args.join(' ')}` });
      else if (facts.httpd[0]) out.push(unset(facts.httpd[0].path, 1, name, key));
    } else if (side === 'tomcat' || side === 'jboss') {
      for (const c of connectors) {
        if ((side === 'jboss') !== (c.server === 'jboss')) continue;
        const s = c.attrs.get(name) ?? (name === 'maxThreads' ? c.executor?.get('maxThreads') : undefined);
        out.push(s ? { source: 'config', path: s.path, line: s.line, text: `${c.server === 'jboss' ? 'ajp-listener' : 'Connector'} port ${c.port ?? '?'}: ${name}="${s.value}"` } : unset(c.path, c.line, `${c.server === 'jboss' ? 'ajp-listener' : 'Connector'} port ${c.port ?? '?'}: ${name}`, key));
      }
    }
  }
  // One quote per place and text; the first ones when there are many.
  const seen = new Set<string>();
  return out.filter((e) => !seen.has(`${e.path}:${e.line}:${e.text}`) && seen.add(`${e.path}:${e.line}:${e.text}`)).slice(0, MAX_QUOTES);
}
