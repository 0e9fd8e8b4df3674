/**
 * `ajp-inspect config` and configuration files with diagnose / the capture commands, as a user runs
 * them (node dist/cli.js): findings with file:line, exit codes, and one-line errors for bad input.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, useTempDirs } from '../helpers/cli.js';

const tempDir = useTempDirs('ajpi-config-');
const S = 'samples/secret-mismatch/';

describe('ajp-inspect config', () => {
  it('names the misconfiguration with the lines to change; exit 1', () => {
    const r = runCli(['config', `${S}workers.properties`, `${S}httpd.conf`, `${S}server-connector.xml`]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^Verdict: error, likely: config-secret-mismatch/);
    expect(r.out).toContain(`${S}workers.properties:2 worker.nosecret (127.0.0.1:18009)`);
    expect(r.out).toContain('worker.nosecret.secret=<the connector\'s secret>');
    expect(r.out).not.toContain('s3cr3t-of-tomcat');
    expect(r.out).toMatch(/Read:\n  samples\/secret-mismatch\/workers.properties: workers.properties \(3 workers/);
  });
  it('the baseline exits 0 (only info) and writes a JSON report with config inputs', () => {
    const r = runCli(['config', 'samples/baseline/workers.properties', 'samples/baseline/httpd.conf', 'samples/baseline/server-connector.xml', '-T', 'json']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out);
    expect(rep.inputs.map((i: { kind: string; format: string }) => `${i.kind}:${i.format}`)).toEqual(['config:workers', 'config:httpd', 'config:tomcat']);
    expect(rep.findings.every((f: { severity: string }) => f.severity === 'info')).toBe(true);
  });
  it('reads stdin', () => {
    const r = runCli(['config', '-'], { input: '<Server><Service><Connector port="8009" protocol="AJP/1.3" address="0.0.0.0" secretRequired="false"/></Service></Server>\n' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('stdin:1 Connector protocol="AJP/1.3" port="8009" address="0.0.0.0"');
  });
  it('bad input: one line each, exit 2, no stack', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'hello there\nnothing to see\n');
    writeFileSync(join(dir, 'broken.xml'), '<Server>\n<Connector port="8009" protocol="AJP/1.3">\n</Server>\n');
    writeFileSync(join(dir, 'loop.conf'), `Include ${join(dir, 'loop2.conf')}\n`);
    writeFileSync(join(dir, 'loop2.conf'), `Include ${join(dir, 'loop.conf')}\n`);
    writeFileSync(join(dir, 'missing.conf'), 'ServerName x\nInclude /nonexistent/dir/jk.conf\n');
    mkdirSync(join(dir, 'conf.d'));
    const cases: [string, RegExp][] = [
      ['notes.txt', /notes\.txt: not a configuration ajp-inspect reads/],
      ['broken.xml', /broken\.xml: line \d+: not well-formed XML/],
      ['loop.conf', /Include .*loop\.conf: include loop/],
      ['missing.conf', /missing\.conf:2: Include \/nonexistent\/dir\/jk\.conf: no such file/],
      ['conf.d', /conf\.d: is a directory/],
      ['nope.properties', /nope\.properties: no such file/],
    ];
    for (const [f, re] of cases) {
      const r = runCli(['config', join(dir, f)]);
      expect(r.code, f).toBe(2);
      expect(r.err, f).toMatch(re);
      expect(r.err.trim().split('\n'), f).toHaveLength(1);
    }
    expect(runCli(['config', 'samples/baseline/capture.pcap']).err).toMatch(/capture, not a configuration/);
  });
  it('Read: says what the Includes of an httpd configuration held, not only the file given', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'httpd.conf'), `ServerRoot ${dir}\nJkMount /x/* w1\nInclude conf.d/*.conf\n`);
    for (let i = 0; i < 3; i++) writeFileSync(join(dir, 'conf.d', `v${i}.conf`), `<VirtualHost *:80>\nServerName h${i}\nJkMount /a${i}/* w1\nProxyPass /p${i} ajp://10.0.0.${i + 1}:8009/p${i}\n</VirtualHost>\n`);
    writeFileSync(join(dir, 'one.conf'), `Include ${join(dir, 'conf.d', 'v0.conf')}\n`);
    const r = runCli(['config', join(dir, 'httpd.conf'), join(dir, 'one.conf')]);
    expect(r.err).toBe('');
    expect(r.out).toContain(`${join(dir, 'httpd.conf')}: httpd configuration (3 directives, 1 mount, and 3 included files: 9 directives, 3 mounts, 3 ajp:// proxies)`);
    expect(r.out).toContain(`${join(dir, 'one.conf')}: httpd configuration (1 directive, and 1 included file (${join(dir, 'conf.d', 'v0.conf')}): 3 directives, 1 mount, 1 ajp:// proxy)`);
  });
  it('more than 16 MiB of configuration (a file, stdin, what an Include pulls in) is one line, exit 2, not a run that grows with it', () => {
    const dir = tempDir();
    // 17 MiB of VirtualHosts: a hosting configuration past the bound (the facts take ~20× their text)
    const vhost = '<VirtualHost *:80>\n  ServerName h.example.com\n  JkMount /app/* w1\n</VirtualHost>\n';
    const big = vhost.repeat(Math.ceil((17 * 1048576) / vhost.length));
    writeFileSync(join(dir, 'big.conf'), big);
    writeFileSync(join(dir, 'main.conf'), `JkWorkersFile workers.properties\nInclude ${join(dir, 'vhosts')}/*.conf\n`);
    mkdirSync(join(dir, 'vhosts'));
    writeFileSync(join(dir, 'vhosts', 'a.conf'), big.slice(0, 9 * 1048576));
    writeFileSync(join(dir, 'vhosts', 'b.conf'), big.slice(0, 9 * 1048576));
    const runs: [string[], string | undefined, RegExp][] = [
      [['config', join(dir, 'big.conf')], undefined, /big\.conf: more configuration than one run reads \(16 MiB/],
      [['config', '-'], big, /^ajp-inspect: stdin: more configuration than one run reads/],
      // each included file under the bound, the two together over it: the second one is named
      [['config', join(dir, 'main.conf')], undefined, /vhosts\/b\.conf: more configuration than one run reads/],
      [['diagnose', join(dir, 'big.conf')], undefined, /big\.conf: more configuration than one run reads/],
    ];
    for (const [args, input, re] of runs) {
      const r = runCli(args, input === undefined ? {} : { input });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(re);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.out).toBe('');
    }
    // under the bound it is read
    const ok = runCli(['config', join(dir, 'vhosts', 'a.conf')]);
    expect(ok.err).toBe('');
    expect(ok.out).toMatch(/a\.conf: httpd configuration \(\d+ directives/);
  });
});

describe('configuration with logs and captures', () => {
  it('diagnose takes configuration files among the logs: the incident finding quotes the setting, the config check is confirmed', () => {
    const r = runCli(['diagnose', 'samples/firewall-idle-drop/mod_jk.log', 'samples/firewall-idle-drop/workers.properties', '--log-tz', 'UTC', '-T', 'json']);
    const rep = JSON.parse(r.out);
    const drop = rep.findings.find((f: { id: string }) => f.id === 'firewall-idle-drop');
    expect(drop.evidence.filter((e: { source: string }) => e.source === 'config').map((e: { text: string }) => e.text)).toContain('worker.node1.connection_pool_timeout not set (default 0: idle connections are never closed (workers.html))');
    const cfg = rep.findings.find((f: { id: string }) => f.id === 'config-idle-pool-unprotected');
    expect(cfg.confidence).toBe('confirmed');
    expect(rep.inputs.map((i: { kind: string }) => i.kind)).toEqual(['log', 'config']);
  });
  it('diagnose with configuration files only (no log) audits them, as config does (was: ": empty, nothing to diagnose")', () => {
    const files = ['samples/secret-mismatch/workers.properties', 'samples/secret-mismatch/server-connector.xml'];
    const d = runCli(['diagnose', ...files, '-T', 'json']);
    const c = runCli(['config', ...files, '-T', 'json']);
    expect(d.err).toBe('');
    expect(d.code).toBe(1);
    const ids = (r: { out: string }): string[] => JSON.parse(r.out).findings.map((f: { id: string }) => f.id);
    expect(ids(d)).toContain('config-secret-mismatch');
    expect(ids(d)).toEqual(ids(c));
  });
  it('the capture command takes --config and quotes the connector for the wire evidence', () => {
    const r = runCli(['samples/packet-size/capture.pcap', '--ajp-port', '18009', '--config', 'samples/packet-size/server-connector.xml', '--config', 'samples/packet-size/workers.properties', '-T', 'json']);
    const rep = JSON.parse(r.out);
    const f = rep.findings.find((x: { id: string }) => x.id === 'packet-size-mismatch');
    expect(f.evidence.some((e: { source: string; text: string }) => e.source === 'config' && /packetSize/.test(e.text))).toBe(true);
    expect(rep.findings.find((x: { id: string }) => x.id === 'config-packet-size-mismatch')?.confidence).toBe('confirmed');
  });
});
