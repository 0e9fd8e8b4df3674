/**
 * Captures built to trigger each defect of Wireshark's AJP13 dissector listed in
 * decoders-study.md §1.3 (tshark 4.0.17). Bytes from the AJP reference layouts (test/ajp/helpers.ts),
 * TCP/IP/Ethernet from the shared capture builder. Deterministic: the committed
 * test/fixtures/ajp/<name>.pcap must equal what this file builds, so the tshark views saved beside
 * them stay valid.
 */
import { pcap, tcpPacket, type BuiltPacket } from '../helpers/capture-builder.js';
import { attr, body, CPING, CPONG, EMPTY_JK, END_REUSE, forwardRequest, getBodyChunk, hex, sendBodyChunk, sendHeaders } from './helpers.js';

class Conversation {
  readonly packets: BuiltPacket[] = [];
  private cseq = 1000;
  private sseq = 5000;
  private t: number;
  constructor(
    private readonly client: string,
    private readonly server: string,
    t0: number,
    handshake = true,
  ) {
    this.t = t0;
    if (handshake) {
      this.push(this.client, this.server, this.cseq, 0, 'S');
      this.cseq++;
      this.push(this.server, this.client, this.sseq, this.cseq, 'SA');
      this.sseq++;
      this.push(this.client, this.server, this.cseq, this.sseq, 'A');
    }
  }
  private push(src: string, dst: string, seq: number, ack: number, flags: string, payload?: Buffer): void {
    this.t += 0.001;
    const spec = { src, dst, seq, ack, flags, ts: this.t, window: 65535 };
    this.packets.push(tcpPacket(payload === undefined ? spec : { ...spec, payload }));
  }
  /** One segment from the web server (client). */
  ws(...parts: Buffer[]): this {
    const p = Buffer.concat(parts);
    this.push(this.client, this.server, this.cseq, this.sseq, 'PA', p);
    this.cseq += p.length;
    return this;
  }
  /** One segment from the container (server). */
  c(...parts: Buffer[]): this {
    const p = Buffer.concat(parts);
    this.push(this.server, this.client, this.sseq, this.cseq, 'PA', p);
    this.sseq += p.length;
    return this;
  }
  finFromContainer(): this {
    this.push(this.server, this.client, this.sseq, this.cseq, 'FA');
    this.sseq++;
    this.push(this.client, this.server, this.cseq, this.sseq, 'FA');
    this.cseq++;
    this.push(this.server, this.client, this.sseq, this.cseq, 'A');
    return this;
  }
}

const WS = '192.0.2.10';
const TC = '192.0.2.20:8009';
const ok = (text = 'ok') => [sendHeaders(200, '200', [[0xa001, 'text/plain']]), sendBodyChunk(text), END_REUSE];

function post(contentLength: number, named = false): Buffer {
  return forwardRequest({ method: 4, uri: '/app/upload', headers: [[named ? 'Content-Length' : 0xa008, String(contentLength)], [0xa00b, 'www.example.com']] });
}

export interface DefectCase {
  name: string;
  /** decoders-study.md §1.3 item. */
  defect: string;
  build(): Buffer;
}

