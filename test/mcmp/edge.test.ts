import { describe, expect, it } from 'vitest';
import {
  AjpDirectionWalker,
  McmpAnalyzer,
  ProbeWalker,
  buildAnalysis,
  checkRequest,
  parseBody,
  renderMcmpText,
  type McmpAnalysis,
} from '../../src/mcmp/index.js';
import { chunked200, error500, javaRequest, length200, play, type Conversation } from './conversation.js';

const client = { addr: '10.0.0.7', port: 40001 };
const proxy = { addr: '10.0.0.5', port: 6666 };

function run(convs: Conversation[], mcmpPorts?: number[]): McmpAnalysis {
  const a = new McmpAnalyzer(mcmpPorts ? { mcmpPorts } : {});
  play(a, convs);
  return buildAnalysis(a.finish());
}

/** One connection, request/answer pairs one after the other. */
function oneConnection(pairs: Array<[string, string]>, server = proxy): Conversation {
  let t = 10;
  return {
    id: 0,
    client,
    server,
    turns: pairs.flatMap(([req, rsp]) => [
      { dir: 'c2s' as const, data: req, ts: (t += 1) },
      { dir: 's2c' as const, data: rsp, ts: (t += 0.001) },
    ]),
  };
}

describe('request parameters, as httpd reads them', () => {
  it('leaves "+" as it is (mod_manager decodeenc only decodes %XX) and shows the form-decoded reading', () => {
    const { params } = parseBody('JVMRoute=node1&Alias=localhost&Context=%2Fmy+app');
    expect(params[2]).toEqual({ key: 'Context', value: '/my+app', formValue: '/my app', raw: 'Context=%2Fmy+app' });
  });

  it('pairs pieces positionally like process_buff, and says so when an "=" in a value shifts them', () => {
    const { params, problems } = parseBody('JVMRoute=node1&Alias=a=b&Context=%2F');
    expect(params.map((p) => [p.key, p.value])).toEqual([['JVMRoute', 'node1'], ['Alias', 'a'], ['b', 'Context'], ['%2F'.replace('%2F', '/'), '']]);
    expect(problems.map((p) => p.kind)).toEqual(['empty-value', 'pairing-shifted']);
  });

  it('flags a malformed escape', () => {
    expect(parseBody('JVMRoute=n%zz').problems.map((p) => p.kind)).toEqual(['bad-escape']);
  });

  it('checks limits per generation: a 150-byte alias is too long only for mod_cluster 1.3 (HOSTALIASZ 100)', () => {
    const alias = 'a'.repeat(150);
    const probs = checkRequest('ENABLE-APP', false, parseBody(`JVMRoute=node1&Alias=${alias}&Context=%2F`).params);
    expect(probs).toEqual([
      { kind: 'too-long', key: 'Alias', detail: 'Alias item is 150 bytes, longest accepted is 99', length: 150, max: 99, generations: ['mod_cluster-1.3'] },
    ]);
    const long = checkRequest('CONFIG', false, parseBody(`JVMRoute=${'n'.repeat(70)}&Host=h`).params);
    expect(long).toEqual([{ kind: 'too-long', key: 'JVMRoute', detail: 'JVMRoute is 70 bytes, longest accepted is 63', length: 70, max: 63 }]);
  });

  it('knows each command\'s required and accepted parameters', () => {
    const kinds = (m: string, body: string, wildcard = false): string[] =>
      checkRequest(m, wildcard, parseBody(body).params).map((p) => `${p.kind}:${p.key ?? ''}`);
    expect(kinds('STATUS', 'JVMRoute=node1&Load=150')).toEqual(['bad-value:Load']);
    expect(kinds('STATUS', 'JVMRoute=node1&Foo=bar&Load=50')).toEqual(['unknown-field:Foo']);
    expect(kinds('STATUS', 'Load=50')).toEqual(['missing-required:JVMRoute']);
    expect(kinds('ENABLE-APP', 'JVMRoute=node1')).toEqual(['missing-required:Alias']);
    expect(kinds('ENABLE-APP', 'JVMRoute=node1', true)).toEqual([]);
    expect(kinds('STOP-APP', 'JVMRoute=node1&Alias=localhost')).toEqual(['missing-required:Context']);
    expect(kinds('CONFIG', 'JVMRoute=node1&Context=%2Fa')).toEqual(['missing-required:Alias']);
    expect(kinds('CONFIG', 'JVMRoute=node7&Host=%3Cscript%3E&Port=18011')).toEqual(['illegal-character:Host']);
    expect(kinds('PING', 'Host=127.0.0.1&Port=21&Scheme=ftp')).toEqual(['bad-value:Scheme']);
    expect(kinds('PING', 'Host=127.0.0.1&Scheme=ajp')).toEqual(['missing-required:']);
    expect(kinds('PING', '')).toEqual([]);
  });
});

