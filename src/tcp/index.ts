/** tcp/: flows, stream ids (Wireshark's tcp.stream), client/server roles, reassembly, TCP events. */
export { TcpFlowTable, fanOut, chunkLength, copyTcpEvent } from './flow-table.js';
export type { TcpFlowTableOptions } from './flow-table.js';
export { seqAdd, seqDiff } from './seq.js';
export { KNOWN_SERVER_PORTS, serverByPort, serverByContent } from './roles.js';
export type {
  Direction,
  Endpoint,
  StreamInfo,
  StreamData,
  TcpEvent,
  TcpEventKind,
  StreamEnd,
  StreamSummary,
  TcpSink,
} from './types.js';
