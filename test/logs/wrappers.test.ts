/**
 * The message layer under the wrappers people paste through: every real paste of the corpus
 * (test/fixtures/logs/pastes/) gives the same primary finding when each of its lines is wrapped the
 * way a container runtime, a journal, a mail client, Markdown or an editor wraps lines. The
 * wrappers are the real formats of those tools (docker compose / docker logs -t / kubectl --prefix /
 * journalctl short / mail quoting / Markdown inline code and fences / cat -n / CRLF).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLogText } from '../../src/logs/index.js';
import { diagnose, knownMessage } from '../../src/rules/index.js';
import { unwrapLine } from '../../src/logs/unwrap.js';
import { stripLineNumber } from '../../src/logs/line.js';
import { isTomcatContinuation } from '../../src/logs/dialects/tomcat.js';
import fc from 'fast-check';

const DIR = fileURLToPath(new URL('../fixtures/logs/pastes/', import.meta.url));

const WRAPPERS: Record<string, (line: string, i: number) => string> = {
  'docker compose': (l) => `tomcat_1  | ${l}`,
  'docker logs -t': (l) => `2023-03-09T16:41:25.123456789Z ${l}`,
  'kubectl logs --prefix': (l) => `[pod/web-5d9f7/tomcat] ${l}`,
  'journalctl (short)': (l) => `Mar  9 16:41:25 web1 httpd[2317]: ${l}`,
  'mail quote': (l) => `> ${l}`,
  'Markdown inline code': (l) => (l.trim() ? `\`${l}\`` : l),
  'cat -n': (l, i) => `${String(i + 1).padStart(6)}\t${l}`,
  CRLF: (l) => `${l}\r`,
};

function primary(text: string): string {
  const { events, summary } = parseLogText(text, { path: 'paste', tz: 'UTC', knownMessage });
  return diagnose({ events, summaries: [summary] }).findings.filter((f) => f.severity !== 'info')[0]?.id ?? 'none';
}

const slugs = readdirSync(DIR).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort();

describe('real pastes under the wrappers people paste through', () => {
  for (const slug of slugs) {
    it(slug, () => {
      const text = readFileSync(DIR + slug + '.txt', 'utf8');
      const want = primary(text);
      const lines = text.replace(/\n$/, '').split('\n');
      for (const [name, wrap] of Object.entries(WRAPPERS)) expect(primary(lines.map(wrap).join('\n') + '\n'), name).toBe(want);
      expect(primary('```text\n' + text + '```\n'), 'Markdown fence').toBe(want);
    });
  }
});

describe('unwrapLine', () => {
  it('peels nested wrappers and Markdown, keeps the indentation under a prefix', () => {
    expect(unwrapLine('web_1  | 2023-03-09T16:41:25.1Z [error] x')).toBe('[error] x');
    expect(unwrapLine('tomcat-1  |     at org.apache.coyote.ajp.AjpProcessor.service')).toBe('    at org.apache.coyote.ajp.AjpProcessor.service');
    expect(unwrapLine('`AH00957: AJP: attempt to connect to 127.0.0.1:8009 (localhost) failed`')).toBe('AH00957: AJP: attempt to connect to 127.0.0.1:8009 (localhost) failed');
    expect(unwrapLine('**ajp\\_service::jk\\_ajp\\_common.c (2774)** failed')).toBe('ajp_service::jk_ajp_common.c (2774) failed');
    expect(unwrapLine('ajp*get*reply::jk*ajp*common.c')).toBe('ajp_get_reply::jk_ajp_common.c');
    expect(unwrapLine('&lt;Connector port=&quot;8009&quot;&gt;')).toBe('<Connector port="8009">');
    expect(unwrapLine('Jan 15 10:00:01 web1 httpd[812]: [proxy_ajp:error] x')).toBe('[proxy_ajp:error] x');
  });
  it('mail quote marks under another wrapper (a prefix, a line number)', () => {
    expect(unwrapLine('tomcat_1  | >>> failed')).toBe('failed');
    expect(unwrapLine('tomcat_1  | > > [Sun Mar 29 04:05:33 2009] [error] x')).toBe('[Sun Mar 29 04:05:33 2009] [error] x');
  });
  it('a record a mail client wrapped, each of its lines under the same wrapper, is read whole', () => {
    // (the mail-list paste ml-tomcat-users-rjung-ajp-eno-header-120006, its lines prefixed)
    const lines = ['>>> [Sun Mar 29 04:05:33 2009] [error] ajp_read_header: ajp_ilink_receive', '>>> failed'];
    for (const [name, wrap] of Object.entries(WRAPPERS)) {
      const { events } = parseLogText(lines.map(wrap).join('\n') + '\n', { path: 'paste', tz: 'UTC', knownMessage });
      expect(events.map((e) => e.message), name).toEqual(['ajp_read_header: ajp_ilink_receive failed']);
    }
    // The wrap width is the text's, not the prefix's: a `docker logs -t` stamp makes these lines
    // wider than any wrap, and the cut record (blog-techstacks-modjk-firewall-idle-timeout) is still joined.
    const cut = [
      '[Date/Time] [4994:52144] [error]',
      "ajp_connection_tcp_get_message::jk_ajp_common.c (961): Can't receive the",
      'response message from tomcat, network problems or tomcat is down',
      '(10.X.X.X:8009), err=-110',
    ];
    const { events } = parseLogText(cut.map(WRAPPERS['docker logs -t']!).join('\n') + '\n', { path: 'paste', tz: 'UTC', knownMessage });
    expect(events.map((e) => e.message)).toEqual(["Can't receive the response message from tomcat, network problems or tomcat is down (10.X.X.X:8009), err=-110"]);
  });
  it('leaves a plain line alone (null: nothing to remove)', () => {
    expect(unwrapLine('[Thu Mar 12 10:00:00 2015] [error] x')).toBeNull();
    expect(unwrapLine('GET /app/*.jsp HTTP/1.1')).toBeNull();
  });
});

describe('stripLineNumber', () => {
  // Its regex as written (line.ts LINE_NUMBER), which the function runs only where it may match.
  const LINE_NUMBER = /^(?:(?:[\w./\\-]+:)?\d{1,9}(?::[ \t]?|\t)(?=[ \t]*\S)|\d{1,9} +(?=\S)|[-*\u2022\u00b7][ \t]+(?=\S))/;
  // …except on a clock time first, which is no `file:` and line number
  const CLOCK_FIRST = /^\d{1,2}:\d{2}:\d{2}(?:[,.]\d{1,9})?(?![\d:])/;
  const byRegex = (s: string): string | null => {
    if (CLOCK_FIRST.test(s)) return null;
    const m = LINE_NUMBER.exec(s);
    return m ? s.slice(m[0].length) : null;
  };
  it('a clock time first is not two line numbers (log4j ABSOLUTE, tc-openequella: `11:16:00,734 ERROR`)', () => {
    expect(stripLineNumber('11:16:00,734 ERROR [TomcatLog] Failed to start connector [Connector[org.apache.c')).toBeNull();
    expect(stripLineNumber('9:05:07 x')).toBeNull();
    // a line number before a time is still one
    expect(stripLineNumber('12: 10:00:00,123 INFO x')).toBe('10:00:00,123 INFO x');
    expect(stripLineNumber('app.log:7:10:00:00,123 INFO x')).toBe('10:00:00,123 INFO x');
  });
  it('strips what the regex strips, on real prefixes and on any text of their characters', () => {
    for (const l of ['123: x', '  12 x', '7\tat org.apache.Foo', 'catalina.out:42: SEVERE x', 'C:\\logs\\mod_jk.log:9:[error] x', '- item', '• item', 'Started Session 1 of user deploy.', 'Nov 21 08:00:00 web1 x', 'worker.list=w1', '{"a":1}', '']) {
      expect(stripLineNumber(l), l).toBe(byRegex(l));
    }
    const ch = fc.constantFrom(...'0123456789aZ_./\\-:*\u2022\u00b7 \t[x'.split(''));
    fc.assert(
      fc.property(fc.array(ch, { maxLength: 24 }).map((a) => a.join('')), (s) => {
        expect(stripLineNumber(s), JSON.stringify(s)).toBe(byRegex(s));
      }),
      { numRuns: 5000, seed: 14 },
    );
  });
});

describe('isTomcatContinuation', () => {
  // tomcat.ts STACK as written, which the function asks only of a line whose first character one of its alternatives starts with
  const STACK = /^(?:\s+\S|at |Caused by: |\.\.\. \d+ more|[a-z][\w$]*(?:\.[\w$]+)+(?:Exception|Error|Throwable)\b)/;
  it('says what the regex says', () => {
    for (const l of ['\tat org.apache.coyote.ajp.AjpProcessor.service(AjpProcessor.java:434)', 'Caused by: java.net.SocketException: Connection reset', '... 12 more', 'java.io.IOException: x', '\u3000 x', '2026/11/21 08:00:00 [warn] x', 'Started Session 1', '{"a":1}', '']) {
      expect(isTomcatContinuation(l), l).toBe(STACK.test(l));
    }
    const ch = fc.constantFrom(...'aCc.zZ 0\t\u00a0\u3000{[.:$xE'.split(''), 'at ', 'Caused by: ', '... 3 more', 'java.io.IOException');
    fc.assert(
      fc.property(fc.array(ch, { maxLength: 8 }).map((a) => a.join('')), (l) => {
        expect(isTomcatContinuation(l), JSON.stringify(l)).toBe(STACK.test(l));
      }),
      { numRuns: 5000, seed: 14 },
    );
  });
});

describe('glued records', () => {
  it('several records of one paste in one line are read one by one (a form that lost the line ends)', () => {
    const glued =
      '[Fri Jan 11 14:14:28 2008] [12548:38576] [info]  jk_open_socket::jk_connect.c (451): connect to 127.0.0.1:8009 failed (errno=111) ' +
      '[Fri Jan 11 14:14:28 2008] [12548:38576] [info]  ajp_connect_to_endpoint::jk_ajp_common.c (873): Failed opening socket to (127.0.0.1:8009) (errno=111) ' +
      '[Fri Jan 11 14:14:28 2008] [12548:38576] [error] ajp_send_request::jk_ajp_common.c (1261): (ajp13) error connecting to the backend server (errno=111)';
    const { events } = parseLogText(glued + '\n', { path: 'paste', tz: 'UTC', knownMessage });
    expect(events.map((e) => e.dialect)).toEqual(['modjk', 'modjk', 'modjk']);
    expect(events.map((e) => e.line)).toEqual([1, 1, 1]);
    expect(primary(glued + '\n')).toBe('backend-down-or-wrong-port');
  });
});
