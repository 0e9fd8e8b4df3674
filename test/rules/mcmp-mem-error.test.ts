import { describe, expect, it } from 'vitest';
import { evidenceText, run, sample } from './harness.js';
import { diagnoseWith, mcmpSampleEvidence } from './mcmp-harness.js';

const ID = 'mcmp-mem-error';

describe(ID, () => {
  it('finds it on the real capture: STATUS for node9 (never registered) and for node1 after it was removed', async () => {
    const r = diagnoseWith(await mcmpSampleEvidence());
    const f = r.all(ID)[0];
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('confirmed');
    expect(f!.severity).toBe('error');
    expect(f!.explanation).toMatch(/2 MCMP requests with 500 Type: MEM/);
    expect(f!.explanation).toMatch(/nodes node9 and node1/);
    const frames = f!.evidence.flatMap((e) => (e.source === 'capture' ? e.frames : []));
    expect(frames).toEqual(expect.arrayContaining([466, 470, 652, 654]));
    expect(f!.remedy).toMatch(/Maxnode/);
  });
  it('finds it in the httpd error_log alone', () => {
    const r = run(sample('mcmp', ['error_log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(evidenceText(f).some((t) => t.includes('MEM: Can\'t read node with "node1" JVMRoute'))).toBe(true);
  });
  it("the node's side alone: WildFly's MODCLUSTER000042 with Type MEM (WildFly Cookbook's line, as published) is mod_manager's answer, read as it", () => {
    // WildFly Cookbook, mod_cluster chapter (code-index:file-id/25951880778); mod_cluster
    // DefaultMCMPHandler.sendRequest → ModClusterLogger.recoverableErrorResponse (id 42)
    const r = run({ path: 'server.log', text: "18:57:23,879 ERROR [org.jboss.modcluster] (UndertowEventHandlerAdapter - 1) MODCLUSTER000042: Error MEM sending STATUS command to 10.0.0.1/10.0.0.1:6666, configuration will be reset: MEM: Can't read node\n" });
    const f = r.get(ID)!;
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(r.findings[0].id).toBe(ID);
    expect(f.explanation).toMatch(/on the node logged 1 MEM answer from httpd .*10\.0\.0\.1\/10\.0\.0\.1:6666.*"MEM: Can't read node".*refused the node's STATUS/);
  });
  it("a full table (`Can't update or insert node`) does not say httpd did not know the node (constructed from mod_manager.c's MEM strings)", () => {
    const r = run({ path: 'server.log', text: '2019-07-22 09:15:40,081 ERROR [org.jboss.modcluster] (UndertowEventHandlerAdapter - 1) MODCLUSTER000042: Error MEM sending CONFIG command to /10.0.0.5:6666, configuration will be reset: MEM: Can\'t update or insert node with "node1" JVMRoute\n' });
    expect(r.get(ID)!.explanation).not.toMatch(/did not know/);
  });
  it("a worker another node holds (MEM: Another for the same worker already exist) is left to mod-cluster-duplicate-node-address", () => {
    const r = run({ path: 'error_log', text: '[Tue Jun 04 10:20:51.123456 2024] [manager:error] [pid 4242:tid 140211] [client 10.0.0.8:40122] manager_handler CONFIG error: MEM: Another for the same worker already exist\n' });
    expect(r.ids).not.toContain(ID);
  });
  it('stays quiet on the baseline sample', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
