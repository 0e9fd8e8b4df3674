#!/usr/bin/env node
/**
 * Bundles the CLI into one file, dist/cli.js (issue 14: start-up ≤ 0.15 s). `tsc` has already
 * written dist/ (the library, its types and the unbundled modules the tests import); this replaces
 * only the executable entry with a single ESM file, so Node resolves and compiles one module instead
 * of ~200. The entry itself stays tiny so that `--version` reads nothing more.
 *
 * One substitution: yargs, cliui and wrap-ansi import string-width, whose module body builds an
 * Intl.Segmenter and \p{RGI_Emoji} regular expressions (~25 ms at every start, even for a command
 * that prints no help), and cli-table3's string-width@4 rebuilds ansi-regex's expression for every
 * cell it measures. They get a module with the same default export that answers printable ASCII
 * itself (the width of such a string is its length, as in every string-width version) and loads the
 * real module, unchanged, the first time anything else is measured.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** @type {import('esbuild').Plugin} */
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real' || !/[\\/]node_modules[\\/](yargs|cliui|wrap-ansi|cli-table3)[\\/]/.test(args.importer)) return undefined;
      const real = await b.resolve('string-width', { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: relative(root, real.path), namespace: 'lazy-string-width', pluginData: args.kind };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => {
      const body = `
let real;
const printableAscii = /^[\\x20-\\x7e]*$/;
function stringWidth(string, options) {
  if (typeof string === 'string' && printableAscii.test(string)) return string.length;
  real ??= require(${JSON.stringify(join(root, args.path))});
  return (real.default ?? real)(string, options);
}
`;
      // cli-table3 require()s string-width@4 (CommonJS, the function itself); yargs and cliui import v7/v8.
      const contents = args.pluginData === 'require-call' ? `${body}module.exports = stringWidth;\nmodule.exports.default = stringWidth;\n` : `${body}export default stringWidth;\n`;
      return { resolveDir: root, contents };
    });
  },
};

rmSync(join(root, 'dist', 'cli-chunks'), { recursive: true, force: true });

// The command line (src/cli/main.ts and everything it imports) as one CommonJS file: src/cli/launch.ts
// runs it through a vm.Script with V8's code cache, which Node 20 offers for CommonJS-shaped source
// only (an ES module's cache cannot be given back to it).
await build({
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  outfile: join(root, 'dist', 'cli-chunks', 'main.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // yargs finds its locale files from import.meta.url, which CommonJS has not: launch.ts passes the
  // file's URL under this name. The file stays in dist/cli-chunks/, where the ES module chunk was, so
  // every path made from it is the one it was.
  define: { 'import.meta.url': '__ajpImportMetaUrl' },
  minifyWhitespace: true,
  plugins: [lazyStringWidth],
  logLevel: 'warning',
  legalComments: 'none',
});

/**
 * The executable entry: src/cli.ts (`--version` answered by itself) and, in a chunk it imports only
 * when it needs to, src/cli/launch.ts. launch.ts falls back to importing ./main.js (the unbundled
 * modules tsc wrote, dist/cli/main.js) when main.cjs cannot be read: that import stays an import.
 */
/** @type {import('esbuild').Plugin} */
const unbundledFallback = {
  name: 'unbundled-fallback',
  setup(b) {
    b.onResolve({ filter: /^\.\/main\.js$/ }, (args) =>
      /[\\/]src[\\/]cli[\\/]launch\.ts$/.test(args.importer) ? { path: '../cli/main.js', external: true } : undefined,
    );
  },
};
await build({
  entryPoints: [join(root, 'src', 'cli.ts')],
  outdir: join(root, 'dist'),
  entryNames: '[name]',
  splitting: true,
  chunkNames: 'cli-chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [unbundledFallback],
  logLevel: 'warning',
  legalComments: 'none',
});

// tsc's map of the unbundled entry no longer describes dist/cli.js.
rmSync(join(root, 'dist', 'cli.js.map'), { force: true });
