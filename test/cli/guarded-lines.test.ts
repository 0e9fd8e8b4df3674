/**
 * GuardedLines (cli/output.ts): the texts `frames` prints, each through the one output guard and
 * written as bytes in buffer-sized writes, never a text split between two writes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GuardedLines, guardText, setOutputGuard, type Output } from '../../src/cli/output.js';
import { inputSecrets } from '../../src/util/secrets.js';

class Recorder implements Output {
  readonly toStdout = true;
  writes: Buffer[] = [];
  write(): void {
    throw new Error('GuardedLines writes bytes only');
  }
  writeGuarded(bytes: Uint8Array): void {
    this.writes.push(Buffer.from(bytes));
  }
  commit(): void {}
  discard(): void {}
}

afterEach(() => {
  inputSecrets.clear();
  setOutputGuard({ showSecrets: false, color: false });
});

describe('GuardedLines', () => {
  it('each text guarded: a secret value redacted, control characters escaped, bytes as UTF-8', () => {
    setOutputGuard({ showSecrets: false, color: false });
    inputSecrets.add('s3cr3t-Value-42');
    const out = new Recorder();
    const lines = new GuardedLines(out);
    const texts = ['FORWARD_REQUEST cookie=s3cr3t-Value-42\n', 'title \x1b]0;owned\x07 here\n', 'Grüße \u202e ✓ 𝄞\n'];
    for (const t of texts) lines.push(t);
    expect(out.writes).toHaveLength(0);
    lines.flush();
    const text = Buffer.concat(out.writes).toString('utf8');
    expect(text).toBe(texts.map((t) => guardText(t)).join(''));
    expect(text).toContain('cookie=[redacted]');
    expect(text).not.toContain('s3cr3t-Value-42');
    expect(text).not.toContain('\x1b');
    expect(text).toContain('\\x1b]0;owned\\x07');
    expect(text).toContain('\\u202e');
    expect(text).toContain('𝄞');
  });

  it('writes when the buffer is full, in order, never splitting a text; a text larger than the buffer goes whole', () => {
    setOutputGuard({ showSecrets: true, color: false });
    const out = new Recorder();
    const lines = new GuardedLines(out, 64);
    const texts: string[] = [];
    for (let i = 0; i < 200; i++) texts.push(`${'é'.repeat(i % 7)}line ${i}${i % 50 === 0 ? 'x'.repeat(100) : ''}\n`);
    for (const t of texts) lines.push(t);
    lines.flush();
    lines.flush();
    expect(out.writes.length).toBeGreaterThan(20);
    // Every write holds whole texts: each ends with a newline and decodes without a broken character.
    for (const w of out.writes) {
      expect(w.length).toBeGreaterThan(0);
      expect(w[w.length - 1]).toBe(0x0a);
      expect(Buffer.from(w.toString('utf8'), 'utf8').equals(w)).toBe(true);
    }
    // The long texts (over 64 bytes) were written by themselves.
    expect(out.writes.filter((w) => w.length > 64).map((w) => w.toString('utf8'))).toEqual(texts.filter((t) => Buffer.byteLength(t) > 64));
    expect(Buffer.concat(out.writes).toString('utf8')).toBe(texts.join(''));
  });

  it('nothing written for nothing pushed', () => {
    const out = new Recorder();
    new GuardedLines(out).flush();
    expect(out.writes).toHaveLength(0);
  });
});
