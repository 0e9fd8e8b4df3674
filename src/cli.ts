#!/usr/bin/env node
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

  const { main } = await import('./cli/main.js');
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`ajp-inspect: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
