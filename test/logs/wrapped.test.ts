/**
 * How the reader finds where a wrap cut a line (src/logs/reader.ts wrapWidth, wrapCut, joinSep,
 * joinTomcat), on real lines: test/fixtures/logs/excerpts/E24 (a Tomcat 8.5.51 record) and pastes of
 * test/fixtures/logs/pastes, wrapped here as a mail client (at blanks) or a terminal (mid-word) does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../../src/logs/index.js';
import { knownMessage } from '../../src/rules/index.js';
import { mailWrap, terminalWrap } from '../wraps.js';

const FX = join(import.meta.dirname, '../fixtures/logs');
const text = (rel: string) => readFileSync(join(FX, rel), 'utf8');
const read = (t: string) => parseLogText(t, { path: 'paste', tz: 'UTC', knownMessage }).events;
const SECRET = 'The AJP Connector is configured with secretRequired="true" but the secret attribute is either null or "". This combination is not valid.';

describe('wrapped pastes', () => {
  it('a Tomcat record whose lines a mail client cut at 72 columns is one event with its whole Caused by', () => {
    const wrapped = mailWrap(text('excerpts/E24-tomcat-8.5.51.log'), 72);
    expect(wrapped.split('\n').length).toBeGreaterThan(5);
    const events = read(wrapped);
    expect(events.map((e) => e.dialect)).toEqual(['tomcat']);
    expect(events[0].message.replace(/\s+/g, ' ')).toContain(`Failed to start connector [Connector[AJP/1.3-8009]]`);
    expect(events[0].message.replace(/\s+/g, ' ')).toContain(SECRET);
  });

  it('the same record cut mid-word by an 80-column terminal: the cuts are joined without a blank', () => {
    const wrapped = terminalWrap(text('excerpts/E24-tomcat-8.5.51.log'), 80);
    // (the terminal cut 'Failed to s|tart connector')
    expect(wrapped).toContain('Failed to s\ntart');
    const events = read(wrapped);
    expect(events.map((e) => e.dialect)).toEqual(['tomcat']);
    expect(events[0].message).toContain('Failed to start connector [Connector[AJP/1.3-8009]]');
    expect(events[0].message).toContain(SECRET);
  });

  it('Korean is cut at a blank: the blank is put back (ko-blog-tomcat-secretrequired-korean-locale)', () => {
    const events = read(terminalWrap(text('pastes/ko-blog-tomcat-secretrequired-korean-locale.txt'), 80));
    const msg = events.map((e) => e.message).join('\n');
    expect(msg).toContain('secretRequired="true"로 구성되었으나');
  });

  it("httpd's `Syntax error on line N of F:` and the directive's message below it stay two records", () => {
    // (gh-turnkey-jkworkersfile-only-allowed-once as published; and httpd 2.4's AH00526 line above
    // mod_jk.c jk_mount_context's string, the two about as wide as a wrap's lines)
    const published = read(text('pastes/gh-turnkey-jkworkersfile-only-allowed-once.txt'));
    expect(published.some((e) => e.message.includes('jktomcat: JkWorkersFile'))).toBe(false);
    const configtest = read("AH00526: Syntax error on line 7 of /etc/httpd/conf.d/jk.conf:\nJkMount can not have a path when defined in a location\nAction 'configtest' failed.\n");
    expect(configtest.some((e) => /jk\.conf: JkMount/.test(e.message))).toBe(false);
  });

  it('a line that starts with a date and time is a record of its own, not the rest of a cut trace line (r2g-boncode…)', () => {
    const events = read(terminalWrap(text('pastes/r2g-boncode-pool-aborted-keepalivetimeout.txt'), 80));
    expect(events.some((e) => e.message.includes('ComunicateWithTomcat() 2017-03-12'))).toBe(false);
  });

  it("a cut in a paste's first lines, before a second line near the width, is joined: the start is read ahead (r2g-boncode…)", () => {
    // The terminal cut 'An established connection was| aborted by the software' in the paste's 4th
    // line; the next line as wide comes two lines later. Its rest starts with the blank the cut took,
    // which alone reads as an indented trace line.
    const wrapped = terminalWrap(text('pastes/r2g-boncode-pool-aborted-keepalivetimeout.txt'), 80);
    expect(wrapped).toContain('connection was\n aborted by the software');
    const events = read(wrapped);
    expect(events.some((e) => e.message.includes('An established connection was aborted by the software in your host machine.'))).toBe(true);
  });

  it("a cut's rest that looks like a line number is text when the cut line had none (tc-gh-docker-spacewalk-2: `ajp-bio` | `-0:0:0:0:0:0:0:1-8009`)", () => {
    const wrapped = terminalWrap(text('pastes/tc-gh-docker-spacewalk-2-ajp-ipv6-protocol-family.txt'), 80);
    expect(wrapped).toContain('["ajp-bio\n-0:0:0:0:0:0:0:1-8009"]');
    const events = read(wrapped);
    expect(events.some((e) => e.message.includes('ProtocolHandler ["ajp-bio-0:0:0:0:0:0:0:1-8009"]'))).toBe(true);
  });

  it('lines of one layout near one width are records, not a wrap: none is joined to the one before', () => {
    // a known message (jk_connect.c's refused connect) in lines of an unknown layout, all about as wide
    const lines = Array.from({ length: 30 }, (_, i) => `2026-11-21 08:00:${String(i % 60).padStart(2, '0')},${String(i).padStart(3, '0')} proxy ERROR connect to 10.0.0.5:8009 failed (errno=111)`);
    const events = read(lines.join('\n') + '\n');
    expect(events.map((e) => e.dialect)).toEqual(lines.map(() => 'fragment'));
    expect(events.map((e) => e.line)).toEqual(lines.map((_, i) => i + 1));
  });
});
