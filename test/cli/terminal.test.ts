/**
 * Terminal safety and redaction on a crafted capture (issue 15): a URI, a header value and a
 * status message carrying escape sequences (OSC "set the title", CSI "clear the screen", C1 CSI,
 * a bidi override) are printed escaped in every text output, kept exact in JSON; a Set-Cookie whose
 * header code byte is damaged (`unknown-0xA010`) and the AJP secret are scrubbed by value.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/cli.js';
import { pcap, tcpPacket } from '../helpers/capture-builder.js';
import { attr, END_REUSE, forwardRequest, sendHeaders } from '../ajp/helpers.js';
import { captureVariants, runVariant } from '../fuzz/harness.js';
import { guardText, setOutputGuard } from '../../src/cli/output.js';

const tmp = useTempDirs('ajp-term-');
const OSC = '\x1b]0;pwned\x07';
const URI = `/app/x${OSC}`;
const SESSION = 'C0FFEE0123456789ABCDEF0123456789';
const SECRET = 'tomcat-Secret-42';

function crafted(): string {
  const c = '10.0.0.1:40000';
  const s = '10.0.0.2:8009';
  const req = forwardRequest({ uri: URI, headers: [[0xa002, `text/html\x1b[2J`]], attributes: [attr(0x0c, SECRET)] });
  // The reply: Set-Cookie with its code byte damaged (0xA007 → 0xA010), a status message with C1 CSI and a bidi override.
  const rsp = Buffer.concat([sendHeaders(200, 'OK\u009b2J\u202eevil', [[0xa010, `JSESSIONID=${SESSION}; Path=/app`], [0xa007, `JSESSIONID=${SESSION}; Path=/app`]]), END_REUSE]);
  const pkts = [
    tcpPacket({ src: c, dst: s, seq: 100, flags: 'S', ts: 1 }),
    tcpPacket({ src: s, dst: c, seq: 500, ack: 101, flags: 'SA', ts: 1.001 }),
    tcpPacket({ src: c, dst: s, seq: 101, ack: 501, flags: 'A', ts: 1.002 }),
    tcpPacket({ src: c, dst: s, seq: 101, ack: 501, flags: 'PA', payload: req, ts: 1.003 }),
    tcpPacket({ src: s, dst: c, seq: 501, ack: 101 + req.length, flags: 'PA', payload: rsp, ts: 1.01 }),
  ];
  const f = join(tmp(), 'crafted.pcap');
  writeFileSync(f, pcap(pkts));
  return f;
}

describe('terminal safety: control characters from the inputs are escaped in text, exact in JSON', () => {
  it('guardText: OSC, CSI, BEL, C1, bidi escaped; our colours kept only when colour is on', () => {
    setOutputGuard({ showSecrets: false, color: false });
    expect(guardText(`a${OSC}b\x1b[31mred\x1b[0m\u009b\u202e\r\t\n`)).toBe('a\\x1b]0;pwned\\x07b\\x1b[31mred\\x1b[0m\\u009b\\u202e\\x0d\t\n');
    setOutputGuard({ showSecrets: false, color: true });
    expect(guardText(`\x1b[31mred\x1b[0m${OSC}`)).toBe('\x1b[31mred\x1b[0m\\x1b]0;pwned\\x07');
    setOutputGuard({ showSecrets: false, color: false });
  });

  it('guardText keeps JSON exact: the parsed value is the input string', () => {
    setOutputGuard({ showSecrets: false, color: false });
    const v = { uri: URI, msg: 'OK\u009b2J\u202eevil\x7f' };
    expect(JSON.parse(guardText(JSON.stringify(v, null, 2)))).toEqual(v);
  });

  it('a crafted capture: no raw control character in any text output, the URI exact in JSON, the cookie and the secret scrubbed', async () => {
    const f = crafted();
    const variants = captureVariants(f, { 'ajp-port': [8009] });
    const outs = [];
    for (const v of variants) outs.push(await runVariant(v, '', [SESSION, SECRET]));
    for (const o of outs) {
      expect(o.escape, o.variant).toBeUndefined();
      expect(o.refused, o.variant).toBeUndefined();
      expect(o.leak, o.variant).toBeUndefined();
      expect(o.stdout + o.stderr, o.variant).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
    }
    const framesV = outs[2]!.stdout;
    expect(framesV).toContain('/app/x\\x1b]0;pwned\\x07');
    expect(framesV).toContain('unknown-0xA010');
    const ndjson = outs[3]!.stdout.split('\n').filter((l) => l.includes('FORWARD_REQUEST')).map((l) => JSON.parse(l) as { uri: string });
    expect(ndjson[0]!.uri).toBe(URI);
  });

  it('--show-secrets shows the cookie and the secret again (the check above can fail)', async () => {
    const f = crafted();
    const o = await runVariant({ command: 'frames', args: { capture: f, 'ajp-port': [8009], verbose: true, 'show-secrets': true }, output: 'text' }, '', [SESSION, SECRET]);
    expect(o.leak).toBeDefined();
  });
});
