#!/usr/bin/env node
/**
 * Bundles the CLI into one file, dist/cli.js (issue 14: start-up ≤ 0.15 s). `tsc` has already
 * written dist/ (the library, its types and the unbundled modules the tests import); this replaces
 * only the executable entry with a single ESM file, so Node resolves and compiles one module instead
 * of ~200.
 *
 * One substitution, for start-up only: yargs and cliui import string-width, whose module body
 * builds an Intl.Segmenter and \p{RGI_Emoji} regular expressions (~25 ms at every start, even for a
 * command that prints no help). They get a module with the same default export that answers
 * printable ASCII itself (the width of such a string is its length, as in string-width) and loads the
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
      // Only the ESM importers that load it eagerly; cli-table3's CommonJS string-width@4 is cheap.
      if (args.pluginData === 'real' || !/[\\/]node_modules[\\/](yargs|cliui|wrap-ansi)[\\/]/.test(args.importer)) return undefined;
      const real = await b.resolve('string-width', { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: relative(root, real.path), namespace: 'lazy-string-width' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
      resolveDir: root,
      contents: `
let real;
const printableAscii = /^[\\x20-\\x7e]*$/;
export default function stringWidth(string, options) {
  if (typeof string === 'string' && printableAscii.test(string)) return string.length;
  real ??= require(${JSON.stringify(join(root, args.path))});
  return (real.default ?? real)(string, options);
}
`,
    }));
  },
};

await build({
  entryPoints: [join(root, 'src', 'cli.ts')],
  outfile: join(root, 'dist', 'cli.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Bundled CommonJS dependencies (cli-table3, sax, pcap-parser) call require().
  banner: { js: "import { createRequire as __ajpCreateRequire } from 'node:module'; const require = __ajpCreateRequire(import.meta.url);" },
  plugins: [lazyStringWidth],
  logLevel: 'warning',
  legalComments: 'none',
});

// tsc's map of the unbundled entry no longer describes dist/cli.js.
rmSync(join(root, 'dist', 'cli.js.map'), { force: true });
