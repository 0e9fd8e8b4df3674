/**
 * The cluster view httpd held, replayed from the exchanges in time order: nodes, their virtual
 * hosts (aliases) and contexts with states, load factor over time and httpd's OK/NOTOK, plus what
 * went wrong, as CaptureEvidence. INFO and DUMP answers are httpd's own word: when one is seen the
 * view is reconciled with it.
 *
 * Rules followed (mod_proxy_cluster native/mod_manager/mod_manager.c unless said otherwise):
 * - CONFIG creates or updates a node (process_config; defaults in read_config_*: balancer
 *   `mycluster`, host `localhost`, port 8009, type ajp, flushwait 10 ms, ping 10 s, smax -1, ttl
 *   60 s); its Alias/Context pairs create contexts in state STOPPED.
 * - *-APP with Alias and Context set that context's state (ENABLED/DISABLED/STOPPED) or remove it;
 *   the `/*` form applies to every context of the node, and REMOVE-APP `/*` removes the node
 *   (mark_node_removed) — httpd then stops routing to it (its mod_cluster-manager page shows NOTOK).
 * - STATUS sets the load factor (1..100, 0 hot standby, -1 broken) and httpd probes the node;
 *   the answer's State is OK or NOTOK, its id is httpd's restart time: a new id means httpd
 *   restarted and lost what it had been told.
 */
import type { CaptureEvidence } from '../util/evidence.js';
import { EvidenceBudget, MAX_EVIDENCE_PER_KIND, type EvidenceUnread } from '../util/evidence-budget.js';
import { unansweredKind, type McmpCollected } from './analyzer.js';
import { GenerationClues, type GenerationGuess } from './generations.js';
import { ALL_GENERATIONS, APP_METHODS } from './methods.js';
import { param } from './params.js';
import { fieldValue } from './responses.js';
import type { McmpExchange, McmpUnanswered, ProbeEvent } from './types.js';

export type ContextStatus = 'ENABLED' | 'DISABLED' | 'STOPPED' | 'REMOVED' | string;

export interface ClusterContext {
  path: string;
  vhost: number;
  aliases: string[];
  status: ContextStatus;
  /** Exchange that last changed it (0: learned from INFO/DUMP only). */
  exchange: number;
  ts: number;
}

export interface LoadPoint {
  ts: number;
  exchange: number;
  load: number;
  /** httpd's answer (OK / NOTOK), or the error type when the STATUS was refused. */
  answer: string;
  frames: number[];
}

export type NodeLifecycle = 'registered' | 'removed' | 'purged' | 'lost' | 'seen-in-info';

export interface ClusterNode {
  jvmRoute: string;
  balancer: string;
  domain: string;
  host: string;
  port: string;
  type: string;
  /** Node settings in INFO's words and units: flushpackets, flushwait (ms), ping (s), smax, ttl (s), timeout (s). */
  settings: Record<string, string>;
  /** Node number in httpd's table (INFO `Node: [n]`). */
  infoNodeId?: number;
  elected?: string;
  /** Current load factor: last STATUS, or INFO's `Load:` when more recent. */
  load?: number;
  /** httpd's view: OK / NOTOK. */
  state?: 'OK' | 'NOTOK';
  lifecycle: NodeLifecycle;
  lifecycleNote?: string;
  vhosts: Array<{ id: number; aliases: string[] }>;
  contexts: ClusterContext[];
  /**
   * Load factor over time: the first LOAD_HEAD points and the last LOAD_TAIL (a day of STATUS every
   * 10 s is 8,640 a node), `loadHistoryDropped` the points between them left out.
   */
  loadHistory: LoadPoint[];
  loadHistoryDropped?: number;
  /** Exchange indexes of the CONFIGs that (re)registered it. */
  configs: number[];
}

export interface ClusterBalancer {
  name: string;
  settings: Record<string, string>;
  /** The DUMP line, when httpd listed it. */
  dumpLine?: string;
}

export interface ClusterChange {
  ts: number;
  exchange: number;
  node?: string;
  what: string;
}

/** One httpd (one MCMP server endpoint) and what it was told. */
export interface ClusterView {
  server: string;
  generation: GenerationGuess;
  nodes: ClusterNode[];
  balancers: ClusterBalancer[];
  /** Restart ids seen in STATUS-RSP / PING-RSP, in order. */
  httpdIds: Array<{ id: string; ts: number; exchange: number }>;
  changes: ClusterChange[];
  /** Changes past MAX_CHANGES, counted, not listed. */
  changesDropped?: number;
}

/** What is counted of every exchange (the list keeps the first MAX_EXCHANGES_LISTED). */
export interface McmpTally {
  exchanges: number;
  /** Exchanges by method as sent. */
  methods: Record<string, number>;
  /** Exchanges by answer status. */
  statuses: Record<string, number>;
  /** Connections that carried an exchange. */
  streams: Set<number>;
  /** Probes linked to an exchange (CPING and OPTIONS). */
  probesLinked: number;
}

