/** Feeds a capture file through the committed capture → net → tcp stages into a sink (test helper). */
import { openCapture } from '../../src/capture/index.js';
import { decodeTcp, newNetCounters } from '../../src/net/index.js';
import { TcpFlowTable, type TcpSink } from '../../src/tcp/index.js';

export async function runCapture(path: string, sink: TcpSink): Promise<void> {
  const reader = await openCapture(path);
  const table = new TcpFlowTable(sink);
  const counters = newNetCounters();
  try {
    await reader.read((p) => {
      const seg = decodeTcp(p, counters);
      if (seg !== null) table.push(seg, p.origLen);
    });
  } finally {
    reader.close();
  }
  table.finish();
}
