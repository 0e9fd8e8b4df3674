import type { Argv } from 'yargs';

/**
 * One sub-command of the CLI. Each lives in its own file under `commands/` and is listed in
 * `main.ts`; `run` returns the exit code.
 */
export interface CliCommand {
  command: string | readonly string[];
  describe: string;
  builder: (y: Argv) => Argv;
  run: (argv: Record<string, unknown>) => Promise<number>;
}