export interface McmpAnalysis extends McmpCollected {
  /** Every exchange counted; `exchanges` lists the first MAX_EXCHANGES_LISTED of them. */
  tally: McmpTally;
  /** Evidence items past the bound of their kind (util/evidence-budget.ts), counted, not kept. */
  unread: EvidenceUnread[];
  clusters: ClusterView[];
  evidence: CaptureEvidence[];
}

const NODE_DEFAULTS: Record<string, string> = {
  flushpackets: 'Off',
  flushwait: '10',
  ping: '10',
  smax: '-1',
  ttl: '60',
  timeout: '0',
};
const SETTING_KEYS: Record<string, string> = {
  flushpackets: 'flushpackets',
  flushwait: 'flushwait',
  ping: 'ping',
  smax: 'smax',
  ttl: 'ttl',
  timeout: 'timeout',
  reversed: 'reversed',
};
const BALANCER_KEYS = ['StickySession', 'StickySessionCookie', 'StickySessionPath', 'StickySessionRemove', 'StickySessionForce', 'WaitWorker', 'Maxattempts'];
const BALANCER_DEFAULTS: Record<string, string> = {
  StickySession: 'Yes',
  StickySessionCookie: 'JSESSIONID',
  StickySessionPath: 'jsessionid',
  StickySessionRemove: 'No',
  StickySessionForce: 'Yes',
  WaitWorker: '0',
  Maxattempts: '1',
};

