/**
 * Terminal escape sequences as a paste carries them (a coloured `less -R`, a docker log, a hostile
 * line): CSI sequences (colours, cursor moves, `ESC[2J`), OSC sequences ended by BEL or ST
 * (`ESC]0;title BEL`), and the two-byte escapes. The log reader removes them from a line before any
 * dialect reads it (logs/line.ts cleanLine); the secret collector reads a line without them too
 * (util/secrets.ts), so a value the reader shows without its escape is the value collected.
 */
export const ANSI_ALL = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
