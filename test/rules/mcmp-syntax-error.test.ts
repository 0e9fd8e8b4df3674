import { describe, expect, it } from 'vitest';
import { evidenceText, fx, run, sample } from './harness.js';
import { diagnoseWith, mcmpSampleEvidence } from './mcmp-harness.js';

const ID = 'mcmp-syntax-error';

describe(ID, () => {
  it("the node's side alone: MODCLUSTER000041 (constructed from mod_cluster ModClusterLogger id 41, `Unrecoverable syntax error %s sending %s command to %s: %s`)", () => {
    const r = run({ path: 'server.log', text: '2019-07-22 09:15:40,081 ERROR [org.jboss.modcluster] (UndertowEventHandlerAdapter - 1) MODCLUSTER000041: Unrecoverable syntax error SYNTAX sending CONFIG command to /10.0.0.5:6666: SYNTAX: JVMRoute field too big\n' });
    const f = r.get(ID)!;
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f.explanation).toMatch(/MODCLUSTER000041, to \/10\.0\.0\.5:6666\) to its \(CONFIG\).*"SYNTAX: JVMRoute field too big"/);
  });
  it('finds it on the real mod_proxy_cluster capture (samples/mcmp): the operator\'s five malformed messages, with frames', async () => {
    const r = diagnoseWith(await mcmpSampleEvidence());
    const [f, ...more] = r.all(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(more).toEqual([]);
    expect(f!.confidence).toBe('confirmed');
    expect(f!.severity).toBe('error');
    expect(f!.explanation).toMatch(/refused 5 MCMP messages/);
    expect(f!.explanation).toContain('"SYNTAX: JVMRoute field too big"');
    // Exchange 27: CONFIG with a 70-character JVMRoute (frames 418 request, 420 answer), and why (the param check).
    const cfg = f!.evidence.find((e) => e.source === 'capture' && e.kind === 'mcmp-syntax-error' && e.frames.includes(418));
    expect(cfg).toBeDefined();
    expect(f!.evidence.some((e) => e.source === 'capture' && e.kind === 'mcmp-param-too-long')).toBe(true);
    expect(f!.remedy).toMatch(/jvmRoute at most 63/);
  });
  it('finds it in the same run\'s httpd error_log alone (manager_handler … error: SYNTAX)', () => {
    const r = run(sample('mcmp', ['error_log']));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('likely');
    expect(evidenceText(f).some((t) => t.includes('manager_handler CONFIG error: SYNTAX: JVMRoute field too big'))).toBe(true);
  });
  it('stays quiet on AJP-only runs', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
    expect(run(fx('constructed/firewall-idle-drop.log')).ids).not.toContain(ID);
  });
});
