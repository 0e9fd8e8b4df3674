import { describe, expect, it } from 'vitest';
import { fx, paste, sample, run } from './harness.js';

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
  it('MODCLUSTER000043 as mod_cluster 1.3.x to 2.0 word it (`Failed to send %s command to %s: %s`): JBoss EAP 7.4, as published, the refusal read', () => {
    // code-index:file-id/61804404515 (an EAP 7.4.8 server.log pasted with its prompt, pt-BR locale)
    const r = run(fx('published/eap74-modcluster000043-server.log'));
    const f = r.get(ID)!;
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(r.findings[0].id).toBe(ID);
    expect(f.explanation).toMatch(/\/127\.0\.0\.1:6666, \/127\.0\.0\.2:6666 \(Conexão recusada \(Connection refused\)\)/);
    expect(f.explanation).toMatch(/nothing listens on that port/);
  });
  it('MODCLUSTER000043 as mod_cluster 1.2.x words it, glued to its level (EAP 6, a grep as published): the IOException read', () => {
    // code-index:file-id/55260966098
    const r = run(fx('published/eap6-modcluster000043-grep.txt'));
    const f = r.get(ID)!;
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f.explanation).toMatch(/java\.net\.ConnectException: Connection refused/);
    expect(f.evidence.filter((e) => e.source === 'log')).toHaveLength(2);
  });
  it('a timed-out connect is read as no answer (a firewall or another network), not as nothing listening', () => {
    const r = run({ path: 'server.log', text: '2015-09-11 17:43:52,313 ERROR [org.jboss.modcluster] (ContainerBackgroundProcessor[StandardEngine[jboss.web]]) MODCLUSTER000043: Failed to send INFO to /10.0.0.5:6666: java.net.ConnectException: Connection timed out\n' });
    expect(r.get(ID)!.explanation).toMatch(/a firewall drops it/);
    expect(r.get(ID)!.explanation).not.toMatch(/nothing listens/);
  });
  it('stays quiet on r2c-glenware-wildfly-windows-cpu-load-metric', () => {
    expect(run(paste('r2c-glenware-wildfly-windows-cpu-load-metric')).ids).not.toContain(ID);
  });
  it('stays quiet on the baseline sample', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
