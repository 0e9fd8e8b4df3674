import { describe, expect, it } from 'vitest';
import { fx, run, sample } from './harness.js';
import { conversationEvidence, diagnoseWith, mcmpSampleEvidence } from './mcmp-harness.js';
import { chunked200, javaRequest } from '../mcmp/conversation.js';

const ID = 'mcmp-httpd-restart';
const node = { addr: '10.0.0.7', port: 40001 };
const httpd = { addr: '10.0.0.5', port: 6666 };

describe(ID, () => {
  it('stays quiet on the real capture: one restart id (1795256150940681) throughout', async () => {
    expect(diagnoseWith(await mcmpSampleEvidence()).ids).not.toContain(ID);
  });
  it('finds the restart id of STATUS-RSP changing between two STATUS (httpd restarted in between)', () => {
    const status = (load: number, id: string, t: number) => [
      { dir: 'c2s' as const, data: javaRequest('STATUS', '/', `JVMRoute=node1&Load=${load}`), ts: t },
      { dir: 's2c' as const, data: chunked200(`Type=STATUS-RSP&JVMRoute=node1&State=OK&id=${id}\n`), ts: t + 0.002 },
    ];
    const ev = conversationEvidence([{ id: 0, client: node, server: httpd, turns: [...status(100, '1795256150940681', 10), ...status(100, '1795256401100012', 20)] }]);
    const r = diagnoseWith(ev);
    const f = r.all(ID)[0];
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('confirmed');
    expect(f!.explanation).toContain('1795256150940681 → 1795256401100012');
    expect(f!.remedy).toMatch(/PersistSlots On/);
  });
  it('an httpd graceful restart in the error_log alone is only possible (constructed from httpd AH00493)', () => {
    const r = run(fx('constructed/mcmp-httpd-restart.error_log'));
    expect(r.get(ID)?.confidence, r.ids.join(', ')).toBe('possible');
    expect(run(sample('mcmp', ['error_log'])).ids).not.toContain(ID);
  });
});