describe('errors and what went wrong', () => {
  it('surfaces every 500 Version/Type/Mess as an MCMP error with the offending request', () => {
    const r = run([
      oneConnection([
        [javaRequest('CONFIG', '/', 'JVMRoute=&Host=h'), error500('SYNTAX', "SYNTAX: JVMRoute can't be empty")],
        [javaRequest('ENABLE-APP', '/', 'JVMRoute=node1&Alias=a&Context=%2F'), error500('MEM', 'MEM: Can\'t read node with "node1" JVMRoute')],
        [javaRequest('CONFIG', '/', 'JVMRoute=node1'), error500('GENERAL', 'GENERAL: something')],
      ]),
    ]);
    expect(r.exchanges.map((x) => x.response.error)).toEqual([
      { version: '0.2.1', type: 'SYNTAX', mess: "SYNTAX: JVMRoute can't be empty" },
      { version: '0.2.1', type: 'MEM', mess: 'MEM: Can\'t read node with "node1" JVMRoute' },
      { version: '0.2.1', type: 'GENERAL', mess: 'GENERAL: something' },
    ]);
    const ev = r.evidence.map((e) => `${e.kind}@${e.fields?.exchange}`);
    expect(ev).toEqual([
      'mcmp-param-invalid@1',
      'mcmp-param-missing@1',
      'mcmp-syntax-error@1',
      'mcmp-mem-error@2',
      'mcmp-node-unknown@2',
      'mcmp-general-error@3',
    ]);
    const syntax = r.evidence.find((e) => e.kind === 'mcmp-syntax-error')!;
    expect(syntax.frames).toEqual([1, 2]);
    expect(syntax.fields).toMatchObject({ type: 'SYNTAX', body: 'JVMRoute=&Host=h' });
  });

  it('sees an httpd restart in a new STATUS id: the node is lost and must send CONFIG again', () => {
    const ok = (id: string): string => chunked200(`Type=STATUS-RSP&JVMRoute=node1&State=OK&id=${id}\n`);
    const r = run([
      oneConnection([
        [javaRequest('CONFIG', '/', 'JVMRoute=node1&Host=10.0.0.7&Port=8009&Type=ajp'), chunked200('')],
        [javaRequest('STATUS', '/', 'JVMRoute=node1&Load=80'), ok('1782712345123456')],
        [javaRequest('STATUS', '/', 'JVMRoute=node1&Load=-1'), ok('1782719999000000')],
        [javaRequest('STATUS', '/', 'JVMRoute=node1&Load=80'), chunked200('Type=STATUS-RSP&JVMRoute=node1&State=NOTOK&id=1782719999000000\n')],
      ]),
    ]);
    const view = r.clusters[0];
    expect(view.httpdIds.map((i) => i.id)).toEqual(['1782712345123456', '1782719999000000']);
    expect(view.nodes[0].lifecycle).toBe('lost');
    expect(view.nodes[0].loadHistory.map((p) => `${p.load}:${p.answer}`)).toEqual(['80:OK', '-1:OK', '80:NOTOK']);
    expect(r.evidence.map((e) => `${e.kind}@${e.fields?.exchange}`)).toEqual([
      'mcmp-node-broken@3',
      'mcmp-httpd-restarted@3',
      'mcmp-node-unknown@4',
      'mcmp-node-notok@4',
    ]);
  });

  it('links a request written into a connection httpd had closed (FIN, then RST) to its resend', () => {
    const status = javaRequest('STATUS', '/', 'JVMRoute=node1&Load=100');
    const answer = chunked200('Type=STATUS-RSP&JVMRoute=node1&State=OK&id=1\n');
    const r = run([
      {
        id: 0,
        client,
        server: proxy,
        turns: [
          { dir: 'c2s', data: status, ts: 1 },
          { dir: 's2c', data: answer, ts: 1.001 },
          { event: 'fin', dir: 's2c', ts: 6 },
          { dir: 'c2s', data: status, ts: 11 },
          { event: 'rst', dir: 's2c', ts: 11.0001 },
        ],
        end: 'rst',
      },
      { id: 1, client: { ...client, port: 40002 }, server: proxy, turns: [{ dir: 'c2s', data: status, ts: 11.001 }, { dir: 's2c', data: answer, ts: 11.002 }] },
      { id: 2, client: { ...client, port: 40003 }, server: proxy, turns: [{ dir: 'c2s', data: javaRequest('INFO', '/', ''), ts: 20 }], end: 'open' },
    ]);
    expect(r.exchanges.map((x) => [x.index, x.request.stream, x.resendOf?.stream])).toEqual([
      [1, 0, undefined],
      [2, 1, 0],
    ]);
    expect(r.unanswered.map((u) => [u.request.stream, u.reason, u.serverFinTs, u.serverRstTs, u.resentAs])).toEqual([
      [0, 'keepalive-closed', [6], [11.0001], 2],
      [2, 'capture-ended', [], [], undefined],
    ]);
    // node1 never sent CONFIG in this conversation, hence the node-unknown evidence of each STATUS.
    expect(r.evidence.map((e) => e.kind)).toEqual(['mcmp-node-unknown', 'mcmp-keepalive-closed', 'mcmp-node-unknown', 'mcmp-unanswered']);
    const closed = r.evidence[1];
    expect(closed.stream).toBe(0);
    expect(closed.fields).toMatchObject({ reason: 'keepalive-closed', resentAs: 2 });
  });

  it('reports STOP-APP answered with requests still running', () => {
    const r = run([
      oneConnection([
        [javaRequest('CONFIG', '/', 'JVMRoute=node1'), chunked200('')],
        [javaRequest('STOP-APP', '/', 'JVMRoute=node1&Alias=localhost&Context=%2Fapp'), chunked200('Type=STOP-APP-RSP&JvmRoute=node1&Alias=localhost&Context=/app&Requests=4\n')],
      ]),
    ]);
    expect(r.evidence.map((e) => [e.kind, e.fields?.requests])).toEqual([['mcmp-stop-app-requests-active', 4]]);
    expect(r.clusters[0].nodes[0].contexts).toMatchObject([{ path: '/app', status: 'STOPPED', aliases: ['localhost'] }]);
  });

  it('flags *-APP for a node that never sent CONFIG', () => {
    const r = run([oneConnection([[javaRequest('ENABLE-APP', '/', 'JVMRoute=ghost&Alias=a&Context=%2F'), chunked200('')]])]);
    expect(r.evidence.map((e) => e.kind)).toEqual(['mcmp-node-unknown']);
  });
});