const endpoint = (e: { addr: string; port: number }): string => (e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`);

function capitalOnOff(v: string): string {
  const l = v.toLowerCase();
  if (l === 'on' || l === 'yes') return 'On';
  if (l === 'off' || l === 'no') return 'Off';
  if (l === 'auto') return 'Auto';
  return v;
}

const IP_LITERAL = /^(\d+\.\d+\.\d+\.\d+|\[?[0-9a-fA-F:]+\]?)$/;

/** Load points kept of each node: the first ones and the last ones (LoadHistory). */
export const LOAD_HEAD = 500;
export const LOAD_TAIL = 500;
/** Changes listed per httpd; the rest counted. */
const MAX_CHANGES = 10_000;
/** Exchanges listed in the analysis (the report's list); every one is counted and replayed. */
export const MAX_EXCHANGES_LISTED = 5_000;

/** A node's load points past LOAD_HEAD: the last LOAD_TAIL in a ring, and how many were dropped. */
interface LoadTail {
  ring: LoadPoint[];
  next: number;
  dropped: number;
}

/** Request evidence whose wording waits for the httpd generation the whole capture tells (Replayer.requestEvidence). */
interface Deferred {
  deferred: McmpExchange;
  replayer: Replayer;
}

class Replayer {
  readonly view: ClusterView;
  /** The nodes by JVMRoute (each route is listed once). */
  private readonly byRoute = new Map<string, ClusterNode>();
  private readonly tails = new Map<ClusterNode, LoadTail>();
  /** Contexts by vhost and path, and vhosts by alias, per list (made again when a list is replaced or changed elsewhere). */
  private readonly contextIndex = new WeakMap<ClusterContext[], { length: number; byKey: Map<string, ClusterContext> }>();
  private readonly vhostIndex = new WeakMap<ClusterNode['vhosts'], { length: number; byAlias: Map<string, number>; maxId: number }>();
  /** Where ev() puts an item: the evidence list, or a deferred item's own (requestEvidenceNow). */
  private target: Array<CaptureEvidence | Deferred>;
  /** The probes that may be linked to the exchange being applied (time order). */
  private probes: readonly ProbeEvent[] = [];
  constructor(
    server: string,
    private readonly evidence: Array<CaptureEvidence | Deferred>,
    private readonly budget: EvidenceBudget,
  ) {
    this.view = { server, generation: { candidates: [...ALL_GENERATIONS], reasons: [] }, nodes: [], balancers: [], httpdIds: [], changes: [] };
    this.target = evidence;
  }

  private node(route: string): ClusterNode | undefined {
    return this.byRoute.get(route);
  }

  private addNode(n: ClusterNode): void {
    this.view.nodes.push(n);
    if (!this.byRoute.has(n.jvmRoute)) this.byRoute.set(n.jvmRoute, n);
  }

  private change(x: McmpExchange, what: string, node?: string): void {
    const c: ClusterChange = { ts: x.request.ts, exchange: x.index, what };
    if (node !== undefined) c.node = node;
    if (this.view.changes.length < MAX_CHANGES) this.view.changes.push(c);
    else this.view.changesDropped = (this.view.changesDropped ?? 0) + 1;
  }

  private loadPoint(n: ClusterNode, p: LoadPoint): void {
    if (n.loadHistory.length < LOAD_HEAD) {
      n.loadHistory.push(p);
      return;
    }
    let t = this.tails.get(n);
    if (t === undefined) this.tails.set(n, (t = { ring: [], next: 0, dropped: 0 }));
    if (t.ring.length < LOAD_TAIL) t.ring.push(p);
    else {
      t.ring[t.next] = p;
      t.next = (t.next + 1) % LOAD_TAIL;
      t.dropped++;
    }
  }

  /** The view once every exchange is applied: the generation the whole capture tells, each node's load points in order. */
  finish(generation: GenerationGuess): ClusterView {
    this.view.generation = generation;
    for (const [n, t] of this.tails) {
      n.loadHistory = [...n.loadHistory, ...t.ring.slice(t.next), ...t.ring.slice(0, t.next)];
      if (t.dropped > 0) n.loadHistoryDropped = t.dropped;
    }
    this.tails.clear();
    return this.view;
  }

  private ev(x: McmpExchange, kind: string, detail: string, fields: Record<string, string | number | boolean | null> = {}): void {
    // (a deferred request's items are counted when they are made, at the end)
    if (this.target === this.evidence && !this.budget.take(kind)) return;
    this.target.push({
      source: 'capture',
      kind,
      stream: x.request.stream,
      frames: [...x.request.frames, ...x.response.frames],
      ts: x.request.ts,
      detail,
      fields: { exchange: x.index, method: x.request.method, server: this.view.server, ...fields },
    });
  }

  private balancer(name: string): ClusterBalancer {
    let b = this.view.balancers.find((x) => x.name === name);
    if (!b) {
      b = { name, settings: { ...BALANCER_DEFAULTS } };
      this.view.balancers.push(b);
    }
    return b;
  }

  /**
   * The first of the node's virtual hosts (in list order) that has one of the aliases, or a new one;
   * the aliases added to it. Read through an index by alias: a node with thousands of virtual
   * hosts looked through them all at every *-APP.
   */
  private vhostFor(n: ClusterNode, aliases: string[]): { id: number; aliases: string[] } {
    const lower = aliases.map((a) => a.toLowerCase());
    const vhosts = n.vhosts;
    let ix = this.vhostIndex.get(vhosts);
    if (ix === undefined || ix.length !== vhosts.length) {
      const byAlias = new Map<string, number>();
      let maxId = 0;
      vhosts.forEach((h, i) => {
        for (const a of h.aliases) if (!byAlias.has(a)) byAlias.set(a, i);
        maxId = Math.max(maxId, h.id);
      });
      this.vhostIndex.set(vhosts, (ix = { length: vhosts.length, byAlias, maxId }));
    }
    let at = -1;
    for (const a of lower) {
      const i = ix.byAlias.get(a);
      if (i !== undefined && (at < 0 || i < at)) at = i;
    }
    let v = at >= 0 ? vhosts[at]! : undefined;
    if (!v) {
      v = { id: ix.maxId + 1, aliases: [] };
      vhosts.push(v);
      at = vhosts.length - 1;
      ix.length = vhosts.length;
      ix.maxId = v.id;
    }
    for (const a of lower) {
      if (!v.aliases.includes(a)) {
        v.aliases.push(a);
        if (!ix.byAlias.has(a)) ix.byAlias.set(a, at);
      }
    }
    return v;
  }

  /** The node's contexts by virtual host and path (an index of its list, made again when the list is replaced or changed elsewhere). */
  private contextsOf(n: ClusterNode): { length: number; byKey: Map<string, ClusterContext> } {
    let ix = this.contextIndex.get(n.contexts);
    if (ix === undefined || ix.length !== n.contexts.length) {
      const byKey = new Map<string, ClusterContext>();
      // the first of a key, as findIndex found it
      for (const c of n.contexts) if (!byKey.has(`${c.vhost} ${c.path}`)) byKey.set(`${c.vhost} ${c.path}`, c);
      this.contextIndex.set(n.contexts, (ix = { length: n.contexts.length, byKey }));
    }
    return ix;
  }

  private setContext(n: ClusterNode, x: McmpExchange, aliases: string[], paths: string[], status: ContextStatus | null): void {
    const v = this.vhostFor(n, aliases);
    for (const path of paths) {
      const ix = this.contextsOf(n);
      const key = `${v.id} ${path}`;
      const c = ix.byKey.get(key);
      if (status === null) {
        if (c !== undefined) n.contexts.splice(n.contexts.indexOf(c), 1);
        continue;
      }
      if (c !== undefined) {
        Object.assign(c, { status, exchange: x.index, ts: x.request.ts, aliases: [...v.aliases] });
      } else {
        const made: ClusterContext = { path, vhost: v.id, aliases: [...v.aliases], status, exchange: x.index, ts: x.request.ts };
        n.contexts.push(made);
        ix.byKey.set(key, made);
        ix.length = n.contexts.length;
      }
    }
    if (status === null) {
      // httpd drops a virtual host once no context refers to it.
      n.vhosts = n.vhosts.filter((h) => h.id !== v.id || n.contexts.some((c) => c.vhost === h.id));
    }
  }

  apply(x: McmpExchange, probes: readonly ProbeEvent[]): void {
    this.probes = probes;
    const req = x.request;
    const rsp = x.response;
    const m = req.method.toUpperCase();
    const route = param(req.params, 'JVMRoute');
    const ok = rsp.status === 200;

    this.requestEvidence(x);
    if (rsp.error) {
      const t = (rsp.error.type ?? 'GENERAL').toUpperCase();
      const kind = t === 'SYNTAX' ? 'mcmp-syntax-error' : t === 'MEM' ? 'mcmp-mem-error' : 'mcmp-general-error';
      this.ev(x, kind, `${req.method} refused: ${rsp.error.mess ?? t}`, {
        type: t,
        mess: rsp.error.mess ?? null,
        node: route ?? null,
        body: req.body.slice(0, 200),
      });
      if (/Can't read node/i.test(rsp.error.mess ?? '') && route !== undefined) {
        this.ev(x, 'mcmp-node-unknown', `${req.method} for node "${route}" that httpd does not know: the node must (re)send CONFIG`, { node: route });
      }
      if (m === 'STATUS' && route !== undefined) {
        const n = this.node(route);
        const load = loadOf(param(req.params, 'Load'));
        if (n && load !== undefined) {
          this.loadPoint(n, { ts: req.ts, exchange: x.index, load, answer: t, frames: [...req.frames, ...rsp.frames] });
        }
      }
    } else if (!ok) {
      this.ev(x, 'mcmp-http-error', `${req.method} answered HTTP ${rsp.status} ${rsp.reason} without an MCMP error (not handled by mod_manager)`, {
        status: rsp.status,
      });
    }

    if (ok) {
      if (m === 'CONFIG' && route) this.config(x, route);
      else if (APP_METHODS.has(m) && route) this.app(x, m, route);
      else if (m === 'STATUS' && route) this.status(x, route);
      else if (m === 'PING') this.ping(x, route);
      else if (m === 'INFO') this.info(x);
      else if (m === 'DUMP') this.dump(x);
    }
    this.trackId(x);
  }

  /**
   * A request's own problems and an unknown method. Whether a limit or a method applies depends on
   * the httpd generation, which the whole capture tells (generations.ts): such a request's items
   * are made at the end (Deferred, in their place among the others).
   */
  private requestEvidence(x: McmpExchange): void {
    const req = x.request;
    const known = req.knownBy.length;
    if (req.problems.some((p) => p.generations !== undefined) || (known > 0 && known < ALL_GENERATIONS.length)) {
      this.evidence.push({ deferred: x, replayer: this });
      return;
    }
    this.requestEvidenceNow(x);
  }

  /** A deferred request's items, the generation known (view.generation set by finish). */
  deferredEvidence(x: McmpExchange): CaptureEvidence[] {
    const out: CaptureEvidence[] = [];
    this.target = out;
    try {
      this.requestEvidenceNow(x);
    } finally {
      this.target = this.evidence;
    }
    return out;
  }

  private requestEvidenceNow(x: McmpExchange): void {
    const req = x.request;
    const gen = this.view.generation;
    // Bounded per request: a STATUS with 16,000 unknown parameters is one request, not 16,000
    // evidence items each carrying every frame of the exchange (issue 15). The first
    // PROBLEMS_PER_KIND of each kind are items; the rest are counted in one more item.
    const perKind = new Map<string, number>();
    for (const p of req.problems) {
      // A limit or rule of another server generation than the one answering does not apply.
      if (p.generations && gen.generation && !p.generations.includes(gen.generation)) continue;
      const kind = p.kind === 'too-long' ? 'mcmp-param-too-long' : p.kind === 'missing-required' ? 'mcmp-param-missing' : 'mcmp-param-invalid';
      const seen = (perKind.get(kind) ?? 0) + 1;
      perKind.set(kind, seen);
      if (seen > PROBLEMS_PER_KIND) continue;
      const f: Record<string, string | number | boolean | null> = { problem: p.kind, key: p.key ?? null };
      if (p.length !== undefined) f.length = p.length;
      if (p.max !== undefined) f.max = p.max;
      if (p.generations) f.generations = p.generations.join(',');
      this.ev(x, kind, `${req.method}: ${p.detail}`, f);
    }
    for (const [kind, n] of perKind) {
      if (n <= PROBLEMS_PER_KIND) continue;
      this.ev(x, kind, `${req.method}: ${n - PROBLEMS_PER_KIND} more problem(s) of this kind in the same request (the first ${PROBLEMS_PER_KIND} are listed)`, { problem: 'more', key: null, count: n - PROBLEMS_PER_KIND });
    }
    const known = req.knownBy;
    const unknownHere = gen.generation ? !known.includes(gen.generation) : known.length === 0;
    if (unknownHere) {
      this.ev(
        x,
        'mcmp-method-unknown',
        known.length === 0
          ? `${req.method} is not an MCMP method of any mod_cluster / mod_proxy_cluster version`
          : `${req.method} is only known by ${known.join(', ')}; this httpd (${gen.generation}) does not handle it`,
        { knownBy: known.join(',') || null, status: x.response.status },
      );
    }
  }

  private config(x: McmpExchange, route: string): void {
    const p = x.request.params;
    let n = this.node(route);
    const fresh = !n || n.lifecycle !== 'registered';
    if (!n) {
      n = {
        jvmRoute: route, balancer: 'mycluster', domain: '', host: 'localhost', port: '8009', type: 'ajp',
        settings: { ...NODE_DEFAULTS }, lifecycle: 'registered', vhosts: [], contexts: [], loadHistory: [], configs: [],
      };
      this.addNode(n);
    }
    n.lifecycle = 'registered';
    delete n.lifecycleNote;
    n.configs.push(x.index);
    if (fresh) {
      n.vhosts = [];
      n.contexts = [];
      delete n.state;
    }
    n.balancer = param(p, 'Balancer') ?? n.balancer;
    n.domain = param(p, 'Domain') ?? n.domain;
    n.host = param(p, 'Host') ?? n.host;
    n.port = param(p, 'Port') ?? n.port;
    n.type = param(p, 'Type') ?? n.type;
    for (const q of p) {
      const k = SETTING_KEYS[q.key.toLowerCase()];
      if (k) n.settings[k] = k === 'flushpackets' ? capitalOnOff(q.value) : q.value;
    }
    // Every CONFIG rewrites its balancer: keys it does not carry go back to httpd's defaults
    // (process_config reads the balancer with defaults, then insert_update_balancer).
    const b = this.balancer(n.balancer);
    b.settings = { ...BALANCER_DEFAULTS };
    for (const key of BALANCER_KEYS) {
      const v = param(p, key);
      if (v !== undefined) b.settings[key] = v;
    }
    const alias = param(p, 'Alias');
    const context = param(p, 'Context');
    if (alias && context) this.setContext(n, x, alias.split(','), context.split(','), 'STOPPED');
    this.change(x, fresh ? `node registered (${n.type}://${n.host}:${n.port}, balancer ${n.balancer})` : 'node configuration refreshed', route);
  }

  private app(x: McmpExchange, m: string, route: string): void {
    const n = this.node(route);
    if (!n || n.lifecycle !== 'registered') {
      this.ev(x, 'mcmp-node-unknown', `${m} for node "${route}" that has not sent CONFIG (as far as the capture shows)`, { node: route });
      if (!n) return;
    }
    const status: ContextStatus | null =
      m === 'ENABLE-APP' ? 'ENABLED' : m === 'DISABLE-APP' ? 'DISABLED' : m === 'STOP-APP' ? 'STOPPED' : null;
    if (x.request.wildcard) {
      if (status === null) {
        n.lifecycle = 'removed';
        n.lifecycleNote = `REMOVE-APP /* accepted (exchange ${x.index}); httpd keeps listing the node, without contexts, until it purges it`;
        n.contexts = [];
        n.vhosts = [];
        n.state = 'NOTOK';
        this.change(x, 'node removed (REMOVE-APP /*)', route);
        // Who sent it: the node itself when it shuts down (ModClusterService.stop), anyone else behind its back.
        this.ev(x, 'mcmp-node-removed', `node ${route} removed (REMOVE-APP /* accepted, sent from ${endpoint(x.request.client)})`, {
          node: route,
          client: endpoint(x.request.client),
        });
      } else {
        for (const c of n.contexts) Object.assign(c, { status, exchange: x.index, ts: x.request.ts });
        this.change(x, `every context ${status}`, route);
      }
    } else {
      const alias = param(x.request.params, 'Alias') ?? '';
      const context = param(x.request.params, 'Context') ?? '';
      this.setContext(n, x, alias.split(','), context.split(','), status);
      this.change(x, `${context} ${status ?? 'removed'}`, route);
    }
    if (m === 'STOP-APP') {
      const d = x.response.decoded;
      if (d.kind === 'fields') {
        const requests = Number(fieldValue(d.fields, 'Requests'));
        if (Number.isFinite(requests) && requests > 0) {
          this.ev(x, 'mcmp-stop-app-requests-active', `STOP-APP answered with ${requests} request(s) still active on ${route}`, { node: route, requests });
        }
      } else if (d.kind === 'app-rsp' && !x.request.wildcard) {
        this.ev(
          x,
          'mcmp-stop-app-no-requests',
          'STOP-APP answer has no Requests= field (mod_proxy_cluster main): the Java listener reads 0 and ends request draining at once',
          { node: route },
        );
      }
    }
  }

  private linkProbes(x: McmpExchange, target: { host: string; port: string } | undefined): void {
    if (!target) return;
    const from = x.request.ts;
    const to = x.response.ts;
    const exact = `${target.host}:${target.port}`;
    const byPortOnly = !IP_LITERAL.test(target.host);
    for (const p of this.probes) {
      if (p.ts < from) continue;
      if (p.ts > to) break;
      const match = p.target === exact || (byPortOnly && p.target.endsWith(`:${target.port}`));
      if (!match) continue;
      if (p.kind === 'CPING') x.probes.cping++;
      else if (p.kind === 'CPONG') x.probes.cpong++;
      else if (p.kind === 'OPTIONS') x.probes.options++;
      else continue;
      if (!x.probes.targets.includes(p.target)) x.probes.targets.push(p.target);
      x.probes.frames.push(p.frame);
    }
  }

  private status(x: McmpExchange, route: string): void {
    const n = this.node(route);
    const load = loadOf(param(x.request.params, 'Load'));
    const d = x.response.decoded;
    const state = d.kind === 'fields' ? fieldValue(d.fields, 'State') : undefined;
    if (!n || n.lifecycle === 'purged' || n.lifecycle === 'lost') {
      this.ev(x, 'mcmp-node-unknown', `STATUS for node "${route}" that httpd does not know (CONFIG needed)`, { node: route });
    }
    if (n) {
      this.linkProbes(x, { host: n.host, port: n.port });
      if (state === 'OK' || state === 'NOTOK') n.state = state;
      if (load !== undefined) {
        n.load = load;
        this.loadPoint(n, { ts: x.request.ts, exchange: x.index, load, answer: state ?? '?', frames: [...x.request.frames, ...x.response.frames] });
      }
    }
    if (load === -1) this.ev(x, 'mcmp-node-broken', `${route} reported Load=-1 (broken: its connector is unavailable)`, { node: route, load });
    if (state === 'NOTOK') {
      this.ev(x, 'mcmp-node-notok', `httpd answered State=NOTOK for ${route}: its probe of the node failed or the node is no longer usable`, { node: route, load: load ?? null });
    }
  }

  private ping(x: McmpExchange, route: string | undefined): void {
    const d = x.response.decoded;
    const state = d.kind === 'fields' ? fieldValue(d.fields, 'State') : undefined;
    if (route !== undefined) {
      const n = this.node(route);
      if (n) {
        this.linkProbes(x, { host: n.host, port: n.port });
        if (state === 'OK' || state === 'NOTOK') n.state = state;
      }
    } else {
      const host = param(x.request.params, 'Host');
      const port = param(x.request.params, 'Port');
      if (host !== undefined && port !== undefined) this.linkProbes(x, { host, port });
    }
    if (state === 'NOTOK') {
      this.ev(x, 'mcmp-node-notok', `PING answered State=NOTOK${route ? ` for ${route}` : ''}`, { node: route ?? null });
    }
  }

  private info(x: McmpExchange): void {
    const d = x.response.decoded;
    if (d.kind !== 'info') return;
    const listed = new Set<string>();
    for (const i of d.nodes) {
      listed.add(i.name);
      let n = this.node(i.name);
      if (!n) {
        n = {
          jvmRoute: i.name, balancer: i.balancer, domain: i.lbGroup, host: i.host, port: i.port, type: i.type,
          settings: { ...NODE_DEFAULTS }, lifecycle: 'seen-in-info', vhosts: [], contexts: [], loadHistory: [], configs: [],
        };
        this.addNode(n);
        this.change(x, 'node learned from INFO', i.name);
      }
      n.infoNodeId = i.id;
      n.balancer = i.balancer;
      n.domain = i.lbGroup;
      n.host = i.host;
      n.port = i.port;
      n.type = i.type;
      n.elected = i.elected;
      Object.assign(n.settings, { flushpackets: i.flushpackets, flushwait: i.flushwait, ping: i.ping, smax: i.smax, ttl: i.ttl });
      const load = loadOf(i.load);
      if (load !== undefined) n.load = load;
      const vhosts = new Map<number, string[]>();
      for (const v of d.vhosts) if (v.node === i.id) vhosts.set(v.vhost, [...(vhosts.get(v.vhost) ?? []), v.alias]);
      n.vhosts = [...vhosts].map(([id, aliases]) => ({ id, aliases }));
      const before = new Map(n.contexts.map((c) => [`${c.vhost} ${c.path}`, c]));
      const mine = [...before.values()].map((c) => `${c.path} ${c.status}`).sort().join(', ');
      const told = d.contexts.filter((c) => c.node === i.id).map((c) => `${c.path} ${c.status}`).sort().join(', ');
      if (n.lifecycle === 'registered' && mine !== told) {
        this.change(x, `INFO differs from the replay: contexts [${mine}] → [${told}]`, n.jvmRoute);
      }
      n.contexts = d.contexts
        .filter((c) => c.node === i.id)
        .map((c) => {
          const old = before.get(`${c.vhost} ${c.path}`);
          return {
            path: c.path,
            vhost: c.vhost,
            aliases: vhosts.get(c.vhost) ?? [],
            status: c.status,
            exchange: old && old.status === c.status ? old.exchange : x.index,
            ts: old && old.status === c.status ? old.ts : x.request.ts,
          };
        });
    }
    for (const n of this.view.nodes) {
      if (listed.has(n.jvmRoute)) continue;
      if (n.lifecycle === 'removed') {
        n.lifecycle = 'purged';
        n.lifecycleNote = `no longer listed by INFO (exchange ${x.index})`;
        this.change(x, 'node purged by httpd (absent from INFO)', n.jvmRoute);
      } else if (n.lifecycle === 'registered' || n.lifecycle === 'seen-in-info') {
        n.lifecycle = 'lost';
        n.lifecycleNote = `absent from INFO (exchange ${x.index}) although never removed on the wire`;
        this.change(x, 'node absent from INFO', n.jvmRoute);
      }
    }
  }

  private dump(x: McmpExchange): void {
    const d = x.response.decoded;
    if (d.kind !== 'dump') return;
    const yesNo = (v: string | undefined): string | undefined => (v === undefined ? undefined : v === '0' ? 'No' : 'Yes');
    const bool = (v: string | undefined): string | undefined => (v === undefined ? undefined : /^(yes|on|true|1)$/i.test(v) ? 'Yes' : 'No');
    for (const db of d.balancers) {
      const b = this.balancer(db.name);
      b.dumpLine = db.line;
      // httpd's own numbers win; a difference means the replay missed something (capture started late, lost packets).
      const told: Record<string, string | undefined> = {
        StickySession: yesNo(db.fields.Sticky),
        StickySessionCookie: db.fields.StickySessionCookie,
        StickySessionPath: db.fields.StickySessionPath,
        StickySessionRemove: yesNo(db.fields.remove),
        StickySessionForce: yesNo(db.fields.force),
        WaitWorker: db.fields.Timeout,
        Maxattempts: db.fields.maxAttempts,
      };
      const diffs: string[] = [];
      for (const [k, v] of Object.entries(told)) {
        if (v === undefined) continue;
        const mine = k.startsWith('StickySession') && !k.endsWith('Cookie') && !k.endsWith('Path') ? bool(b.settings[k]) : b.settings[k];
        if (mine !== v) diffs.push(`${k} ${mine ?? '?'} → ${v}`);
        b.settings[k] = v;
      }
      if (diffs.length > 0) this.change(x, `DUMP differs from the replay for balancer ${db.name}: ${diffs.join(', ')}`);
    }
    for (const dn of d.nodes) {
      const n = this.node(dn.fields.JVMRoute ?? '');
      if (n && dn.fields.timeout !== undefined) n.settings.timeout = dn.fields.timeout;
    }
  }

  private trackId(x: McmpExchange): void {
    const d = x.response.decoded;
    if (d.kind !== 'fields' || (d.fields.type !== 'STATUS-RSP' && d.fields.type !== 'PING-RSP')) return;
    const id = fieldValue(d.fields, 'id');
    if (id === undefined) return;
    const last = this.view.httpdIds[this.view.httpdIds.length - 1];
    if (last && last.id === id) return;
    this.view.httpdIds.push({ id, ts: x.request.ts, exchange: x.index });
    if (!last) return;
    this.ev(x, 'mcmp-httpd-restarted', `httpd restart id changed from ${last.id} to ${id}: httpd restarted and lost the cluster configuration`, {
      previousId: last.id,
      id,
    });
    this.change(x, `httpd restarted (id ${last.id} → ${id})`);
    for (const n of this.view.nodes) {
      if (n.lifecycle === 'registered' && !n.configs.some((c) => c > last.exchange)) {
        n.lifecycle = 'lost';
        n.lifecycleNote = `httpd restarted (exchange ${x.index}); not registered again since`;
      }
    }
  }
}

