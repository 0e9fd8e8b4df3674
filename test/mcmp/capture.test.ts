/**
 * The real capture in samples/mcmp (a real mod_proxy_cluster 2.x httpd answering two nodes'
 * lifecycle) against its ground truth, expected.json, written by an independent parser and checked
 * against the sender's record of every byte. Any difference fails.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { McmpAnalyzer, buildAnalysis, type McmpAnalysis, type McmpExchange } from '../../src/mcmp/index.js';
import { runCapture } from './run-capture.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- expected.json is untyped ground truth */
type Json = Record<string, unknown>;
const expected = JSON.parse(readFileSync(new URL('../../samples/mcmp/expected.json', import.meta.url), 'utf8')) as {
  capture: { first_packet_time: number };
  summary: Json & { requests_by_method: Record<string, number>; unanswered_by_method: Record<string, number> };
  ajp: Json;
  mcmp_exchanges: Json[];
  unanswered_mcmp_requests: Json[];
  non_mcmp_http_on_mcmp_port: Json[];
  final_cluster_view: { balancers: string[]; nodes: Json[] };
};
const T0 = expected.capture.first_packet_time;
const ep = (e: { addr: string; port: number }): string => `${e.addr}:${e.port}`;
const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;

let result: McmpAnalysis;
beforeAll(async () => {
  const analyzer = new McmpAnalyzer();
  await runCapture(new URL('../../samples/mcmp/capture.pcap', import.meta.url).pathname, analyzer);
  result = buildAnalysis(analyzer.finish());
});

function exchangeAsExpected(x: McmpExchange): Json {
  const r = x.response;
  const response: Json = {
    time: round6(r.ts),
    time_rel: round6(r.ts - T0),
    status: r.status,
    reason: r.reason,
    framing: r.framing,
    connection: r.connection ?? null,
    content_type: r.contentType ?? null,
    body: r.body,
    body_length: r.bodyLength,
  };
  if (r.decoded.kind === 'fields') {
    response.body_fields = { ...Object.fromEntries(r.decoded.fields.fields), _format: 'ampersand' };
  }
  if (r.error) response.mcmp_error = { Version: r.error.version, Type: r.error.type, Mess: r.error.mess };
  const out: Json = {
    index: x.index,
    time: round6(x.request.ts),
    time_rel: round6(x.request.ts - T0),
    tcp_stream: x.request.stream,
    client: ep(x.request.client),
    server: ep(x.request.server),
    method: x.request.method,
    uri: x.request.uri,
    wildcard: x.request.wildcard,
    request_headers: x.request.headers,
    body: x.request.body,
    params: x.request.params.map((p) => [p.key, p.value]),
    response,
    probe: {
      cping: x.probes.cping,
      cpong: x.probes.cpong,
      options: x.probes.options,
      ports: x.probes.targets.map((t) => Number(t.slice(t.lastIndexOf(':') + 1))),
    },
  };
  if (x.resendOf) {
    out.resend_of_unanswered = {
      time_rel: round6(x.resendOf.ts - T0),
      tcp_stream: x.resendOf.stream,
      client: ep(x.resendOf.client),
      reason: 'keepalive-closed',
    };
  }
  return out;
}

function pick(e: Json): Json {
  const { sender: _s, note: _n, probe, response, ...rest } = e as Json & { probe: Json; response: Json };
  const { options_response: _o, connect_refused: _c, ...p } = probe;
  return { ...rest, probe: p, response };
}

