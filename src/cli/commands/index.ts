import type { CliCommand } from '../command.js';
import { inspectCommand } from './inspect.js';
import { mcmpCommand } from './mcmp.js';

/** Every sub-command, in the order --help lists them. */
export const commands: readonly CliCommand[] = [inspectCommand, mcmpCommand];
