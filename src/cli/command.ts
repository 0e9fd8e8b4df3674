import type { Argv } from 'yargs';
import type { CommonOptions, OptionKey } from './options.js';
import type { Output } from './output.js';

/**
 * One sub-command of the CLI. Each lives in its own file under `commands/` and is listed in
 * `commands/index.ts`. main.ts declares the shared `options` (options.ts) on it, then calls
 * `builder` for its positionals and own options; before `run` it reads the shared options once
 * (`o`), checks the inputs' kinds and opens the output (`out`: stdout or the -o file, committed
 * when `run` returns, dropped when it throws). `run` returns the exit code.
 */
export interface CliCommand {
  command: string | readonly string[];
  describe: string;
  /** The shared options this command takes (options.ts). */
  options?: readonly OptionKey[];
  /** The -T values this command writes, as its --help lists them (all the renderers' when absent), and what its help says of them. */
  formats?: { readonly choices: readonly string[]; readonly note?: string };
  /** What the command's positional arguments are (main.ts checks their kind and keeps -o off them). */
  reads?: 'capture' | 'log';
  /** The command prints while the capture is being read (no progress line on the same terminal). */
  streamsOutput?: boolean;
  builder: (y: Argv) => Argv;
  run: (argv: Record<string, unknown>, o: CommonOptions, out: Output) => Promise<number>;
}
