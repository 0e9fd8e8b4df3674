/**
 * The MCMP vertical replays each exchange as soon as its order is known (McmpAnalyzer onExchange →
 * ClusterReplay) instead of holding them all to the end. The same conversations, interleaved over
 * many connections, must give the same section both ways: numbered in the order of their request's
 * first byte (a request answered seconds late keeps its number), its probes linked, a resend linked
 * to the unanswered request it repeats, and a request item that depends on the httpd generation the
 * whole capture tells. And what the report keeps of a long capture is bounded and says what it left out.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatErrors, validate, type Schema } from '../helpers/json-schema.js';
import { ClusterReplay, MAX_EXCHANGES_LISTED, MAX_UNANSWERED_LISTED, McmpAnalyzer, buildAnalysis, mcmpSection, renderMcmpText, type McmpAnalysis } from '../../src/mcmp/index.js';
import { CPING, CPONG, chunked200, javaRequest, play, type Conversation, type Turn } from './conversation.js';

const HTTPD = { addr: '10.0.0.5', port: 6666 };
const NEUTRAL = 'Apache/2.4.62 (Unix)';

function streamed(phases: Conversation[][], perKind?: number): McmpAnalysis {
  const replay = new ClusterReplay(perKind);
  const a = new McmpAnalyzer({ onExchange: (x, probes) => replay.add(x, probes) });
  for (const p of phases) play(a, p);
  return replay.finish(a.finish());
}

function collected(phases: Conversation[][]): McmpAnalysis {
  const a = new McmpAnalyzer();
  for (const p of phases) play(a, p);
  return buildAnalysis(a.finish());
}

const status = (n: number, load: number): string => `JVMRoute=node${n}&Load=${load}`;
const statusRsp = (n: number, state = 'OK', server = 'Apache/2.4.62 (Unix) mod_proxy_cluster/2.0.0.Final'): string => chunked200(`Type=STATUS-RSP&JVMRoute=node${n}&State=${state}&id=1763712345678901`, server);

/**
 * Phase one: NODES nodes, each on its own kept-alive connection (CONFIG, ENABLE-APP, then a STATUS
 * every 0.1 s, httpd probing the node over AJP between request and answer); node 0's STATUS at
 * t = 10 answered 5 s late (NOTOK); a QUERY (known by mod_cluster 1.3 only) answered before any
 * answer tells the generation; connection 900 writes a STATUS after httpd closed it (FIN, then RST).
 * Phase two: the resend of that STATUS on a fresh connection, and more STATUS traffic.
 */
