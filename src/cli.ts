#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { TOOL_VERSION } from './version.js';

// `--version` alone is answered before the command line machinery (yargs and every stage) is
// loaded: the same line yargs prints, in the time of a bare `node` start.
const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
  process.stdout.write(`${TOOL_VERSION}\n`);
} else {
  // Broken pipes (`ajp-inspect x.pcap | head`) are a normal way to stop reading, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });

  // V8 moves an allocation site's objects straight to the old generation once most of them have
  // outlived a young-generation collection (allocation-site pretenuring). Ours defeat that guess:
  // the per-connection records made while a capture is read live long, and the same sites then
  // make the summaries and evidence of every connection still open when it ends, nearly all garbage
  // at once; pretenured, they piled up in the old generation until a full collection (200,000 open
  // connections: 728 MB peak RSS with it, 567 MB without, and less CPU; the pooled 2 GB capture
  // pays ~25 MB more (about 445 → 470 MB), logs are unchanged; measured with /usr/bin/time -v on
  // scripts/bench.mjs's inputs, issue 14). Set before anything is allocated.
  setFlagsFromString('--no-allocation-site-pretenuring');
  // V8 drops the bytecode of functions that have not run for a few full collections (bytecode
  // flushing): after a long capture, the command line's start-up functions would be gone from the
  // code cache made at its end (cli/launch.ts). The CLI's bytecode is a few MB at most.
  setFlagsFromString('--no-flush-bytecode');
  // The command line, compiled through a V8 code cache when it is the bundled one (cli/launch.ts).
  const { loadMain } = await import('./cli/launch.js');
  const { main, saveCodeCache } = await loadMain(new URL('./cli-chunks/main.cjs', import.meta.url));
  main().then(
    (code) => {
      process.exitCode = code;
      saveCodeCache();
    },
    (err: unknown) => {
      process.stderr.write(`ajp-inspect: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
