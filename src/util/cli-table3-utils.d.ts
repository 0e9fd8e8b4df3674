/**
 * Ambient types for `cli-table3/src/utils.js` (0.6.5, CommonJS, no types): only what util/table.ts
 * uses. Its module object is the one src/cell.js calls `utils.truncate` on.
 */
declare module 'cli-table3/src/utils.js' {
  const utils: {
    truncate(str: string, desiredLength: number, truncateChar?: string): string;
    /** The widest line's width, SGR escape codes left out (string-width). */
    strlen(str: string): number;
    /** Lines whose SGR state is closed at each end and reopened at the next (src/cell.js wrapLines). */
    colorizeLines(lines: string[]): string[];
    __boundedTruncate?: true;
  };
  export default utils;
}
