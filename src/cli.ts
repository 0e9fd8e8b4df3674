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
  // After each full collection V8 lets the old generation grow to up to 4× what survived it before
  // the next one (heap.cc MemoryController::MaxGrowingFactor, on a machine with memory to spare).
  // Reading a capture promotes garbage all along (request cycles that span scavenges, connections
  // that end), so the peak was that factor times the live state. 1.5× instead: the pooled 2 GB
  // capture 350 → 288 MB peak RSS (+9 % CPU), 200,000 open connections 449 → 392 MB (+3 %),
  // 500,000 SYN-only flows 975 → 513 MB (+16 %), the 500 MB capture 191 → 181 MB (+4 %), a 1M-line
  // log unchanged (+4 %); three runs each, /usr/bin/time on scripts/bench.mjs's inputs (issue 14).
  setFlagsFromString('--heap-growing-percent=50');
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
