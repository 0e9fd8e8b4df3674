import { AjpAnalyzer } from '../../src/timeline/index.js';
import type { AjpAnalyzerOptions, AjpResult } from '../../src/timeline/index.js';
import type { Direction, StreamInfo, StreamSummary, TcpEventKind } from '../../src/tcp/types.js';

/** One step of a scripted conversation: bytes from the web server (client) or the container (server), or a TCP event. */
export type Step =
  | { ws: Buffer | Buffer[]; dt?: number }
  | { c: Buffer | Buffer[]; dt?: number }
  | { fin: 'ws' | 'c'; dt?: number }
  | { rst: 'ws' | 'c'; dt?: number }
  | { gap: 'ws' | 'c'; bytes: number }
  | { tcp: TcpEventKind; from: 'ws' | 'c'; dt?: number };

export interface FeedOptions extends AjpAnalyzerOptions {
  serverPort?: number;
  clientPort?: number;
  fromStart?: boolean;
  stream?: number;
}

/**
 * Drive an AjpAnalyzer directly with StreamData values, as the TCP layer would: one frame per step
 * (several packets in one array = one segment), times 1 ms apart unless `dt` says otherwise.
 */
export function feed(steps: Step[], opts: FeedOptions = {}, analyzer = new AjpAnalyzer({ story: true, ...opts })): AjpResult {
  const id = opts.stream ?? 0;
  const info: StreamInfo = {
    id,
    client: { addr: '10.0.0.1', port: opts.clientPort ?? 40000 },
    server: { addr: '10.0.0.2', port: opts.serverPort ?? 8009 },
    roleFrom: opts.fromStart === false ? 'port' : 'handshake',
    firstFrame: 1,
    startTs: 1000,
  };
  analyzer.onStreamStart(info);
  let frame = 1;
  let ts = 1000;
  const offset: Record<Direction, number> = { c2s: 0, s2c: 0 };
  const seen: Record<Direction, boolean> = { c2s: false, s2c: false };
  let end: StreamSummary['end'] = 'open';
  for (const s of steps) {
    frame++;
    ts += 'dt' in s && s.dt !== undefined ? s.dt : 0.001;
    if ('ws' in s || 'c' in s) {
      const dir: Direction = 'ws' in s ? 'c2s' : 's2c';
      const parts = 'ws' in s ? s.ws : s.c;
      const data = Buffer.concat(Array.isArray(parts) ? parts : [parts]);
      if (opts.fromStart === false && !seen[dir]) {
        // As the TCP layer does: a direction first seen without its SYN starts with a gap event.
        analyzer.onEvent({ stream: id, dir, kind: 'gap', frame, ts, detail: 'capture started mid-stream' });
      }
      seen[dir] = true;
      analyzer.onData({ stream: id, dir, data, frames: [frame], ts, offset: offset[dir] });
      // StreamData bytes are valid only during onData (the reader reuses its buffers): overwrite them,
      // so a sink that keeps a view instead of a copy fails here as it would on a large capture.
      data.fill(0xee);
      offset[dir] += data.length;
    } else if ('tcp' in s) {
      analyzer.onEvent({ stream: id, dir: s.from === 'ws' ? 'c2s' : 's2c', kind: s.tcp, frame, ts });
      if (s.tcp === 'rst') end = 'rst';
    } else if ('gap' in s) {
      const dir: Direction = s.gap === 'ws' ? 'c2s' : 's2c';
      analyzer.onEvent({ stream: id, dir, kind: 'gap', frame, ts, value: s.bytes });
      offset[dir] += s.bytes;
    } else {
      const kind = 'fin' in s ? 'fin' : 'rst';
      const who = 'fin' in s ? s.fin : s.rst;
      analyzer.onEvent({ stream: id, dir: who === 'ws' ? 'c2s' : 's2c', kind, frame, ts });
      end = kind === 'rst' ? 'rst' : 'fin';
    }
  }
  analyzer.onStreamEnd({
    info,
    packets: { c2s: 0, s2c: 0 },
    payloadBytes: { c2s: offset.c2s, s2c: offset.s2c },
    deliveredBytes: { c2s: offset.c2s, s2c: offset.s2c },
    frameBytes: { c2s: 0, s2c: 0 },
    gapBytes: { c2s: 0, s2c: 0 },
    midStream: opts.fromStart === false,
    lastTs: ts,
    lastFrame: frame,
    end,
    counts: {},
  });
  return analyzer.result();
}

export function kinds(r: AjpResult): string[] {
  return r.violations.map((v) => v.kind);
}
