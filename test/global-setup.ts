/**
 * Vitest global setup: make sure dist/ (what `node dist/cli.js` runs in the CLI tests) is built from
 * the current sources. Builds once, only when dist/cli.js is missing or older than a file in src/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const t = e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

export default function setup(): () => void {
  // The CLI's code cache (src/cli/launch.ts) goes to a folder of this run, not the user's ~/.cache:
  // the CLI tests' processes inherit it (tests of the cache itself give their own).
  const cache = mkdtempSync(join(tmpdir(), 'ajp-inspect-test-cache-'));
  process.env.XDG_CACHE_HOME = cache;
  const teardown = (): void => rmSync(cache, { recursive: true, force: true });
  build();
  return teardown;
}

function build(): void {
  const cli = join(root, 'dist', 'cli.js');
  const stale = !existsSync(cli) || statSync(cli).mtimeMs < newestMtime(join(root, 'src'));
  if (!stale) return;
  // The same command as `npm run build`, without npm's own start-up time. tsc still writes the
  // JavaScript when it reports type errors: those are reported (and fail `npm ci`'s prepare and the
  // typecheck), but they do not stop every test here.
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    process.stderr.write('global-setup: tsc reported errors; the CLI tests run on what it emitted\n');
  }
  // Then the one-file CLI (scripts/bundle.mjs), as `npm run build` does.
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle.mjs')], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts', 'chmod-bin.mjs')], { cwd: root, stdio: 'inherit' });
}
