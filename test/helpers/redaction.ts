/**
 * Redaction and text tables: a capture whose secret value is printed in table cells that the
 * renderers make by joining strings of the report, and a check that every table of an output
 * still lines up.
 */
import { pcap, tcpPacket, type BuiltPacket } from './capture-builder.js';
import { forwardRequest, END_REUSE, sendHeaders } from '../ajp/helpers.js';
import { chunked200, javaRequest } from '../mcmp/conversation.js';

/** The node's AJP address, and the value of the sticky cookie httpd sends it (util/secrets.ts collects it). */
export const NODE_ADDRESS = '10.0.0.7:8009';

/** One TCP connection: handshake, each payload in its direction 1 ms apart, FIN from the client. */
function connection(client: string, server: string, t0: number, turns: ReadonlyArray<readonly ['c' | 's', Buffer | string]>): BuiltPacket[] {
  const out: BuiltPacket[] = [];
  let cs = 1000;
  let ss = 5000;
  let t = t0;
  out.push(tcpPacket({ src: client, dst: server, seq: cs++, flags: 'S', ts: t }));
  out.push(tcpPacket({ src: server, dst: client, seq: ss++, ack: cs, flags: 'SA', ts: (t += 0.0001) }));
  out.push(tcpPacket({ src: client, dst: server, seq: cs, ack: ss, flags: 'A', ts: (t += 0.0001) }));
  for (const [dir, p] of turns) {
    const b = typeof p === 'string' ? Buffer.from(p, 'latin1') : p;
    if (dir === 'c') {
      out.push(tcpPacket({ src: client, dst: server, seq: cs, ack: ss, flags: 'PA', payload: b, ts: (t += 0.001) }));
      cs += b.length;
    } else {
      out.push(tcpPacket({ src: server, dst: client, seq: ss, ack: cs, flags: 'PA', payload: b, ts: (t += 0.001) }));
      ss += b.length;
    }
  }
  out.push(tcpPacket({ src: client, dst: server, seq: cs, ack: ss, flags: 'FA', ts: (t += 0.001) }));
  out.push(tcpPacket({ src: server, dst: client, seq: ss, ack: cs + 1, flags: 'FA', ts: (t += 0.001) }));
  out.push(tcpPacket({ src: client, dst: server, seq: cs + 1, ack: ss + 1, flags: 'A', ts: (t += 0.001) }));
  return out;
}

/**
 * mod_cluster registers two nodes with httpd (MCMP CONFIG and STATUS, answered), then httpd forwards
 * a request to node1 over AJP with a sticky cookie whose value is node1's `host:port`. The value is
 * collected as a secret; the report holds the host and the port as separate strings, so it is whole
 * only in the cells made from them: the stream table's server, the AJP container, MCMP's
 * `ajp://host:port`.
 */
export function cookieNamesNodeCapture(): Buffer {
  const [host, port] = NODE_ADDRESS.split(':') as [string, string];
  const mcmp = connection('10.0.0.7:50000', '10.0.0.5:6666', 1, [
    ['c', javaRequest('CONFIG', '/', `JVMRoute=node1&Host=${host}&Port=${port}&Type=ajp`)],
    ['s', chunked200('')],
    ['c', javaRequest('CONFIG', '/', 'JVMRoute=node2&Host=10.0.0.8&Port=8009&Type=ajp')],
    ['s', chunked200('')],
    ['c', javaRequest('STATUS', '/', 'JVMRoute=node1&Load=50')],
    ['s', chunked200('Type=STATUS-RSP&JVMRoute=node1&State=OK&id=1')],
    ['c', javaRequest('STATUS', '/', 'JVMRoute=node2&Load=50')],
    ['s', chunked200('Type=STATUS-RSP&JVMRoute=node2&State=OK&id=1')],
  ]);
  const ajp = connection('10.0.0.5:40000', NODE_ADDRESS, 2, [
    // 0xA009: Cookie
    ['c', forwardRequest({ uri: '/app/x', headers: [[0xa009, `ROUTEID=${NODE_ADDRESS}`]] })],
    ['s', sendHeaders(200, 'OK')],
    ['s', END_REUSE],
  ]);
  return pcap([...mcmp, ...ajp]);
}

/**
 * The tables of a text output whose lines are not all of one length (each table from its `┌` line to
 * its `└` line; the lines counted in code points: the borders and arrows are one column each).
 */
export function misalignedTables(out: string): string[][] {
  const tables: string[][] = [];
  for (const line of out.split('\n')) {
    if (line.startsWith('┌')) tables.push([]);
    if (/^[┌│├└]/.test(line)) tables.at(-1)?.push(line);
  }
  return tables.filter((t) => new Set(t.map((l) => [...l].length)).size > 1);
}
