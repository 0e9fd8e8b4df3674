/**
 * A cheap first look for a set of literal strings in a text, regardless of ASCII case: whether any
 * of them may occur. The rules' needle regex (trie-regex.ts, flags `gi`) costs ~8 ns per character
 * because the regex engine tries its top-level alternatives one after the other at every position;
 * most log lines hold no needle at all (a debug log of a million lines: ~1 in 10). This answers those
 * lines at ~1 ns per character with an Aho-Corasick automaton (Aho & Corasick 1975) laid out as a
 * table, one lookup per character, and the caller runs its regex only on the lines it lets through.
 *
 * It never says no where a literal occurs. It may say yes where none does: a literal is looked for
 * by its first 16 characters (PREFIX), and a text with a character beyond ASCII is always let
 * through (the regex decides),
 * so that the case rules of a non-unicode `i` regex beyond ASCII need not be copied here. For the
 * same reason a literal with a non-ASCII character is left out: under those rules no character of it
 * matches an ASCII one (ECMA-262 Canonicalize: a character ≥ 128 whose upper case is ASCII is left
 * as it is), so it can occur only in a text that is let through anyway.
 */
/**
 * A literal is looked for by its first characters only: the automaton stays small (built in a
 * millisecond or two, not ten), and a line with a long literal's first 16 characters but not the rest
 * is rare enough (the regex then says no).
 */
const PREFIX = 16;

export class LiteralScan {
  /**
   * The automaton as a table, one row of `width` per state, filled a row at a time when a scan first
   * reaches its state (a text visits few of them: building every row of ~2000 states took longer
   * than a small log's whole read): `delta[s + column]` is the next state times `width` (a state is
   * the start of its row), -1 where a literal ends (the scan stops there), -2 in a row not filled.
   */
  private readonly delta: Int32Array;
  /** Column of each ASCII code (0: a character of no literal). */
  private readonly column = new Uint8Array(128);
  private readonly width: number;
  /** Trie edges of each state: column, child, column, child… */
  private readonly kids: number[][] = [[]];
  /** Failure state of each state: the longest proper suffix of its text that is a trie state. */
  private readonly fail: Int32Array;
  /** A literal ends at the state, or at a state its text ends with. */
  private readonly accept: Uint8Array;
  /** No literal at all: nothing can occur. */
  private readonly empty: boolean;

  /**
   * The scan of `literals`, shared with the last caller that asked for the same set (the rules'
   * intake and knownMessage look for the same needles: one automaton, built once, its rows filled
   * once).
   */
  static of(literals: readonly string[]): LiteralScan {
    const key = JSON.stringify([...literals].sort());
    if (lastKey !== key || lastScan === undefined) {
      lastScan = new LiteralScan(literals);
      lastKey = key;
    }
    return lastScan;
  }

