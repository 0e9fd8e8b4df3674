import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

const workers = 'worker.list=app,jkstatus\nworker.app.port=8009\nworker.jkstatus.type=status\n';

describe('config-status-worker-open', () => {
  it('a status worker mounted with no access control', () => {
    const f = auditConfig({ '/c/w.properties': workers, '/c/jk.conf': 'JkMount /jkstatus jkstatus\nJkMount /app/* app\n' }).find((x) => x.id === 'config-status-worker-open');
    expect(f?.evidence[0]).toMatchObject({ path: '/c/jk.conf', line: 1 });
  });
  it('Deny from all undone by Allow from all (Order deny,allow) is no restriction', () => {
    expect(auditConfig({ '/c/w.properties': workers, '/c/jk.conf': '<Location /jkstatus>\n    jkmount jkstatus\n    Order deny,allow\n    Deny from all\n    Allow from all\n</Location>\n' }).map((x) => x.id)).toContain('config-status-worker-open');
  });
  it('quiet inside a <Location> with Require, with a Location of the same path elsewhere, or read_only', () => {
    expect(auditConfig({ '/c/w.properties': workers, '/c/jk.conf': '<Location /jkstatus>\n  JkMount jkstatus\n  Require ip 10.0.0.0/8\n</Location>\n' }).map((x) => x.id)).not.toContain('config-status-worker-open');
    expect(auditConfig({ '/c/w.properties': workers, '/c/jk.conf': 'JkMount /jkstatus/* jkstatus\n<Location "/jkstatus">\n  Order deny,allow\n  Deny from all\n</Location>\n' }).map((x) => x.id)).not.toContain('config-status-worker-open');
    expect(auditConfig({ '/c/w.properties': workers + 'worker.jkstatus.read_only=True\n', '/c/jk.conf': 'JkMount /jkstatus jkstatus\n' }).map((x) => x.id)).not.toContain('config-status-worker-open');
  });
});
