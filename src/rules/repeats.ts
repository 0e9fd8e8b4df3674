/**
 * What tells a line read twice (rules/intake.ts LogIntake.isRepeat): the lines of a file seen, and
 * the file where each text was first read.
 */
import { IntList } from './rows.js';

/**
 * The line numbers of one file that matched a signal (LogIntake.isRepeat): in a list while they come in
 * ascending order, as a file's lines do (4 bytes a line, a binary search for a line at or below the
 * last one: the same file given again), in a Set once one does not (two readings interleaved).
 */
export class LinesSeen {
  private list: IntList | undefined = new IntList();
  private set: Set<number> | undefined;

  /** Adds `line`: false when it was there already. */
  add(line: number): boolean {
    const l = this.list;
    if (l === undefined) {
      const set = this.set!;
      return set.size !== set.add(line).size;
    }
    if (l.length === 0 || line > l.a[l.length - 1]) {
      l.push(line);
      return true;
    }
    let lo = 0;
    let hi = l.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = l.a[mid];
      if (v === line) return false;
      if (v < line) lo = mid + 1;
      else hi = mid - 1;
    }
    // (the list is dropped: the Set holds its lines from here on)
    this.set = new Set(l.a.subarray(0, l.length));
    this.set.add(line);
    this.list = undefined;
    return true;
  }
}

/**
 * Text hashes (52-bit, ≥ 0) → a file id: open addressing over typed arrays, 12 bytes a slot at most
 * half full (a Map boxed every key, ~45 bytes an entry, for a million matched lines).
 */
export class FirstPaths {
  private keys = new Float64Array(1 << 10).fill(-1);
  private vals = new Int32Array(1 << 10);
  private size = 0;

  /** The file id of `key`, or -1. */
  get(key: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let i = slot(key, mask); ; i = (i + 1) & mask) {
      const k = keys[i];
      if (k === key) return this.vals[i];
      if (k === -1) return -1;
    }
  }

  /** Sets `key` (not there yet) to `file`. */
  set(key: number, file: number): void {
    if (2 * (this.size + 1) > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = slot(key, mask);
    while (keys[i] !== -1) i = (i + 1) & mask;
    keys[i] = key;
    this.vals[i] = file;
    this.size++;
  }

  private grow(): void {
    const keys = this.keys;
    const vals = this.vals;
    this.keys = new Float64Array(keys.length * 2).fill(-1);
    this.vals = new Int32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== -1) this.set(keys[i], vals[i]);
  }
}

/** A slot for a 52-bit hash: its two 26-bit halves mixed (Fibonacci hashing), masked. */
function slot(key: number, mask: number): number {
  const h = (key % 0x4000000) ^ Math.floor(key / 0x4000000);
  return Math.imul(h, 0x9e3779b1) & mask;
}