function conversations(): Conversation[][] {
  const NODES = 12;
  const one: Conversation[] = [];
  const ajp: Conversation[] = [];
  for (let n = 0; n < NODES; n++) {
    const turns: Turn[] = [];
    const ajpTurns: Turn[] = [];
    const t0 = 0.01 * n;
    // The first answers say nothing of the generation (no module in Server).
    turns.push({ dir: 'c2s', data: javaRequest('CONFIG', '/', `JVMRoute=node${n}&Host=10.1.0.${n}&Port=8009&Type=ajp`), ts: t0 });
    turns.push({ dir: 's2c', data: chunked200('', NEUTRAL), ts: t0 + 0.002 });
    if (n === 3) {
      turns.push({ dir: 'c2s', data: javaRequest('QUERY', '/', 'JVMRoute=node3'), ts: t0 + 0.003 });
      turns.push({ dir: 's2c', data: chunked200('', NEUTRAL), ts: t0 + 0.004 });
    }
    turns.push({ dir: 'c2s', data: javaRequest('ENABLE-APP', '/', `JVMRoute=node${n}&Alias=localhost&Context=%2Fapp`), ts: t0 + 0.005 });
    turns.push({ dir: 's2c', data: chunked200(''), ts: t0 + 0.006 });
    for (let k = 0; k < 300; k++) {
      const t = 1 + k * 0.1 + t0;
      const late = n === 0 && k === 90;
      turns.push({ dir: 'c2s', data: javaRequest('STATUS', '/', status(n, (k * 7 + n) % 101)), ts: t });
      ajpTurns.push({ dir: 'c2s', data: CPING, ts: t + 0.001 });
      ajpTurns.push({ dir: 's2c', data: CPONG, ts: t + 0.002 });
      // node 0's STATUS at t = 10 answered at t = 15: its next STATUS waits for it (no pipelining)
      if (n === 0 && k > 90 && k < 141) continue;
      turns.push({ dir: 's2c', data: late ? statusRsp(n, 'NOTOK') : statusRsp(n), ts: late ? t + 5 : t + 0.003 });
    }
    one.push({ id: n + 1, client: { addr: `10.1.0.${n}`, port: 40000 + n }, server: HTTPD, turns });
    ajp.push({ id: 100 + n, client: { addr: HTTPD.addr, port: 50000 + n }, server: { addr: `10.1.0.${n}`, port: 8009 }, turns: ajpTurns });
  }
  // httpd closed the kept-alive connection (FIN), the listener wrote a STATUS into it, got RST
  one.push({
    id: 900,
    client: { addr: '10.1.0.1', port: 41000 },
    server: HTTPD,
    turns: [
      { dir: 'c2s', data: javaRequest('STATUS', '/', status(1, 55)), ts: 20 },
      { dir: 's2c', data: statusRsp(1), ts: 20.001 },
      { event: 'fin', dir: 's2c', ts: 25 },
      { dir: 'c2s', data: javaRequest('STATUS', '/', status(1, 56)), ts: 30.5 },
      { event: 'rst', dir: 's2c', ts: 30.501 },
    ],
    end: 'rst',
  });
  const two: Conversation[] = [
    {
      id: 901,
      client: { addr: '10.1.0.1', port: 41001 },
      server: HTTPD,
      turns: [
        { dir: 'c2s', data: javaRequest('STATUS', '/', status(1, 56)), ts: 31 },
        { dir: 's2c', data: statusRsp(1), ts: 31.001 },
        ...Array.from({ length: 200 }, (_, k): Turn[] => [
          { dir: 'c2s', data: javaRequest('STATUS', '/', status(1, k % 101)), ts: 32 + k * 0.05 },
          { dir: 's2c', data: statusRsp(1), ts: 32 + k * 0.05 + 0.001 },
        ]).flat(),
      ],
    },
  ];
  // Phase three: a connection whose first packet is stamped 0.3 s before the last one of phase two
  // (packet times going back a little, as the queues of a multi-queue NIC stamp them apart).
  const three: Conversation[] = [
    {
      id: 902,
      client: { addr: '10.1.0.2', port: 41002 },
      server: HTTPD,
      turns: [
        { dir: 'c2s', data: javaRequest('STATUS', '/', status(2, 7)), ts: 41.66 },
        { dir: 's2c', data: statusRsp(2), ts: 41.661 },
      ],
    },
  ];
  return [[...one, ...ajp], two, three];
}

