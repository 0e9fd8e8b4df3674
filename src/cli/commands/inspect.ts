import type { CliCommand } from '../command.js';
import { UserError } from '../exit-codes.js';

/** `ajp-inspect capture.pcap`: the default command. Filled in by the capture/TCP stage. */
export const inspectCommand: CliCommand = {
  command: ['$0 <capture>', 'inspect <capture>'],
  describe: 'summarise a capture: packets, TCP streams, AJP and MCMP',
  builder: (y) =>
    y.positional('capture', { type: 'string', describe: 'pcap / pcapng file (gzip allowed), or - for stdin' }),
  async run() {
    throw new UserError('capture reading is not implemented yet');
  },
};