export const DEFECTS: DefectCase[] = [
  {
    name: 'residual-credit',
    defect:
      '§1.3-1 residual credit: GET_BODY_CHUNK stores the requested 8186, the proxy answers with the 3628 bytes left, and every later 12 34 packet on the connection (CPING, the next FORWARD_REQUEST) is read as request body',
    build() {
      const c = new Conversation(`${WS}:41000`, TC, 100);
      c.ws(CPING).c(CPONG);
      c.ws(post(20000)).ws(body(Buffer.alloc(8186, 0x61)));
      c.c(getBodyChunk(8186)).ws(body(Buffer.alloc(8186, 0x62)));
      c.c(getBodyChunk(8186)).ws(body(Buffer.alloc(3628, 0x63)));
      c.c(...ok('stored 20000'));
      // The servlet read exactly Content-Length bytes: no final GET_BODY_CHUNK / empty packet.
      c.ws(CPING).c(CPONG);
      c.ws(forwardRequest({ uri: '/app/next', headers: [[0xa00b, 'www.example.com']] })).c(...ok());
      c.ws(CPING).c(CPONG);
      return pcap(c.packets);
    },
  },
  {
    name: 'same-segment',
    defect:
      '§1.3-0 per-frame body flag: a FORWARD_REQUEST and its first body packet in one TCP segment; the body packet is dissected as a forward request and the next request as body',
    build() {
      const c = new Conversation(`${WS}:41001`, TC, 200);
      c.ws(post(11), body('hello world'));
      c.c(...ok());
      c.ws(forwardRequest({ uri: '/app/after', headers: [[0xa00b, 'www.example.com']] })).c(...ok());
      return pcap(c.packets);
    },
  },
  {
    name: 'string-content-length',
    defect: '§1.3-2 a string-named Content-Length header is ignored for body detection, so the body packet is read as a forward request',
    build() {
      const c = new Conversation(`${WS}:41002`, TC, 300);
      c.ws(post(11, true)).ws(body('hello world'));
      c.c(...ok());
      c.ws(CPING).c(CPONG);
      return pcap(c.packets);
    },
  },
  {
    name: 'mid-stream',
    defect:
      '§1.1 no resynchronisation: the capture starts 10 bytes into a FORWARD_REQUEST; two arbitrary bytes are taken as a length and the next real requests are swallowed',
    build() {
      const c = new Conversation(`${WS}:41003`, TC, 400, false);
      const first = forwardRequest({ uri: '/app/first-request-cut-by-the-capture-start', headers: [[0xa00b, 'www.example.com']] });
      c.ws(first.subarray(10)).c(...ok());
      c.ws(forwardRequest({ uri: '/app/second', headers: [[0xa00b, 'www.example.com']] })).c(...ok());
      c.ws(CPING).c(CPONG);
      c.ws(forwardRequest({ uri: '/app/third', headers: [[0xa00b, 'www.example.com']] })).c(...ok());
      return pcap(c.packets);
    },
  },
  {
    name: 'codes',
    defect: '§1.3-3/4 SHUTDOWN and PING are parsed as forward requests (malformed); methods 22-27 and 0xFF show as "Unknown method"',
    build() {
      const c = new Conversation(`${WS}:41004`, TC, 500);
      for (const m of [22, 23, 24, 25, 26, 27]) c.ws(forwardRequest({ method: m, uri: `/dav/m${m}` })).c(...ok());
      c.ws(forwardRequest({ method: 0xff, uri: '/app/patch', attributes: [attr(0x0d, 'PATCH')] })).c(...ok());
      c.ws(hex('12 34 00 01 07')).finFromContainer();
      const d = new Conversation(`${WS}:41005`, TC, 600);
      d.ws(hex('12 34 00 01 08')).finFromContainer();
      return pcap([...c.packets, ...d.packets]);
    },
  },
  {
    name: 'pdu-64k',
    defect:
      'found on samples/packet-size: a 64 KiB PDU (Tomcat packetSize=65536, SEND_BODY_CHUNK of 65532 bytes) is never reassembled, and nothing after it on that direction is dissected',
    build() {
      const c = new Conversation(`${WS}:41007`, TC, 800);
      c.ws(forwardRequest({ uri: '/app/big' })).c(sendHeaders(200, '200', [[0xa003, '65528']]));
      const big = sendBodyChunk(Buffer.alloc(65528, 0x7a));
      for (let o = 0; o < big.length; o += 8192) c.c(big.subarray(o, o + 8192));
      c.c(END_REUSE);
      c.ws(CPING).c(CPONG);
      return pcap(c.packets);
    },
  },
  {
    name: 'empty-body-forms',
    defect: 'both empty-body forms (mod_jk 12 34 00 00 after GET_BODY_CHUNK; mod_proxy_ajp 12 34 00 02 00 00) end a chunked body',
    build() {
      const c = new Conversation(`${WS}:41006`, TC, 700);
      const chunked = forwardRequest({ method: 4, uri: '/app/chunked', headers: [['Transfer-Encoding', 'chunked']] });
      c.ws(chunked).c(getBodyChunk(8186)).ws(body('abc')).c(getBodyChunk(8186)).ws(EMPTY_JK).c(...ok());
      c.ws(chunked).c(getBodyChunk(8186)).ws(body('abc')).c(getBodyChunk(8186)).ws(hex('12 34 00 02 00 00')).c(...ok());
      c.ws(CPING).c(CPONG);
      return pcap(c.packets);
    },
  },
];
