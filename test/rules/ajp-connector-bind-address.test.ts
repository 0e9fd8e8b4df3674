import { describe, expect, it } from 'vitest';
import { evidenceText, paste, sample, run } from './harness.js';

const ID = 'ajp-connector-bind-address';

describe(ID, () => {
  it('docker compose paste: connector on 0:0:0:0:0:0:0:1 fails to initialise (IPv6 off in the container)', () => {
    const r = run(paste('tc-ords-docker-ajp-ipv6-loopback-bind'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(r.findings[0].id).toBe(ID);
    expect(f!.confidence).toBe('possible');
    expect(f!.explanation).toMatch(/0:0:0:0:0:0:0:1/);
    expect(evidenceText(f).some((t) => t.includes('ajp-nio-0:0:0:0:0:0:0:1-8009'))).toBe(true);
  });
  it('a Cannot assign requested address chain is likely (Tomcat message format, address of another host)', () => {
    const text = [
      '17-Jul-2020 12:28:10.898 SEVERE [main] org.apache.catalina.core.StandardService.initInternal Failed to initialize connector [Connector[AJP/1.3-8009]]',
      '\torg.apache.catalina.LifecycleException: Protocol handler initialization failed',
      'Caused by: java.net.BindException: Cannot assign requested address',
    ].join('\n');
    const r = run({ path: 'catalina.out', text });
    expect(r.get(ID)?.confidence).toBe('likely');
    expect(r.ids).not.toContain('ajp-connector-port-in-use');
  });
  it('not for a port already in use, nor on a normal start', () => {
    expect(run(paste('tc-apdplat-ajp-nio-bind-in-use')).ids).not.toContain(ID);
    expect(run(sample('baseline', ['catalina.out'])).ids).not.toContain(ID);
  });
});