/** Parameter problems of one request listed as evidence items, per kind (the rest counted in one item). */
const PROBLEMS_PER_KIND = 32;

function unansweredEvidence(u: McmpUnanswered): CaptureEvidence {
  const r = u.request;
  const detail =
    u.reason === 'keepalive-closed'
      ? `${r.method} written on a kept-alive connection httpd had already closed; httpd answered RST${u.resentAs ? `, resent as exchange ${u.resentAs}` : ''}`
      : `${r.method} got no answer (${u.reason})`;
  return {
    source: 'capture',
    kind: unansweredKind(u),
    stream: r.stream,
    frames: [...r.frames, ...u.frames],
    ts: r.ts,
    detail,
    fields: { method: r.method, reason: u.reason, resentAs: u.resentAs ?? null, server: endpoint(r.server) },
  };
}

/**
 * Replays each httpd's exchanges as they come, in their order (McmpAnalyzer onExchange), and keeps
 * what the report lists: the first MAX_EXCHANGES_LISTED exchanges, every one counted (McmpTally).
 * Exchanges are the servers' in time order, each server's view its own.
 */
export class ClusterReplay {
  private readonly servers = new Map<string, { replayer: Replayer; clues: GenerationClues }>();
  private readonly budget: EvidenceBudget;
  private readonly evidence: Array<CaptureEvidence | Deferred> = [];
  /** Answers that could not be read, in exchange order (after the replay's items, as before the sort). */
  private readonly unreadable: CaptureEvidence[] = [];
  private readonly listed: McmpExchange[] = [];
  private readonly tally: McmpTally = { exchanges: 0, methods: {}, statuses: {}, streams: new Set(), probesLinked: 0 };

