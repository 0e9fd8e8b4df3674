import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

describe('config-reply-timeout-short', () => {
  it('reply_timeout=1000 on an lb member, with max_reply_timeouts quoted', () => {
    const f = auditConfig({ '/c/workers.properties': 'worker.list=lb\nworker.lb.type=lb\nworker.lb.balance_workers=n1\nworker.lb.max_reply_timeouts=2\nworker.n1.port=8009\nworker.n1.reply_timeout=1000\n' }).find((x) => x.id === 'config-reply-timeout-short');
    expect(f?.explanation).toMatch(/1000 ms.*lb 'lb' puts n1 into error after 2/);
    expect(f?.remedy).toContain('worker.n1.reply_timeout=60000');
  });
  it('reply_timeout=30 reads as seconds meant', () => {
    expect(auditConfig({ '/c/w.properties': 'worker.list=w\nworker.w.reply_timeout=30\n' }).find((x) => x.id === 'config-reply-timeout-short')?.explanation).toContain('looks like seconds');
  });
  it('mod_proxy_ajp timeout=3, and ProxyTimeout 5 for a worker without timeout=', () => {
    expect(auditConfig({ '/c/httpd.conf': 'ProxyPass /x ajp://127.0.0.1:8009/x timeout=3\n' }).map((x) => x.id)).toContain('config-reply-timeout-short');
    expect(auditConfig({ '/c/httpd.conf': 'ProxyTimeout 5\nProxyPass /x ajp://127.0.0.1:8009/x\n' }).map((x) => x.id)).toContain('config-reply-timeout-short');
  });
  it('quiet at 60 s and when unset', () => {
    expect(auditConfig({ '/c/w.properties': 'worker.list=w\nworker.w.reply_timeout=60000\n', '/c/httpd.conf': 'ProxyPass /x ajp://127.0.0.1:8009/x\n' }).map((x) => x.id)).not.toContain('config-reply-timeout-short');
  });
});
