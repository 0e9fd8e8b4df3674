/**
 * A paste that quotes its configuration beside its log lines (`diagnose FILE` and `diagnose -`, and
 * `--log` of the capture command): the log lines are diagnosed, and the configuration is read where
 * it stands (config/fragments.ts, cli/configs.ts). The pieces are real (see test/config/fragments.test.ts
 * for their sources); how they are laid out in one text is the constructed part.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, useTempDirs } from '../helpers/cli.js';

const tempDir = useTempDirs('ajpi-quoted-');
const fixture = (p: string): string => readFileSync(new URL(`../fixtures/${p}`, import.meta.url), 'utf8');
const jkLines = fixture('logs/pastes/jk-ubuntu-tomcat6-wrong-server-xml.txt').split('\n').slice(0, 3);
const workers = fixture('configs/real/eviles-docker-httpd-tomcat/workers.properties').trimEnd().split('\n');
const connector = '<Connector port="8009" protocol="AJP/1.3" redirectPort="8443" />';
const paste = ['Hi, every request gives 503.', '', 'workers.properties:', ...workers, '', 'server.xml:', connector, '', 'mod_jk.log:', ...jkLines, 'Any idea?', ''].join('\n');
const lineOf = (needle: string): number => paste.split('\n').findIndex((l) => l.includes(needle)) + 1;

interface Report {
  inputs: { path: string; kind: string; format: string; quotedLines?: [number, number] }[];
  findings: { id: string; severity: string; evidence: { source: string; path?: string; line?: number }[] }[];
}

describe('configuration quoted in a paste', () => {
  for (const via of ['file', 'stdin'] as const) {
    it(`${via}: the log lines are diagnosed and the quoted workers.properties and <Connector> are read at their lines`, () => {
      const file = join(tempDir(), 'paste.txt');
      writeFileSync(file, paste);
      const r = via === 'file' ? runCli(['diagnose', file, '-T', 'json', '--log-tz', 'UTC']) : runCli(['diagnose', '-', '-T', 'json', '--log-tz', 'UTC'], { input: paste });
      expect(r.err).toBe('');
      expect(r.code).toBe(1);
      const rep = JSON.parse(r.out) as Report;
      const name = via === 'file' ? file : 'stdin';
      expect(rep.inputs).toEqual([
        { path: name, kind: 'log', format: 'modjk' },
        { path: name, kind: 'config', format: 'workers', quotedLines: [lineOf('worker.list='), lineOf('worker.jsp-ap.lbfactor')] },
        { path: name, kind: 'config', format: 'tomcat', quotedLines: [lineOf('<Connector'), lineOf('<Connector')] },
      ]);
      // the lines read as configuration are not counted unrecognised: prose, comments and headings are
      const nonBlank = paste.split('\n').filter((l) => l.trim() !== '').length;
      expect((JSON.parse(r.out) as { logs: { files: { unrecognised: number }[] } }).logs.files[0]?.unrecognised).toBe(nonBlank - jkLines.length - 5 - 1);
      const ids = rep.findings.map((f) => f.id);
      // the log's cause first; the configuration's own findings beside it, citing the paste's lines
      expect(ids[0]).toBe('backend-down-or-wrong-port');
      const exposed = rep.findings.find((f) => f.id === 'config-ajp-exposed');
      expect(exposed?.evidence.some((e) => e.source === 'config' && e.path === name && e.line === lineOf('<Connector'))).toBe(true);
      const timeouts = rep.findings.find((f) => f.id === 'config-howto-timeouts');
      expect(timeouts?.evidence.some((e) => e.source === 'config' && e.line === lineOf('worker.jsp-ap.port'))).toBe(true);
    });
  }

  it('text: what was read as configuration is listed under Read', () => {
    const r = runCli(['diagnose', '-', '--log-tz', 'UTC'], { input: paste });
    expect(r.out).toContain(`stdin lines ${lineOf('worker.list=')}-${lineOf('worker.jsp-ap.lbfactor')}: workers.properties quoted in it, read as configuration`);
    expect(r.out).toContain(`stdin line ${lineOf('<Connector')}: server.xml quoted in it, read as configuration`);
  });

  it('a configuration file given among the logs is still read whole, as `config` reads it', () => {
    const file = join(tempDir(), 'workers.properties');
    writeFileSync(file, `${workers.join('\n')}\n`);
    const r = runCli(['diagnose', file, '-T', 'json']);
    const rep = JSON.parse(r.out) as Report;
    expect(rep.inputs).toEqual([{ path: file, kind: 'config', format: 'workers' }]);
  });

  it('quoted XML that cannot be read is said on stderr and left out; the log lines are still diagnosed', () => {
    const broken = paste.replace(connector, '<Connector port=8009 protocol="AJP/1.3" redirectPort="8443" />');
    const r = runCli(['diagnose', '-', '-T', 'json', '--log-tz', 'UTC'], { input: broken });
    expect(r.err).toMatch(new RegExp(`^ajp-inspect: warning: stdin: line ${lineOf('<Connector')} look like server\\.xml but cannot be read \\(.*XML.*\\): left out\\n$`));
    const rep = JSON.parse(r.out) as Report;
    expect(rep.inputs.map((i) => i.format)).toEqual(['modjk', 'workers']);
    expect(rep.findings[0]?.id).toBe('backend-down-or-wrong-port');
  });

  it('--log of the capture command reads the configuration quoted in it too', () => {
    const file = join(tempDir(), 'paste.txt');
    writeFileSync(file, paste);
    const r = runCli(['samples/backend-down/capture.pcap', '--ajp-port', '18009', '--log', file, '--log-tz', 'UTC', '-T', 'json']);
    const rep = JSON.parse(r.out) as Report;
    expect(rep.inputs.filter((i) => i.kind === 'config').map((i) => i.format)).toEqual(['workers', 'tomcat']);
  });
});

describe('`config` on a paste that quotes configuration among other lines', () => {
  it('reads each kind it quotes, where it stands, as diagnose does', () => {
    const file = join(tempDir(), 'paste.txt');
    writeFileSync(file, paste);
    const r = runCli(['config', file]);
    expect(r.err).toBe('');
    expect(r.out).toContain(`${file} lines ${lineOf('worker.list=')}-${lineOf('worker.jsp-ap.lbfactor')}: workers.properties (1 worker, worker.list=jsp-ap)`);
    expect(r.out).toContain(`${file} line ${lineOf('<Connector')}: Tomcat server.xml (1 AJP connector)`);
    expect(r.out).toMatch(/config-ajp-exposed/);
  });
  it('a real post quoting httpd configuration and workers.properties between shell output (ko-notes-debian-httpd-jk-conf-not-loaded) is read, not refused', () => {
    const r = runCli(['config', 'test/fixtures/logs/pastes/ko-notes-debian-httpd-jk-conf-not-loaded.txt']);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/ko-notes-debian-httpd-jk-conf-not-loaded\.txt lines \d+-\d+: httpd configuration/);
    expect(r.out).toMatch(/ko-notes-debian-httpd-jk-conf-not-loaded\.txt lines \d+-\d+: workers\.properties \(2 workers, worker\.list=ajp13_worker/);
  });
});

describe('a log message that starts with a directive name is not configuration', () => {
  it("gh-turnkey-jkworkersfile-only-allowed-once: mod_jk's `JkWorkersFile only allowed once` (real apachectl output) is read as the log line it is", () => {
    const r = runCli(['diagnose', 'test/fixtures/logs/pastes/gh-turnkey-jkworkersfile-only-allowed-once.txt', '-T', 'json']);
    const rep = JSON.parse(r.out) as Report;
    expect(rep.inputs.map((i) => i.kind)).toEqual(['log']);
    expect(rep.findings[0]?.id).toBe('jk-directive-rejected');
  });
});
