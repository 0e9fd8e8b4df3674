import { describe, expect, it } from 'vitest';
import { paste, run } from './harness.js';

const ID = 'jk-directive-rejected';

describe(ID, () => {
  it('finds it, first: gh-turnkey-jkworkersfile-only-allowed-once (real apachectl output, as published)', () => {
    const r = run(paste('gh-turnkey-jkworkersfile-only-allowed-once'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    const f = r.findings[0]!;
    expect(f.severity).toBe('error');
    // the place httpd names on the line before, and the reason
    expect(f.explanation).toMatch(/refused JkWorkersFile 1 time \(line 13 of \/etc\/apache2\/sites-enabled\/jktomcat\)/);
    expect(f.explanation).toMatch(/JkWorkersFile is set once for the whole server/);
    expect(f.evidence.map((e) => (e.source === 'log' ? e.line : 0))).toEqual([2, 3]);
  });
  it('stays quiet on the pastes of a duplicate JkWorkersFile that mod_jk accepted (1.2.28, per VirtualHost) and on a healthy start-up', () => {
    expect(run(paste('jk-ubuntu-lb-duplicate-jkworkersfile')).ids).not.toContain(ID);
    expect(run(paste('jk-2005-debug-startup-healthy')).ids).not.toContain(ID);
  });
});

describe(`${ID}: the strings of mod_jk.c's command handlers and httpd's`, () => {
  // Constructed lines: httpd 2.4's AH00526 line and each handler's string as tomcat-connectors
  // native/apache-2.0/mod_jk.c returns it (jk_mount_context, jk_set_worker_file), and httpd's
  // server/config.c `Invalid command` for a directive of a module not loaded.
  const at = (msg: string) => ({ path: 'configtest.txt', text: `AH00526: Syntax error on line 7 of /etc/httpd/conf.d/jk.conf:\n${msg}\nAction 'configtest' failed.\n` });
  it('a JkMount with a path inside <Location>', () => {
    const f = run(at('JkMount can not have a path when defined in a location')).get(ID);
    expect(f?.explanation).toMatch(/refused JkMount 1 time \(line 7 of \/etc\/httpd\/conf\.d\/jk\.conf\).*inside <Location> takes the worker only/);
  });
  it('a workers file that is not there', () => {
    expect(run(at("JkWorkersFile: Can't find the workers file specified")).get(ID)?.explanation).toMatch(/does not exist where httpd looks/);
  });
  it('mod_jk not loaded where the directive is read', () => {
    const f = run(at("Invalid command 'JkMount', perhaps misspelled or defined by a module not included in the server configuration")).get(ID);
    expect(f?.explanation).toMatch(/LoadModule line is missing/);
  });
  it('another module\'s "only allowed once" is not mod_jk\'s', () => {
    expect(run(at('ServerRoot only allowed once')).ids).not.toContain(ID);
  });
});