  constructor(literals: readonly string[]) {
    this.empty = !literals.some((l) => l !== '');
    const ascii = [...new Set(literals.filter((l) => l !== '' && !/[^\x00-\x7f]/.test(l)).map((l) => l.slice(0, PREFIX).toLowerCase()))];
    // Columns: one per distinct (lower-cased) character of the literals, 0 for every other one.
    let width = 1;
    for (const l of ascii)
      for (let i = 0; i < l.length; i++) {
        const c = l.charCodeAt(i);
        if (this.column[c] === 0) {
          this.column[c] = width++;
          // upper and lower case share a column
          if (c >= 97 && c <= 122) this.column[c - 32] = this.column[c];
        }
      }
    this.width = width;
    const kids = this.kids;
    const ends: number[] = [0];
    for (const l of ascii) {
      let s = 0;
      for (let i = 0; i < l.length; i++) {
        const col = this.column[l.charCodeAt(i)];
        let t = childOf(kids[s], col);
        if (t === 0) {
          t = kids.length;
          kids.push([]);
          ends.push(0);
          kids[s].push(col, t);
        }
        s = t;
      }
      ends[s] = 1;
    }
    const n = kids.length;
    // States numbered breadth first, so that the rows a scan uses most (the root and the shallow
    // states: a text mostly shares a literal's first character or two) lie together in memory.
    const order = [0];
    for (let qi = 0; qi < order.length; qi++) {
      const k = kids[order[qi]];
      for (let j = 1; j < k.length; j += 2) order.push(k[j]);
    }
    const id = new Int32Array(n);
    for (let i = 0; i < n; i++) id[order[i]] = i;
    const byId: number[][] = order.map((old) => kids[old].map((v, j) => (j % 2 === 1 ? id[v] : v)));
    const endsById = order.map((old) => ends[old]);
    kids.length = 0;
    kids.push(...byId);
    ends.length = 0;
    ends.push(...endsById);
    // Failure states breadth first (Aho-Corasick): a child's is where its parent's failure state goes on the same column.
    this.fail = new Int32Array(n);
    this.accept = new Uint8Array(n);
    const queue = [0];
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi];
      const k = kids[s];
      for (let j = 0; j < k.length; j += 2) {
        const col = k[j];
        const t = k[j + 1];
        let f = 0;
        if (s !== 0) {
          for (f = this.fail[s]; ; f = this.fail[f]) {
            const g = childOf(kids[f], col);
            if (g !== 0) {
              f = g;
              break;
            }
            if (f === 0) break;
          }
        }
        this.fail[t] = f;
        this.accept[t] = ends[t] === 1 || this.accept[f] === 1 ? 1 : 0;
        queue.push(t);
      }
    }
    this.delta = new Int32Array(n * width).fill(-2);
    this.row(0);
  }

  /** Fills the row of state `s`: its failure state's row, with its own edges over it. */
  private row(s: number): void {
    const { delta, width } = this;
    const at = s * width;
    if (delta[at] !== -2) return;
    if (s === 0) delta.fill(0, 0, width);
    else {
      const f = this.fail[s];
      this.row(f);
      delta.copyWithin(at, f * width, f * width + width);
    }
    const k = this.kids[s];
    for (let j = 0; j < k.length; j += 2) {
      const t = k[j + 1];
      delta[at + k[j]] = this.accept[t] === 1 ? -1 : t * width;
    }
  }

  /**
   * False only when no literal occurs in `text[from..to)` (ASCII case ignored); true when one does,
   * or when that part of `text` has a character beyond ASCII.
   * (One scan from the start: the texts asked here are mostly messages in which a needle stands
   * early, and the two-way read of mayOccurBytes made them dearer: +1.5 % on a 5M-line mod_jk log.)
   */
  mayOccur(text: string, from = 0, to = text.length): boolean {
    if (this.empty) return false;
    const { delta, column } = this;
    let s = 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128) return true;
      let t = delta[s + column[c]];
      if (t < 0 && (t === -1 || (t = this.next(s, c)) === -1)) return true;
      s = t;
    }
    return false;
  }

  /**
   * {@link mayOccur} over bytes: `bytes[from..to)` read as Latin-1 (a byte is the character of its
   * code; a byte of 128 or more answers true as a character beyond ASCII does). A log chunk of ASCII
   * bytes is the string it decodes to (logs/read.ts), and a typed array is cheaper to read than a
   * string's characters (no check of the string's representation per character).
   *
   * Asked of lines of noise (logs/reader.ts: most hold no needle and are read to their end), a range
   * of TWO_WAY bytes or more is read as two halves side by side, each from the automaton's start,
   * overlapping by PREFIX − 1 bytes (so that every literal's prefix lies whole in one of them): a
   * scan waits on each table lookup before the next (the state is the next lookup's row), and two
   * independent scans in one loop let the processor overlap their lookups (~1.2 instead of ~1.65 ns
   * a byte on the noise log's lines).
   */
  mayOccurBytes(bytes: Uint8Array, from: number, to: number): boolean {
    if (this.empty) return false;
    const { delta, column } = this;
    if (to - from >= TWO_WAY) {
      const half = (to - from + PREFIX) >> 1;
      const b = to - half;
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < half; i++) {
        const c1 = bytes[from + i];
        const c2 = bytes[b + i];
        if ((c1 | c2) >= 128) return true;
        let t1 = delta[s1 + column[c1]];
        let t2 = delta[s2 + column[c2]];
        if ((t1 | t2) < 0) {
          if (t1 === -1 || t2 === -1 || (t1 = this.next(s1, c1)) === -1 || (t2 = this.next(s2, c2)) === -1) return true;
        }
        s1 = t1;
        s2 = t2;
      }
      return false;
    }
    let s = 0;
    for (let i = from; i < to; i++) {
      const c = bytes[i];
      if (c >= 128) return true;
      let t = delta[s + column[c]];
      if (t < 0 && (t === -1 || (t = this.next(s, c)) === -1)) return true;
      s = t;
    }
    return false;
  }

  /** The next state from state `s` on the ASCII code `c`, its row filled first if it was not (-1: a literal ends there). */
  private next(s: number, c: number): number {
    const t = this.delta[s + this.column[c]];
    if (t !== -2) return t;
    this.row(s / this.width);
    return this.delta[s + this.column[c]];
  }
}

/**
 * Ranges this long or longer are read as two halves side by side (mayOccurBytes): shorter ones have
 * too few bytes past the halves' overlap to gain from it.
 */
const TWO_WAY = 48;

let lastKey: string | undefined;
let lastScan: LiteralScan | undefined;

/** The child of a state on a column (its edges as column, child pairs), 0 when none. */
function childOf(k: readonly number[], col: number): number {
  for (let j = 0; j < k.length; j += 2) if (k[j] === col) return k[j + 1];
  return 0;
}
