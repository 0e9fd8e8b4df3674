/**
 * scanHead reuses the head of the line before when a line starts with the same `[stamp] [pid:tid]
 * [level] ` (logs/dialects/head.ts sameHead), and the intake scans a jk message where it lies
 * (messageTest). Neither may change what a line reads as: each line parsed after any other line
 * must read as it does alone.
 */
import { describe, expect, it } from 'vitest';
import { lineContext, messageTest, parseLine, parseLogText } from '../../src/logs/index.js';

// mod_jk 1.2.48 lines as in samples/backend-down/mod_jk.log, and variants that differ from each
// other just after the head (blanks), in the level, the thread id, or the stamp's last digit.
const head = '[Sat Nov 21 08:00:00.037 2026] [20001:140536740562624] [debug]';
const lines = [
  `${head} ajp_connection_tcp_get_message::jk_ajp_common.c (1458): received from ajp13 pos=0 len=51 max=8192`,
  `${head}  ajp_connection_tcp_get_message::jk_ajp_common.c (1458): received from ajp13 pos=0 len=51 max=8192`,
  `${head}   jk_ajp_common.c (1458): (node1) status = 200`,
  `${head} `,
  `${head}`,
  `${head.replace('debug', 'error')} ajp_send_request::jk_ajp_common.c (1724): (node1) connecting to backend failed. Tomcat is probably not started or is listening on the wrong port (errno=111)`,
  `${head.replace('debug]', 'debug] ')} ajp_get_reply::jk_ajp_common.c (2153): (node1) Tomcat is down or refused connection. No response has been sent to the client (yet)`,
  `${head.replace('62624', '62625')} jk_handler::mod_jk.c (2802): Into handler jakarta-servlet worker=node1 r->proxyreq=0`,
  `${head.replace('.037', '.038')} jk_handler::mod_jk.c (2802): Into handler jakarta-servlet worker=node1 r->proxyreq=0`,
  `${head.replace('Sat Nov 21', 'Sun Nov 22')} jk_handler::mod_jk.c (2802): Into handler jakarta-servlet worker=node1 r->proxyreq=0`,
  `${head.replace('[debug]', '[proxy:debug]')} mod_proxy.c(1234): AH00942: AJP: has acquired connection for (10.0.0.9)`,
  '[Sat Nov 21 08:00:00 2026] [error] [client 10.1.2.3] proxy: AJP: failed to make connection to backend: 10.0.0.9',
  `${head} jk_handler::mod_jk.c (2802): Into handler jakarta-servlet worker=node1 r->proxyreq=0`,
];

const alone = (line: string) => JSON.stringify(parseLine(line, lineContext({ tz: 'UTC', now: 0 })));

describe('a head read again', () => {
  it('reads every line after every other line as it reads alone', () => {
    const ctx = lineContext({ tz: 'UTC', now: 0 });
    for (const a of lines)
      for (const b of lines) {
        parseLine(a, ctx);
        expect(JSON.stringify(parseLine(b, ctx)), `${a}\n${b}`).toBe(alone(b));
      }
  });

  it('under another clock reads the stamp again', () => {
    const utc = lineContext({ tz: 'UTC' });
    const paris = lineContext({ tz: 'Europe/Paris' });
    const a = parseLine(lines[0], utc)!;
    const b = parseLine(lines[0], paris)!;
    expect(a.ts! - b.ts!).toBe(3600_000);
  });

  it('messageTest sees the message, whether the event lies in its input chunk or not', () => {
    const { events } = parseLogText(lines.join('\n'), { path: 'jk.log', tz: 'UTC' });
    expect(events.length).toBeGreaterThan(5);
    for (const ev of events) {
      let seen = '';
      messageTest(ev, (text, from, to) => {
        seen = text.slice(from, to);
        return true;
      });
      expect(seen.trimEnd(), ev.text).toBe(ev.message ?? ev.text);
    }
  });
});
