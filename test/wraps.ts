/**
 * Text wrapped as a mail client or a terminal wraps it, for the tests of pasted text
 * (test/rules/pastes-wrapped.test.ts, test/logs/wrapped.test.ts): done here, in a few lines, never by
 * the code under test.
 */

/** Each line cut at the last blank within `width` columns (a word longer than the width cut at it), the blank dropped. */
export function mailWrap(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const out: string[] = [];
      let rest = line;
      while (rest.length > width) {
        let k = rest.lastIndexOf(' ', width);
        if (k <= 0) k = width;
        out.push(rest.slice(0, k));
        rest = rest.slice(k).replace(/^ /, '');
      }
      return [...out, rest];
    })
    .join('\n');
}

/** Each line cut every `width` characters, wherever that falls. */
export function terminalWrap(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const out: string[] = [];
      for (let k = 0; k < line.length; k += width) out.push(line.slice(k, k + width));
      return out.length === 0 ? [''] : out;
    })
    .join('\n');
}
