import { describe, expect, it } from 'vitest';
import { paste, sample, run } from './harness.js';

const ID = 'mod-cluster-proxy-unreachable';

describe(ID, () => {
  it('finds it, first: mc-modcluster000042-info-null-6666 (real paste, as published)', () => {
    const r = run(paste('mc-modcluster000042-info-null-6666'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it("a MODCLUSTER000042 with mod_manager's type (Error MEM) is an answer, not an unreachable proxy: mcmp-mem-error's (WildFly Cookbook's httpd restart, as published)", () => {
    // WildFly Cookbook, mod_cluster chapter (code-index:file-id/25951880778): httpd restarted, its
    // next STATUS answered 500 Type MEM (DefaultMCMPHandler.sendRequest → recoverableErrorResponse)
    const r = run(
      { path: 'error_log', text: "[Thu Oct 16 18:57:23 2014] [warn] manager_handler STATUS error: MEM: Can't read node\n" },
      { path: 'server.log', text: "18:57:23,879 ERROR [org.jboss.modcluster] (UndertowEventHandlerAdapter - 1) MODCLUSTER000042: Error MEM sending STATUS command to 10.0.0.1/10.0.0.1:6666, configuration will be reset: MEM: Can't read node\n" },
    );
    expect(r.ids).not.toContain(ID);
    expect(r.findings[0]?.id).toBe('mcmp-mem-error');
  });
  it('MODCLUSTER000043, the IOException of a send that got no answer, is this cause (constructed from mod_cluster ModClusterLogger id 43)', () => {
    const r = run({ path: 'server.log', text: '2026-12-02 10:00:00,000 ERROR [org.jboss.modcluster] (ServerService Thread Pool -- 60) MODCLUSTER000043: Failed to send INFO to /10.0.0.1:6666: java.net.ConnectException: Connection refused\n' });
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(r.findings[0]?.subject).toEqual({ proxy: '/10.0.0.1:6666' });
  });
  it('stays quiet on r2c-glenware-wildfly-windows-cpu-load-metric', () => {
    expect(run(paste('r2c-glenware-wildfly-windows-cpu-load-metric')).ids).not.toContain(ID);
  });
  it('stays quiet on the baseline sample', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
