/**
 * Ambient types for `cli-table3/src/utils.js` (0.6.5, CommonJS, no types): only what util/table.ts
 * replaces. Its module object is the one src/cell.js calls `utils.truncate` on.
 */
declare module 'cli-table3/src/utils.js' {
  const utils: {
    truncate(str: string, desiredLength: number, truncateChar?: string): string;
    __boundedTruncate?: true;
  };
  export default utils;
}