  /** `perKind`: the evidence items of a kind kept (tests give a small bound). */
  constructor(perKind = MAX_EVIDENCE_PER_KIND) {
    this.budget = new EvidenceBudget(perKind);
  }

  add(x: McmpExchange, probes: readonly ProbeEvent[]): void {
    const k = endpoint(x.request.server);
    let s = this.servers.get(k);
    if (s === undefined) this.servers.set(k, (s = { replayer: new Replayer(k, this.evidence, this.budget), clues: new GenerationClues() }));
    s.clues.add(x);
    s.replayer.apply(x, probes);
    const t = this.tally;
    t.exchanges++;
    t.methods[x.request.method] = (t.methods[x.request.method] ?? 0) + 1;
    const status = String(x.response.status);
    t.statuses[status] = (t.statuses[status] ?? 0) + 1;
    t.streams.add(x.request.stream);
    t.probesLinked += x.probes.cping + x.probes.options;
    // Framing problems of the answer first, then an answer body that did not decode.
    const reasons = [...x.response.problems];
    if (x.response.decoded.kind === 'unparsable') reasons.push(x.response.decoded.reason);
    for (const reason of reasons) {
      if (!this.budget.take('mcmp-unparsable')) continue;
      this.unreadable.push({
        source: 'capture',
        kind: 'mcmp-unparsable',
        stream: x.request.stream,
        frames: x.response.frames,
        ts: x.response.ts,
        detail: `answer to ${x.request.method}: ${reason}`,
        fields: { exchange: x.index },
      });
    }
    if (this.listed.length < MAX_EXCHANGES_LISTED) this.listed.push(x);
  }

