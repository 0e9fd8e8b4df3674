/** What the configuration checks share: the web-server-side backends and the connector each one reaches. */
import type { AjpConnector, ConfigFacts, JkWorker, ProxyAjpWorker, Setting } from '../../config/index.js';
import { connectorsFor, isAjpWorker, jkTarget } from '../../config/index.js';
import type { ConfigEvidence } from '../../util/evidence.js';

/** One way the web server reaches a backend: a mod_jk ajp13 worker or a mod_proxy_ajp URL. */
export type Backend =
  | { kind: 'jk'; name: string; host: string; port: number; worker: JkWorker; connectors: readonly AjpConnector[] }
  | { kind: 'proxy'; name: string; host: string; port: number; proxy: ProxyAjpWorker; connectors: readonly AjpConnector[] };

export function jkWorkers(facts: ConfigFacts): JkWorker[] {
  return facts.workers.flatMap((f) => [...f.workers.values()]);
}

/** Workers mod_jk instantiates: listed ones and the members of listed lbs (templates only referenced are not). */
export function usedJkWorkers(facts: ConfigFacts): JkWorker[] {
  const all = jkWorkers(facts);
  const byName = new Map(all.map((w) => [w.name, w]));
  const used = new Set<string>();
  for (const w of all) {
    if (!w.listed) continue;
    used.add(w.name);
    for (const m of w.members) used.add(m);
  }
  return [...used].map((n) => byName.get(n)).filter((w): w is JkWorker => w !== undefined);
}

export function backends(facts: ConfigFacts): Backend[] {
  const out: Backend[] = [];
  for (const w of usedJkWorkers(facts).filter(isAjpWorker)) {
    const t = jkTarget(w);
    out.push({ kind: 'jk', name: `worker ${w.name}`, host: t.host, port: t.port, worker: w, connectors: connectorsFor(facts.connectors, t.host, t.port) });
  }
  for (const p of facts.proxies) {
    const name = `${p.directive} ${p.mount ?? p.balancer ?? ''} ${p.url}`.replace(/\s+/g, ' ');
    out.push({ kind: 'proxy', name, host: p.host, port: p.port, proxy: p, connectors: connectorsFor(facts.connectors, p.host, p.port) });
  }
  return out;
}

/** Evidence for a setting, or for where a missing one belongs. */
export function at(s: Setting): ConfigEvidence {
  return { source: 'config', path: s.path, line: s.line, text: `${s.key}=${s.value}` };
}

export function atLine(path: string, line: number, text: string): ConfigEvidence {
  return { source: 'config', path, line, text };
}

/** Where a backend is defined, as evidence. */
export function backendAt(b: Backend): ConfigEvidence {
  if (b.kind === 'jk') return atLine(b.worker.path, b.worker.line, `worker.${b.worker.name} (${b.host}:${b.port})`);
  return atLine(b.proxy.path, b.proxy.line, `${b.proxy.directive}${b.proxy.mount ? ` ${b.proxy.mount}` : ''} ${b.proxy.url}${[...b.proxy.params.values()].map((s) => ` ${s.key}=${s.value}`).join('')}`);
}

export function connectorAt(c: AjpConnector, attr?: string): ConfigEvidence {
  const s = attr === undefined ? undefined : c.attrs.get(attr);
  const what = c.server === 'jboss' ? 'ajp-listener' : 'Connector';
  return atLine(s?.path ?? c.path, s?.line ?? c.line, s ? `${what} port ${c.port ?? '?'}: ${attr}="${s.value}"` : `${what} protocol="${c.protocol}" port="${c.port ?? '?'}"${c.address ? ` address="${c.address}"` : ''}`);
}

/** The worker whose `worker.<name>.reference` line starts a chain of references (a ReferenceFailure's first). */
export function referencingWorker(first: Setting): string {
  return first.key.replace(/^worker\./, '').replace(/\.reference$/, '');
}

/** `file:line` for explanations. */
export function where(e: { path: string; line: number }): string {
  return `${e.path}:${e.line}`;
}