describe('MCMP exchanges replayed as they come', () => {
  it('give the same section as all of them replayed at the end', () => {
    const c = conversations();
    const a = streamed(c);
    const b = collected(c);
    expect(a.tally.exchanges).toBeGreaterThan(3000);
    expect(mcmpSection(a, 0)).toEqual(mcmpSection(b, 0));
    expect(renderMcmpText(a, { color: false, t0: 0 })).toBe(renderMcmpText(b, { color: false, t0: 0 }));
  });

  it('number a request answered 5 s late by its first byte, link probes, the resend, and the generation-bound item', () => {
    const a = streamed(conversations());
    const late = a.exchanges.find((x) => x.request.ts === 10 && x.response.ts === 15)!;
    expect(late).toBeDefined();
    // every exchange whose request came before t = 10 is numbered before it, every later one after
    expect(a.exchanges.filter((x) => x.index < late.index).every((x) => x.request.ts <= 10)).toBe(true);
    expect(a.exchanges.filter((x) => x.index > late.index).every((x) => x.request.ts >= 10)).toBe(true);
    expect(a.exchanges.every((x, i) => x.index === i + 1)).toBe(true);
    // the one stamped before the last exchanges of phase two is numbered before them
    const back = a.exchanges.find((x) => x.request.stream === 902)!;
    expect(a.exchanges.filter((x) => x.request.ts > 41.66).every((x) => x.index > back.index)).toBe(true);
    // httpd's CPing of the node while it handled each STATUS
    expect(a.exchanges.filter((x) => x.request.method === 'STATUS' && x.probes.cping === 1).length).toBeGreaterThan(3000);
    const u = a.unanswered.find((v) => v.request.stream === 900)!;
    expect(u.reason).toBe('keepalive-closed');
    const resend = a.exchanges.find((x) => x.request.stream === 901 && x.request.ts === 31)!;
    expect(u.resentAs).toBe(resend.index);
    expect(resend.resendOf?.stream).toBe(900);
    // QUERY is mod_cluster 1.3's; the answers later say mod_proxy_cluster 2.x, which does not know it
    expect(a.clusters[0]!.generation.generation).toBe('mod_proxy_cluster-2.x');
    expect(a.evidence.filter((e) => e.kind === 'mcmp-method-unknown').map((e) => e.fields?.method)).toEqual(['QUERY']);
  });
});

describe('what a long capture keeps', () => {
  /** One node sending `n` STATUS on one connection. */
  function statuses(n: number): Conversation[][] {
    const turns: Turn[] = [
      { dir: 'c2s', data: javaRequest('CONFIG', '/', 'JVMRoute=node0&Host=10.1.0.9&Port=8009&Type=ajp'), ts: 0 },
      { dir: 's2c', data: chunked200(''), ts: 0.001 },
    ];
    for (let k = 0; k < n; k++) {
      turns.push({ dir: 'c2s', data: javaRequest('STATUS', '/', status(0, k % 101)), ts: 1 + k });
      turns.push({ dir: 's2c', data: statusRsp(0), ts: 1 + k + 0.001 });
    }
    return [[{ id: 1, client: { addr: '10.1.0.9', port: 40000 }, server: HTTPD, turns }]];
  }

  it('lists the first exchanges, counts them all, and keeps the first and last 500 load points of a node', () => {
    const n = MAX_EXCHANGES_LISTED + 100;
    const a = streamed(statuses(n));
    const s = mcmpSection(a, 0);
    expect(s.exchangeCount).toBe(n + 1);
    expect(s.exchanges).toHaveLength(MAX_EXCHANGES_LISTED);
    expect(s.exchangesDropped).toBe(n + 1 - MAX_EXCHANGES_LISTED);
    expect(s.messages).toEqual({ CONFIG: 1, STATUS: n });
    expect(s.answers).toEqual({ '200': n + 1 });
    const node = a.clusters[0]!.nodes[0]!;
    expect(node.loadHistory).toHaveLength(1000);
    expect(node.loadHistoryDropped).toBe(n - 1000);
    expect(node.loadHistory.slice(0, 500).map((p) => p.ts)).toEqual(Array.from({ length: 500 }, (_, k) => 1 + k));
    expect(node.loadHistory.slice(500).map((p) => p.ts)).toEqual(Array.from({ length: 500 }, (_, k) => 1 + n - 500 + k));
    // what was left out is said in the report's own terms (docs/report.schema.json)
    const schema = JSON.parse(readFileSync(new URL('../../docs/report.schema.json', import.meta.url), 'utf8')) as { $defs: Record<string, Schema> };
    const errors = validate(schema.$defs.mcmpSection!, JSON.parse(JSON.stringify(s)), schema as Schema);
    expect(errors, formatErrors(errors)).toEqual([]);
    expect(validate(schema.$defs.mcmpSection!, { ...JSON.parse(JSON.stringify(s)), exchangesDropped: 0 }, schema as Schema).length).toBeGreaterThan(0);
    const text = renderMcmpText(a, { color: false, t0: 0 });
    expect(text).toContain(`MCMP: ${n + 1} exchange(s) on 1 connection(s)`);
    expect(text).toContain(`(${n + 1 - 500} more exchanges; --format json lists the first ${MAX_EXCHANGES_LISTED})`);
    expect(text).toContain(`| … ${n - 1000} more … |`);
  });

  it('under the bounds, lists everything and says nothing was left out', () => {
    const a = streamed(statuses(600));
    const s = mcmpSection(a, 0);
    expect(s.exchanges).toHaveLength(601);
    expect(s.exchangesDropped).toBeUndefined();
    expect(a.clusters[0]!.nodes[0]!.loadHistory).toHaveLength(600);
    expect(a.clusters[0]!.nodes[0]!.loadHistoryDropped).toBeUndefined();
    expect(renderMcmpText(a, { color: false, t0: 0 })).toContain('(101 more exchanges; --format json lists them all)');
  });
});

