/**
 * Test helper: plays hand-written TCP conversations (byte-exact MCMP requests and answers, AJP
 * probes) into a TcpSink, the way the tcp/ stage would, with frame numbers and times.
 */
import type { Direction, Endpoint, TcpEventKind, TcpSink } from '../../src/tcp/types.js';

export type Turn =
  | { dir: Direction; data: string | Buffer; ts: number; /** split the bytes into segments of these sizes */ split?: number[] }
  | { event: TcpEventKind; dir: Direction; ts: number };

export interface Conversation {
  id: number;
  client: Endpoint;
  server: Endpoint;
  turns: Turn[];
  end?: 'fin' | 'rst' | 'open';
}

/** Java listener request bytes (DefaultMCMPHandler): Content-Length only with a body. */
export function javaRequest(method: string, uri: string, body: string, host = '10.0.0.5:6666'): string {
  return (
    `${method} ${uri} HTTP/1.1\r\nHost: ${host}\r\n` +
    (body.length > 0 ? `Content-Length: ${body.length}\r\n` : '') +
    'User-Agent: ClusterListener/1.0\r\nConnection: Keep-Alive\r\n\r\n' +
    body
  );
}

/** A 200 answer as mod_manager + httpd frame it on keep-alive: chunked, zero chunk apart when `split`. */
export function chunked200(body: string, server = 'Apache/2.4.62 (Unix) mod_proxy_cluster/2.0.0.Final', contentType = true): string {
  return (
    'HTTP/1.1 200 OK\r\nDate: Sat, 21 Nov 2026 10:15:52 GMT\r\n' +
    `Server: ${server}\r\nKeep-Alive: timeout=5, max=100\r\nConnection: Keep-Alive\r\nTransfer-Encoding: chunked\r\n` +
    (contentType ? 'Content-Type: text/plain\r\n' : '') +
    '\r\n' +
    (body.length > 0 ? `${Buffer.byteLength(body, 'latin1').toString(16)}\r\n${body}\r\n` : '') +
    '0\r\n\r\n'
  );
}

/** A 200 answer with Content-Length (as an HTTP/1.0 client or a non-flushing server gets it). */
export function length200(body: string, server = 'Apache/2.2.15 (Unix) mod_cluster/1.3.20.Final'): string {
  return (
    `HTTP/1.1 200 OK\r\nServer: ${server}\r\nContent-Length: ${Buffer.byteLength(body, 'latin1')}\r\n` +
    'Connection: Keep-Alive\r\nContent-Type: text/plain\r\n\r\n' +
    body
  );
}

/** mod_manager's process_error: 500 with Version/Type/Mess headers and httpd's HTML page. */
export function error500(type: string, mess: string, server = 'Apache/2.4.62 (Unix) mod_proxy_cluster/2.0.0.Final'): string {
  const page = '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>500 Internal Server Error</title>\n</head></html>\n';
  return (
    `HTTP/1.1 500 Internal Server Error\r\nServer: ${server}\r\nVersion: 0.2.1\r\nType: ${type}\r\nMess: ${mess}\r\n` +
    `Content-Length: ${page.length}\r\nConnection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n${page}`
  );
}

export const CPING = Buffer.from([0x12, 0x34, 0x00, 0x01, 0x0a]);
export const CPONG = Buffer.from([0x41, 0x42, 0x00, 0x01, 0x09]);

/** Plays conversations into the sink, interleaving all turns by time; frames numbered from 1. */
export function play(sink: TcpSink, conversations: Conversation[]): void {
  let frame = 0;
  const offsets = new Map<string, number>();
  type Step = { c: Conversation; t: Turn };
  const steps: Step[] = conversations.flatMap((c) => c.turns.map((t) => ({ c, t })));
  steps.sort((a, b) => a.t.ts - b.t.ts);
  const started = new Set<number>();
  for (const { c, t } of steps) {
    if (!started.has(c.id)) {
      started.add(c.id);
      sink.onStreamStart?.({ id: c.id, client: c.client, server: c.server, roleFrom: 'handshake', firstFrame: frame + 1, startTs: t.ts });
    }
    if ('event' in t) {
      sink.onEvent?.({ stream: c.id, dir: t.dir, kind: t.event, frame: ++frame, ts: t.ts });
      continue;
    }
    const bytes = typeof t.data === 'string' ? Buffer.from(t.data, 'latin1') : t.data;
    const sizes = t.split ?? [bytes.length];
    let pos = 0;
    const key = `${c.id}${t.dir}`;
    for (let i = 0; pos < bytes.length; i++) {
      const n = i < sizes.length ? sizes[i] : bytes.length - pos;
      const data = bytes.subarray(pos, pos + n);
      const offset = offsets.get(key) ?? 0;
      const chunk = Buffer.from(data);
      sink.onData?.({ stream: c.id, dir: t.dir, data: chunk, frames: [++frame], ts: t.ts + i * 1e-6, offset });
      // StreamData bytes are valid only during onData (the reader reuses its buffers): a sink that
      // keeps a view instead of a copy sees them overwritten, as it would on a large capture.
      chunk.fill(0xee);
      offsets.set(key, offset + data.length);
      pos += n;
    }
  }
  for (const c of conversations) {
    const last = c.turns[c.turns.length - 1]?.ts ?? 0;
    sink.onStreamEnd?.({
      info: { id: c.id, client: c.client, server: c.server, roleFrom: 'handshake', firstFrame: 1, startTs: c.turns[0]?.ts ?? 0 },
      packets: { c2s: 0, s2c: 0 },
      payloadBytes: { c2s: 0, s2c: 0 },
      deliveredBytes: { c2s: 0, s2c: 0 },
      frameBytes: { c2s: 0, s2c: 0 },
      gapBytes: { c2s: 0, s2c: 0 },
      midStream: false,
      lastTs: last,
      lastFrame: frame,
      end: c.end ?? 'fin',
      counts: {},
    });
  }
}