describe('samples/mcmp/capture.pcap against expected.json', () => {
  it('finds exactly the 56 exchanges, in order, with every field of the ground truth', () => {
    expect(result.exchanges).toHaveLength(expected.mcmp_exchanges.length);
    for (let i = 0; i < result.exchanges.length; i++) {
      const mine = exchangeAsExpected(result.exchanges[i]);
      expect(mine, `exchange ${i + 1}`).toEqual(pick(expected.mcmp_exchanges[i]));
    }
  });

  it('finds exactly the 16 unanswered requests, why, and which exchange resent each', () => {
    const mine = result.unanswered.map((u) => ({
      time: round6(u.request.ts),
      tcp_stream: u.request.stream,
      client: ep(u.request.client),
      method: u.request.method,
      uri: u.request.uri,
      body: u.request.body,
      params: u.request.params.map((p) => [p.key, p.value]),
      reason: u.reason,
      server_fin_at_rel: u.serverFinTs.map((t) => round6(t - T0)),
      server_rst_at_rel: u.serverRstTs.map((t) => round6(t - T0)),
      resent_as_exchange: u.resentAs,
    }));
    const want = expected.unanswered_mcmp_requests.map((u: any) => ({
      time: u.time,
      tcp_stream: u.tcp_stream,
      client: u.client,
      method: u.method,
      uri: u.uri,
      body: u.body,
      params: u.params,
      reason: String(u.unanswered.reason).split(':')[0],
      server_fin_at_rel: u.unanswered.server_fin_at_rel,
      server_rst_at_rel: u.unanswered.server_rst_at_rel,
      resent_as_exchange: u.resent_as_exchange,
    }));
    expect(mine).toEqual(want);
  });

  it('counts requests by method as sent, answers by status and framing, like the ground truth summary', () => {
    const count = (keys: string[]): Record<string, number> => {
      const o: Record<string, number> = {};
      for (const k of keys) o[k] = (o[k] ?? 0) + 1;
      return o;
    };
    const xs = result.exchanges;
    expect(count(xs.map((x) => x.request.method))).toEqual(expected.summary.requests_by_method);
    expect(count(result.unanswered.map((u) => u.request.method))).toEqual(expected.summary.unanswered_by_method);
    expect(count(xs.map((x) => String(x.response.status)))).toEqual(expected.summary.responses_by_status);
    expect(count(xs.map((x) => `${x.response.status} ${x.response.framing}`))).toEqual(expected.summary.response_framing);
    expect(count(xs.filter((x) => x.response.error).map((x) => x.response.error!.type!))).toEqual(expected.summary.error_types);
    // The ground truth counts every connection to the MCMP port: 28 carrying MCMP, 5 curl GETs.
    const mcmpStreams = new Set([...xs.map((x) => x.request.stream), ...result.unanswered.map((u) => u.request.stream)]);
    expect(mcmpStreams.size).toBe(28);
    expect(new Set([...mcmpStreams, ...result.otherHttp.map((h) => h.stream)]).size).toBe(expected.summary.mcmp_tcp_connections);
  });

  it('sees the plain HTTP requests on the MCMP port as such, not as MCMP', () => {
    expect(
      result.otherHttp.map((h) => ({
        time: round6(h.ts),
        tcp_stream: h.stream,
        client: ep(h.client),
        request_line: h.requestLine,
        user_agent: h.userAgent,
        status: h.status,
      })),
    ).toEqual(expected.non_mcmp_http_on_mcmp_port.map(({ time_rel: _t, ...rest }) => rest));
  });

  it('counts every AJP CPing/CPong and links those httpd sent while handling a STATUS or PING', () => {
    const ajp = expected.ajp as any;
    expect(result.probeCounts.CPING).toBe(ajp.cping_total);
    expect(result.probeCounts.CPONG).toBe(ajp.cpong_total);
    // Only the probes seen while an MCMP request awaited its answer are kept: those of STATUS and
    // PING, plus the pre-request CPings of FOO-APP and ERROR, which httpd proxied to a backend.
    const kept = result.probes.filter((p) => p.kind === 'CPING');
    expect(kept).toHaveLength(ajp.cping_during_STATUS + ajp.cping_during_PING + 2);
    const during = (i: number) => (p: { ts: number }) => p.ts >= result.exchanges[i - 1].request.ts && p.ts <= result.exchanges[i - 1].response.ts;
    expect(kept.filter((p) => during(28)(p) || during(29)(p))).toHaveLength(2);
    const sum = (m: string, k: 'cping' | 'cpong'): number =>
      result.exchanges.filter((x) => x.request.method === m).reduce((s, x) => s + x.probes[k], 0);
    expect(sum('STATUS', 'cping')).toBe(ajp.cping_during_STATUS);
    expect(sum('STATUS', 'cpong')).toBe(ajp.cpong_during_STATUS);
    expect(sum('PING', 'cping')).toBe(ajp.cping_during_PING);
    // Each linked CPING is one of the ground truth's mcmp-* probes, at the same time and exchange.
    const linked = ajp.events.filter((e: any) => e.kind === 'CPING' && e.mcmp_exchange !== undefined);
    for (const e of linked) {
      const x = result.exchanges[e.mcmp_exchange - 1];
      const p = result.probes.find((q) => q.kind === 'CPING' && x.probes.frames.includes(q.frame));
      expect(p && round6(p.ts), `probe of exchange ${e.mcmp_exchange}`).toBe(e.time);
    }
  });

  it('replays the final cluster view exactly', () => {
    expect(result.clusters).toHaveLength(1);
    const view = result.clusters[0];
    expect(view.server).toBe('127.0.0.1:16666');
    expect(view.balancers.map((b) => b.dumpLine)).toEqual(expected.final_cluster_view.balancers);
    const nodes = view.nodes.map((n) => {
      const o: Json = {
        jvmroute: n.jvmRoute,
        info_node_id: n.infoNodeId,
        balancer: n.balancer,
        lbgroup: n.domain,
        host: n.host,
        port: Number(n.port),
        type: n.type,
        load: n.load,
        flushpackets: n.settings.flushpackets,
        ping_s: n.settings.ping,
        ttl_s: n.settings.ttl,
        smax: n.settings.smax,
        elected: n.elected,
        contexts: n.contexts.map((c) => ({ path: c.path, status: c.status, vhost: c.vhost, aliases: c.aliases })),
        state: n.state,
        context_status: Object.fromEntries(n.contexts.map((c) => [c.path, c.status])),
        lifecycle_state: n.lifecycle,
      };
      return o;
    });
    expect(nodes).toEqual(expected.final_cluster_view.nodes.map(({ lifecycle_note: _n, ...rest }) => rest));
    // The replay agrees with every INFO and DUMP httpd gave (each CONFIG resets the balancer's
    // unspecified settings to httpd's defaults: the DUMP at exchange 17 shows node2's WaitWorker=3,
    // the final one node1's later CONFIG without it).
    expect(view.changes.filter((c) => /differs/.test(c.what))).toEqual([]);
    expect(view.balancers[0].settings).toMatchObject({ StickySession: 'Yes', StickySessionForce: 'No', WaitWorker: '0', Maxattempts: '1' });
    // The removed node says when and by which exchange.
    expect(view.nodes[1].lifecycleNote).toMatch(/exchange 53/);
  });

  it('follows each node through time: load factors, answers, and the operator removal of node1', () => {
    const [node1, node2] = result.clusters[0].nodes;
    expect(node1.loadHistory.map((p) => `${p.load}:${p.answer}`)).toEqual([
      '100:OK', '100:OK', '50:OK', '0:OK', '50:SYNTAX', '100:OK', '100:NOTOK', '100:MEM', '100:OK', '100:OK',
    ]);
    expect(node2.loadHistory.map((p) => `${p.load}:${p.answer}`)).toEqual([
      '75:OK', '75:OK', '75:OK', '75:OK', '-1:OK', '75:OK', '75:OK', '75:OK',
    ]);
    expect(node1.configs).toEqual([2, 44]);
    const lifecycle = result.clusters[0].changes.filter((c) => c.node === 'node1' && /^node /.test(c.what)).map((c) => `#${c.exchange} ${c.what}`);
    expect(lifecycle).toEqual([
      '#2 node registered (ajp://127.0.0.1:18009, balancer mycluster)',
      '#38 node removed (REMOVE-APP /*)',
      '#43 node purged by httpd (absent from INFO)',
      '#44 node registered (ajp://127.0.0.1:18009, balancer mycluster)',
    ]);
    expect(result.clusters[0].httpdIds).toEqual([{ id: '1795256150940681', ts: result.exchanges[5].request.ts, exchange: 6 }]);
    expect(result.clusters[0].generation.generation).toBe('mod_proxy_cluster-2.x');
  });

  it('reports what went wrong as evidence with frames', () => {
    const kinds: Record<string, number[]> = {};
    for (const e of result.evidence) (kinds[e.kind] ??= []).push(Number(e.fields?.exchange ?? 0));
    expect(kinds['mcmp-syntax-error']).toEqual([27, 31, 32, 33, 34]);
    expect(kinds['mcmp-mem-error']).toEqual([30, 41]);
    expect(kinds['mcmp-node-unknown']).toEqual([30, 41]);
    expect(kinds['mcmp-node-broken']).toEqual([37]);
    expect(kinds['mcmp-node-notok']).toEqual([39]);
    expect(kinds['mcmp-method-unknown']).toEqual([28, 29]);
    expect(kinds['mcmp-http-error']).toEqual([28, 29]);
    expect(kinds['mcmp-param-too-long']).toEqual([27]);
    expect(kinds['mcmp-keepalive-closed']).toHaveLength(16);
    expect(kinds['mcmp-httpd-restarted']).toBeUndefined();
    expect(kinds['mcmp-stop-app-requests-active']).toBeUndefined();
    for (const e of result.evidence) expect(e.frames.length).toBeGreaterThan(0);
    const tooLong = result.evidence.find((e) => e.kind === 'mcmp-param-too-long')!;
    expect(tooLong.fields).toMatchObject({ key: 'JVMRoute', length: 70, max: 63 });
  });
});