describe('what a long capture of failures keeps', () => {
  it("keeps each evidence kind's first items and counts the rest", () => {
    const turns: Turn[] = [
      { dir: 'c2s', data: javaRequest('CONFIG', '/', 'JVMRoute=node0&Host=10.1.0.9&Port=8009&Type=ajp'), ts: 0 },
      { dir: 's2c', data: chunked200(''), ts: 0.001 },
    ];
    for (let k = 0; k < 10; k++) {
      turns.push({ dir: 'c2s', data: javaRequest('STATUS', '/', status(0, 50)), ts: 1 + k });
      turns.push({ dir: 's2c', data: statusRsp(0, 'NOTOK'), ts: 1 + k + 0.001 });
    }
    const a = streamed([[{ id: 1, client: { addr: '10.1.0.9', port: 40000 }, server: HTTPD, turns }]], 3);
    expect(a.evidence.filter((e) => e.kind === 'mcmp-node-notok').map((e) => e.fields?.exchange)).toEqual([2, 3, 4]);
    expect(a.unread).toEqual([{ kind: 'mcmp-node-notok', items: 7, kept: 3 }]);
    // the view itself saw every STATUS
    expect(a.clusters[0]!.nodes[0]!.loadHistory).toHaveLength(10);
  });

  it('lists the first unanswered requests, counts them all, and says their items were not read', () => {
    const n = MAX_UNANSWERED_LISTED + 5;
    // an httpd that takes the connection and never answers: the listener gives up (closes) after 20 s
    const convs: Conversation[] = Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      client: { addr: '10.1.0.9', port: 1024 + (i % 60000) },
      server: HTTPD,
      turns: [
        { dir: 'c2s', data: javaRequest('STATUS', '/', status(0, 50)), ts: 1 + i },
        { event: 'fin', dir: 'c2s', ts: 21 + i },
      ] as Turn[],
    }));
    const a = streamed([convs]);
    const s = mcmpSection(a, 0);
    expect(s.unansweredCount).toBe(n);
    expect(s.unanswered).toHaveLength(MAX_UNANSWERED_LISTED);
    expect(s.unansweredDropped).toBe(5);
    expect(s.messages).toEqual({ STATUS: n });
    expect(s.connections).toBe(n);
    expect(a.evidence.filter((e) => e.kind === 'mcmp-unanswered')).toHaveLength(MAX_UNANSWERED_LISTED);
    expect(a.unread).toEqual([{ kind: 'mcmp-unanswered', items: 5, kept: MAX_UNANSWERED_LISTED }]);
    const text = renderMcmpText(a, { color: false, t0: 0 });
    // none answered: the httpd counted from the requests (there is no cluster view)
    expect(text).toContain(`MCMP: ${n} request(s) on ${n} connection(s) to 1 httpd (10.0.0.5:6666), none answered`);
  });
});
