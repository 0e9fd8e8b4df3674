import { describe, expect, it } from 'vitest';
import { paste, sample, run } from './harness.js';

const ID = 'mod-cluster-duplicate-node-address';

describe(ID, () => {
  it('finds it, first: mc-same-ajp-url-reslist-assertion (real paste, as published)', () => {
    const r = run(paste('mc-same-ajp-url-reslist-assertion'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("httpd refusing a CONFIG for a worker another node holds (constructed from mod_proxy_cluster mod_manager.c process_config: MNODEET and its `does NOT correspond` line)", () => {
    const r = run({
      path: 'error_log',
      text:
        '[Tue Jun 04 10:20:51.123000 2024] [manager:error] [pid 4242:tid 140211] [client 10.0.0.9:40188] process_config: worker 1 (node1) exists and does NOT correspond to node2\n' +
        '[Tue Jun 04 10:20:51.123456 2024] [manager:error] [pid 4242:tid 140211] [client 10.0.0.9:40188] manager_handler CONFIG error: MEM: Another for the same worker already exist\n',
    });
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(r.findings[0].explanation).toMatch(/node2 \(the worker is node1's\)/);
    expect(r.ids).not.toContain('mcmp-mem-error');
  });
  it("the node's side of it (MODCLUSTER000042 carrying the same answer)", () => {
    const r = run({ path: 'server.log', text: '2024-06-04 10:20:51,124 ERROR [org.jboss.modcluster] (UndertowEventHandlerAdapter - 1) MODCLUSTER000042: Error MEM sending CONFIG command to /10.0.0.5:6666, configuration will be reset: MEM: Another for the same worker already exist\n' });
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
  });
  it('stays quiet on mc-siga-all-workers-error-state-pt', () => {
    expect(run(paste('mc-siga-all-workers-error-state-pt')).ids).not.toContain(ID);
  });
  it('stays quiet on the baseline sample', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