describe('finding MCMP on any port', () => {
  it('finds MCMP methods on any port, but not an unknown method without MCMP traits', () => {
    const r = run([
      oneConnection([[javaRequest('STATUS', '/', 'JVMRoute=node1&Load=1'), chunked200('Type=STATUS-RSP&JVMRoute=node1&State=OK&id=1\n')]], { addr: '10.0.0.5', port: 80 }),
      {
        id: 1,
        client: { addr: '10.0.0.9', port: 5000 },
        server: { addr: '10.0.0.5', port: 7777 },
        turns: [
          { dir: 'c2s', data: 'FOO-APP / HTTP/1.1\r\nHost: x\r\n\r\n', ts: 30 },
          { dir: 's2c', data: 'HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n\r\n', ts: 30.001 },
        ],
      },
    ]);
    expect(r.exchanges.map((x) => `${x.request.method} ${x.request.server.port}`)).toEqual(['STATUS 80']);
    expect(r.otherHttp).toEqual([]);
  });

  it('takes unknown methods on a port named with --mcmp-port as MCMP (and says no httpd knows them)', () => {
    const r = run(
      [
        {
          id: 1,
          client: { addr: '10.0.0.9', port: 5000 },
          server: { addr: '10.0.0.5', port: 7777 },
          turns: [
            { dir: 'c2s', data: 'FOO-APP / HTTP/1.1\r\nHost: x\r\n\r\n', ts: 30 },
            { dir: 's2c', data: 'HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n\r\n', ts: 30.001 },
            { dir: 'c2s', data: 'GET /mod_cluster_manager HTTP/1.1\r\nHost: x\r\nUser-Agent: curl/8\r\n\r\n', ts: 31 },
            { dir: 's2c', data: 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello', ts: 31.001 },
          ],
        },
      ],
      [7777],
    );
    expect(r.exchanges.map((x) => `${x.request.method} ${x.response.status}`)).toEqual(['FOO-APP 501']);
    expect(r.otherHttp.map((h) => [h.requestLine, h.userAgent, h.status])).toEqual([['GET /mod_cluster_manager HTTP/1.1', 'curl/8', 200]]);
    expect(r.evidence.map((e) => e.kind)).toEqual(['mcmp-method-unknown', 'mcmp-http-error']);
  });
});

describe('a request line cut into tiny segments', () => {
  const config = javaRequest('CONFIG', '/', 'JVMRoute=node1&Host=10.0.0.7&Port=8009&Type=ajp');
  const answer = chunked200('');
  for (const split of [[3], [1, 1, 1, 1, 1, 1, 1], [6, 1], [2, 3, 4]]) {
    it(`finds the exchange when the request comes in segments of ${split.join(', ')} bytes first`, () => {
      const r = run([
        {
          id: 0,
          client,
          server: proxy,
          turns: [
            { dir: 'c2s', data: config, ts: 1, split },
            { dir: 's2c', data: answer, ts: 1.001 },
          ],
        },
      ]);
      expect(r.exchanges.map((x) => [x.request.method, x.request.params.find((p) => p.key === 'JVMRoute')?.value, x.response.status])).toEqual([['CONFIG', 'node1', 200]]);
      // Every frame that carried the request is the request's.
      expect(r.exchanges[0]!.request.frames).toEqual(Array.from({ length: split.length + 1 }, (_, i) => i + 1));
    });
  }

  it('finds the CPing of an AJP probe connection whose magic is cut after its first byte', () => {
    const r = run([
      {
        id: 0,
        client,
        server: { addr: '10.0.0.7', port: 8009 },
        turns: [{ dir: 'c2s', data: Buffer.from([0x12, 0x34, 0x00, 0x01, 0x0a]), ts: 1, split: [1] }],
      },
    ]);
    expect(r.probeCounts.CPING).toBe(1);
  });
});

describe('an MCMP request that can never be read', () => {
  it('a head over 64 KiB: said as unreadable, with the frame where the reader gave up', () => {
    const head = `CONFIG / HTTP/1.1\r\nHost: 10.0.0.5:6666\r\n${'X-Pad: '.padEnd(1000, 'p')}\r\n`.repeat(1) + `X-Long: ${'q'.repeat(70_000)}`;
    const r = run([{ id: 0, client, server: proxy, turns: [{ dir: 'c2s', data: head, ts: 1, split: Array.from({ length: 60 }, () => 1400) }] }]);
    const bad = r.evidence.filter((e) => e.kind === 'mcmp-unparsable');
    expect(bad.map((e) => e.detail)).toEqual(['HTTP on an MCMP connection could not be read (c2s): message head longer than 65536 bytes']);
    // The 47th segment of 1400 bytes takes the head past 65,536.
    expect(bad[0]!.frames).toEqual([47]);
  });

  it('a head cut by the end of the capture: said as unreadable', () => {
    const r = run([{ id: 0, client, server: proxy, turns: [{ dir: 'c2s', data: 'STATUS / HTTP/1.1\r\nHost: 10.0.0.5:6666\r\nContent-Le', ts: 1 }], end: 'open' }]);
    expect(r.evidence.filter((e) => e.kind === 'mcmp-unparsable').map((e) => e.detail)).toEqual([
      'HTTP on an MCMP connection could not be read (c2s): connection closed inside a message head',
    ]);
  });

  it('a plain HTTP request with a huge head is not MCMP: nothing said', () => {
    const head = `GET / HTTP/1.1\r\nX-Long: ${'q'.repeat(70_000)}`;
    const r = run([{ id: 0, client, server: { addr: '10.0.0.5', port: 80 }, turns: [{ dir: 'c2s', data: head, ts: 1 }] }]);
    expect(r.evidence).toEqual([]);
  });
});

describe('plain HTTP traffic (issue 14: bulk HTTP costs one request head)', () => {
  const conv = (port: number): Conversation => ({
    id: 1,
    client: { addr: '10.0.0.9', port: 5000 },
    server: { addr: '10.0.0.5', port },
    turns: [
      { dir: 'c2s', data: 'GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n', ts: 30 },
      { dir: 's2c', data: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', ts: 30.001 },
      { dir: 'c2s', data: javaRequest('STATUS', '/', 'JVMRoute=node1&Load=50'), ts: 31 },
      { dir: 's2c', data: chunked200('Type=STATUS-RSP&JVMRoute=node1&State=OK&id=1\n'), ts: 31.001 },
    ],
  });

  it('a connection to a server not known for MCMP that starts with a plain request is not read further', () => {
    const r = run([conv(8080)]);
    expect(r.exchanges).toEqual([]);
    expect(r.otherHttp).toEqual([]);
  });

  it('unless --mcmp-port names its port: then every request on it is read', () => {
    const r = run([conv(8080)], [8080]);
    expect(r.exchanges.map((x) => x.request.method)).toEqual(['STATUS']);
    expect(r.otherHttp.map((h) => h.requestLine)).toEqual(['GET /index.html HTTP/1.1']);
  });
});

describe('AJP probe walker', () => {
  it('finds a CPing after a forward request split across segments, and skips payload bytes that look like one', () => {
    const seen: string[] = [];
    const w = new AjpDirectionWalker('c2s', (p) => seen.push(`${p.code}@${p.frame}`));
    // FORWARD_REQUEST (code 2) whose payload contains the bytes of a CPing, then a real CPing.
    const fwd = Buffer.from([0x12, 0x34, 0x00, 0x07, 0x02, 0x12, 0x34, 0x00, 0x01, 0x0a, 0xff]);
    w.push(fwd.subarray(0, 3), [1], 1);
    w.push(fwd.subarray(3), [2], 2);
    w.push(Buffer.from([0x12, 0x34, 0x00, 0x01, 0x0a]), [3], 3);
    expect(seen).toEqual(['2@1', '10@3']);
    w.push(Buffer.from([0x41, 0x42, 0x00, 0x01]), [4], 4);
    expect(w.broken).toBe(true);
  });

  it('reports only packets of the length asked for (the MCMP analyzer: 1-byte CPing / CPong)', () => {
    const seen: string[] = [];
    const w = new AjpDirectionWalker('c2s', (p) => seen.push(`${p.code}@${p.frame}`), 1);
    w.push(Buffer.from([0x12, 0x34, 0x00, 0x03, 0x02, 0x00, 0x00, 0x12, 0x34, 0x00, 0x00, 0x12, 0x34, 0x00, 0x01, 0x0a]), [7], 1);
    expect(seen).toEqual(['10@7']);
  });

  it('the analyzer\'s six-number walker (ProbeWalker) reports what the general one reports for 1-byte packets, however the bytes are split', () => {
    const c2s = Buffer.from([0x12, 0x34, 0x00, 0x03, 0x02, 0x12, 0x34, 0x12, 0x34, 0x00, 0x00, 0x12, 0x34, 0x00, 0x01, 0x0a, 0x12, 0x34, 0x00, 0x01, 0x0a, 0x12, 0x34, 0x00, 0x02, 0x03, 0x04, 0x12, 0x34, 0x00, 0x01, 0x07, 0x41, 0x42, 0x00, 0x01, 0x09]);
    const s2c = Buffer.from([0x41, 0x42, 0x00, 0x01, 0x09, 0x41, 0x42, 0x00, 0x02, 0x05, 0x01, 0x41, 0x42, 0x00, 0x01, 0x09, 0x12, 0x34, 0x00, 0x01, 0x0a]);
    for (const [dir, bytes] of [['c2s', c2s], ['s2c', s2c]] as const) {
      for (const size of [1, 2, 3, 5, 7, bytes.length]) {
        const want: string[] = [];
        const got: string[] = [];
        const general = new AjpDirectionWalker(dir, (p) => want.push(`${p.code}@${p.frame}/${p.ts}`), 1);
        const probe = new ProbeWalker();
        const sink = { seen: (p: { code: number; frame: number; ts: number; dir: string; length: number }) => got.push(`${p.code}@${p.frame}/${p.ts}`) };
        for (let o = 0, f = 1; o < bytes.length; o += size, f++) {
          general.push(bytes.subarray(o, o + size), [f], f / 10);
          // In place: the chunk's range of the whole buffer (as the flow table gives it).
          probe.push(bytes, o, Math.min(o + size, bytes.length), [f], f / 10, dir, sink);
        }
        expect(got).toEqual(want);
        expect(want.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('http nodes', () => {
  it('links the OPTIONS * probe httpd sends an http node (mod_proxy_cluster.c) to the STATUS', () => {
    const httpNode = { addr: '10.0.0.8', port: 8080 };
    const r = run([
      oneConnection([
        [javaRequest('CONFIG', '/', 'JVMRoute=web1&Host=10.0.0.8&Port=8080&Type=http'), chunked200('')],
        [javaRequest('STATUS', '/', 'JVMRoute=web1&Load=60'), chunked200('Type=STATUS-RSP&JVMRoute=web1&State=OK&id=1\n')],
      ]),
      {
        id: 1,
        client: { addr: '10.0.0.5', port: 51000 },
        server: httpNode,
        turns: [
          { dir: 'c2s', data: 'OPTIONS * HTTP/1.0\r\nUser-Agent: Apache/2.4.62 (Unix) (internal mod_cluster connection)\r\n\r\n', ts: 12.0013 },
          { dir: 's2c', data: 'HTTP/1.1 200 \r\nAllow: GET, HEAD, POST, OPTIONS\r\nContent-Length: 0\r\n\r\n', ts: 12.0016 },
        ],
      },
    ]);
    // oneConnection: STATUS written at t=12.001, answered at 12.002.
    expect(r.exchanges[1].probes).toMatchObject({ cping: 0, options: 1, targets: ['10.0.0.8:8080'] });
    expect(r.probeCounts).toMatchObject({ OPTIONS: 1, 'OPTIONS-RESPONSE': 1 });
    expect(r.otherHttp).toEqual([]);
  });
});

describe('rules of one generation only', () => {
  it('does not report a 150-byte alias to mod_proxy_cluster (limit 254) but does to mod_cluster 1.3 (limit 99)', () => {
    const body = `JVMRoute=node1&Alias=${'a'.repeat(150)}&Context=%2F`;
    const with13 = run([oneConnection([[javaRequest('ENABLE-APP', '/', body), length200('')], [javaRequest('VERSION', '/', ''), length200('release: mod_cluster/1.3.20.Final, protocol: 0.2.1\n')]])]);
    const withMpc = run([oneConnection([[javaRequest('ENABLE-APP', '/', body), chunked200('')], [javaRequest('VERSION', '/', ''), chunked200('release: mod_proxy_cluster/2.0.0.Final, protocol: 0.2.1\n')]])]);
    expect(with13.clusters[0].generation.generation).toBe('mod_cluster-1.3');
    expect(with13.evidence.filter((e) => e.kind === 'mcmp-param-too-long').map((e) => e.fields?.max)).toEqual([99]);
    expect(withMpc.evidence.filter((e) => e.kind === 'mcmp-param-too-long')).toEqual([]);
  });
});

describe('unreadable answers', () => {
  it('keeps the request, says the answer could not be read, and reports the broken framing with its frames', () => {
    const r = run([
      {
        id: 0,
        client,
        server: proxy,
        turns: [
          { dir: 'c2s', data: javaRequest('STATUS', '/', 'JVMRoute=node1&Load=1'), ts: 1 },
          { dir: 's2c', data: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', ts: 1.001 },
        ],
      },
    ]);
    expect(r.exchanges).toEqual([]);
    expect(r.unanswered.map((u) => [u.request.method, u.reason])).toEqual([['STATUS', 'answer-unreadable']]);
    expect(r.evidence.map((e) => [e.kind, e.frames])).toEqual([
      ['mcmp-unanswered', [1]],
      ['mcmp-unparsable', [2]],
    ]);
    expect(r.evidence[1].detail).toBe('HTTP on an MCMP connection could not be read (s2c): bad chunk-size line "zz"');
  });
});

describe('captures that begin inside a connection', () => {
  const status = javaRequest('STATUS', '/', 'JVMRoute=node1&Load=90');
  const answer = chunked200('Type=STATUS-RSP&JVMRoute=node1&State=OK&id=1\n');

  it('skips the tail of an earlier exchange and decodes the next one', () => {
    const r = run([
      {
        id: 0,
        client,
        server: proxy,
        turns: [
          { dir: 'c2s', data: 'Load=100', ts: 1 },
          { dir: 's2c', data: 'e=node1&State=OK&id=1\n\r\n0\r\n\r\n', ts: 1.001 },
          { dir: 'c2s', data: status, ts: 11 },
          { dir: 's2c', data: answer, ts: 11.001 },
        ],
      },
    ]);
    expect(r.exchanges.map((x) => [x.request.method, x.request.body, x.response.status])).toEqual([['STATUS', 'JVMRoute=node1&Load=90', 200]]);
    expect(r.unanswered).toEqual([]);
    expect(r.evidence.filter((e) => e.kind === 'mcmp-unparsable')).toEqual([]);
  });

  it('drops an answer whose request came before the capture, when the client bytes start clean', () => {
    const r = run([
      {
        id: 0,
        client,
        server: proxy,
        turns: [
          { dir: 's2c', data: answer, ts: 1.001 },
          { dir: 'c2s', data: status, ts: 11 },
          { dir: 's2c', data: answer, ts: 11.001 },
        ],
      },
    ]);
    expect(r.exchanges.map((x) => [x.request.ts, x.response.ts])).toEqual([[11, 11.001]]);
    expect(r.evidence.filter((e) => e.kind === 'mcmp-unparsable')).toEqual([]);
  });
});

describe('hostile requests stay bounded', () => {
  it('a STATUS with 16,000 unknown parameters in 100-byte segments: 32 items of the kind and one counting the rest, not one per parameter (issue 15)', () => {
    const body = ['JVMRoute=node1', 'Load=50', ...Array.from({ length: 16000 }, (_, i) => `X${i}=1`)].join('&');
    const req = javaRequest('STATUS', '/', body);
    const split = Array.from({ length: Math.ceil(req.length / 100) }, () => 100);
    const conv: Conversation = {
      id: 0,
      client,
      server: proxy,
      turns: [
        { dir: 'c2s', data: req, ts: 11, split },
        { dir: 's2c', data: error500('SYNTAX', 'SYNTAX: Invalid field "X0" in message'), ts: 11.5 },
      ],
    };
    const a = run([conv]);
    const invalid = a.evidence.filter((e) => e.kind === 'mcmp-param-invalid');
    expect(invalid).toHaveLength(33);
    expect(invalid[32]!.fields?.count).toBe(16000 - 32);
    expect(invalid[0]!.frames.length).toBeGreaterThan(1000); // each item still names the exchange's frames
  });
});

describe('the summary line counts httpd from every request sent, answered or not', () => {
  const config = javaRequest('CONFIG', '/', 'JVMRoute=node1&Host=10.0.0.7&Port=8009&Type=ajp');
  const status = javaRequest('STATUS', '/', 'JVMRoute=node1&Load=100');

  it('an httpd that answered nothing: the requests, the httpd they went to, none answered (was "to 0 httpd")', () => {
    const r = run([
      // httpd reads the CONFIG and resets the connection; the STATUS on a new one is still waiting when the capture ends
      { id: 0, client, server: proxy, turns: [{ dir: 'c2s', data: config, ts: 1 }, { event: 'rst', dir: 's2c', ts: 1.5 }], end: 'rst' },
      { id: 1, client: { ...client, port: 40002 }, server: proxy, turns: [{ dir: 'c2s', data: status, ts: 11 }], end: 'open' },
    ]);
    expect(r.clusters).toEqual([]);
    const first = renderMcmpText(r, { color: false, t0: 0 }).split('\n')[0];
    expect(first).toBe('MCMP: 2 request(s) on 2 connection(s) to 1 httpd (10.0.0.5:6666), none answered');
    // and no empty exchange table under it
    expect(renderMcmpText(r, { color: false, t0: 0 })).not.toMatch(/^Exchanges/m);
  });

  it('an httpd that answered and one that did not: 2 httpd', () => {
    const other = { addr: '10.0.0.6', port: 6666 };
    const r = run([
      oneConnection([[status, chunked200('Type=STATUS-RSP&JVMRoute=node1&State=OK&id=1\n')]]),
      { id: 1, client: { ...client, port: 40002 }, server: other, turns: [{ dir: 'c2s', data: status, ts: 20 }], end: 'open' },
    ]);
    expect(r.clusters.map((c) => c.server)).toEqual(['10.0.0.5:6666']);
    const first = renderMcmpText(r, { color: false, t0: 0 }).split('\n')[0];
    expect(first).toBe('MCMP: 1 exchange(s) on 2 connection(s) to 2 httpd; 1 request(s) without an answer');
    expect(renderMcmpText(r, { color: false, t0: 0 })).toMatch(/^Exchanges/m);
  });
});
