import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

describe('config-mount-not-inherited', () => {
  it('a main-server JkMount and a VirtualHost without JkMountCopy', () => {
    const f = auditConfig({ '/c/httpd.conf': 'JkMount /app/* w\n<VirtualHost *:443>\n  ServerName secure.example.com\n</VirtualHost>\n' }).find((x) => x.id === 'config-mount-not-inherited');
    expect(f?.explanation).toContain('*:443');
    expect(f?.evidence.map((e) => ('line' in e ? e.line : 0))).toEqual([1, 3]);
  });
  it('JkMountCopy On in the vhost, JkMountCopy All in the main server, or mounts only inside vhosts: quiet', () => {
    expect(auditConfig({ '/c/httpd.conf': 'JkMount /app/* w\n<VirtualHost *:443>\n  JkMountCopy On\n</VirtualHost>\n' }).map((x) => x.id)).not.toContain('config-mount-not-inherited');
    expect(auditConfig({ '/c/httpd.conf': 'JkMountCopy All\nJkMount /app/* w\n<VirtualHost *:443>\n  ServerName a\n</VirtualHost>\n' }).map((x) => x.id)).not.toContain('config-mount-not-inherited');
    expect(auditConfig({ '/c/httpd.conf': '<VirtualHost *:80>\n  JkMount /* w\n</VirtualHost>\n' }).map((x) => x.id)).not.toContain('config-mount-not-inherited');
  });
});
