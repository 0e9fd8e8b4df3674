// tsc writes 0644 files; npx needs the bin to be executable.
import { chmodSync } from 'node:fs';
chmodSync(new URL('../dist/cli.js', import.meta.url), 0o755);