  /** The analysis, with what the analyzer collected besides the exchanges (its `exchanges` are added first when it has any). */
  finish(c: McmpCollected): McmpAnalysis {
    for (const x of c.exchanges) this.add(x, c.probes);
    const clusters: ClusterView[] = [];
    for (const { replayer, clues } of this.servers.values()) clusters.push(replayer.finish(clues.guess()));
    const evidence: CaptureEvidence[] = [];
    for (const e of this.evidence) {
      if (!('deferred' in e)) evidence.push(e);
      else for (const d of e.replayer.deferredEvidence(e.deferred)) if (this.budget.take(d.kind)) evidence.push(d);
    }
    for (const u of c.unanswered) {
      const e = unansweredEvidence(u);
      if (this.budget.take(e.kind)) evidence.push(e);
    }
    for (const [kind, n] of c.unansweredTally.unlisted) this.budget.skip(kind, n);
    for (const stream of c.unansweredTally.streams) this.tally.streams.add(stream);
    for (const b of c.broken) {
      if (!this.budget.take('mcmp-unparsable')) continue;
      evidence.push({
        source: 'capture',
        kind: 'mcmp-unparsable',
        stream: b.stream,
        frames: b.frames,
        ts: b.ts,
        detail: `HTTP on an MCMP connection could not be read (${b.dir}): ${b.reason}`,
        fields: { dir: b.dir },
      });
    }
    for (const e of this.unreadable) evidence.push(e);
    evidence.sort((a, b) => a.ts - b.ts);
    return { ...c, exchanges: this.listed, tally: this.tally, unread: this.budget.unread(), clusters, evidence };
  }
}

