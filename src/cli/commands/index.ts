import type { CliCommand } from '../command.js';
import { inspectCommand } from './inspect.js';
import { framesCommand } from './frames.js';
import { timelineCommand } from './timeline.js';
import { mcmpCommand } from './mcmp.js';
import { diagnoseCommand } from './diagnose.js';
import { rulesCommand } from './rules.js';
import { configCommand } from './config.js';
import { statsCommand } from './stats.js';

/** Every sub-command, in the order --help lists them. */
export const commands: readonly CliCommand[] = [inspectCommand, framesCommand, timelineCommand, mcmpCommand, diagnoseCommand, configCommand, statsCommand, rulesCommand];