/** Replays every MCMP server's exchanges and collects what went wrong (all collected first: McmpAnalyzer without onExchange). */
export function buildAnalysis(c: McmpCollected): McmpAnalysis {
  return new ClusterReplay().finish(c);
}

/** Stable evidence kinds produced by this stage. */
export const MCMP_EVIDENCE_KINDS = [
  'mcmp-node-broken',
  'mcmp-node-notok',
  'mcmp-syntax-error',
  'mcmp-mem-error',
  'mcmp-general-error',
  'mcmp-http-error',
  'mcmp-node-unknown',
  'mcmp-node-removed',
  'mcmp-httpd-restarted',
  'mcmp-stop-app-requests-active',
  'mcmp-stop-app-no-requests',
  'mcmp-param-too-long',
  'mcmp-param-missing',
  'mcmp-param-invalid',
  'mcmp-method-unknown',
  'mcmp-keepalive-closed',
  'mcmp-unanswered',
  'mcmp-unparsable',
] as const;

/**
 * A Load value as a number: an integer, as mod_proxy_cluster's atoi() reads a well-formed one;
 * undefined for anything else (`Load=` empty, `1e400`, `abc`), which the parameter check
 * (params.ts checkRequest) already reports, so that it never reads as 0, Infinity or NaN.
 */
function loadOf(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\s*-?\d{1,9}\s*$/.test(raw)) return undefined;
  return Number(raw);
}
