/**
 * The bundled command line's V8 code cache (src/cli/launch.ts): made in the user's cache directory
 * after a first run, used by the next, rebuilt when it does not fit; a cache directory that cannot
 * be made, or a damaged cache file, changes nothing but speed; nothing is written in the working
 * directory or beside the input.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeCacheDir, codeCacheName, loadMain, sealed, verified, writeCodeCache } from '../../src/cli/launch.js';
import { cli, root, useTempDirs } from '../helpers/cli.js';

const tempDir = useTempDirs('ajp-inspect-launch-');
// (with its port: a capture whose AJP is found by content alone is read twice, and a note said so on stderr)
const CAPTURE = [join(root, 'samples', 'baseline', 'capture.pcap'), '--ajp-port', '18009'];

/** Runs the built CLI from `cwd` with only the environment given (and PATH, NO_COLOR). */
function run(args: string[], env: Record<string, string>, cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function cacheFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('the code cache of the bundled CLI', () => {
  // The reference: the same run with no place for a cache at all (XDG_CACHE_HOME below a file).
  const blocked = (() => {
    const d = tempDir();
    writeFileSync(join(d, 'not-a-dir'), '');
    return join(d, 'not-a-dir', 'cache');
  })();
  const reference = (cwd: string) => run([...CAPTURE, '-T', 'json'], { XDG_CACHE_HOME: blocked, HOME: blocked }, cwd);

  it('is written after a first run into $XDG_CACHE_HOME/ajp-inspect, kept by the next run, same output', () => {
    const cwd = tempDir();
    const xdg = tempDir();
    const ref = reference(cwd);
    expect(ref.code).toBe(0);
    expect(ref.err).toBe('');
    expect(existsSync(blocked)).toBe(false);

    const first = run([...CAPTURE, '-T', 'json'], { XDG_CACHE_HOME: xdg }, cwd);
    expect(first).toEqual(ref);
    const dir = join(xdg, 'ajp-inspect');
    const files = cacheFiles(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^main-\d+\.\d+\.\d+-v\d+\.\d+\.\d+-[a-z0-9]+-[0-9a-f]{8}-\d+\.v8cache$/);
    const made = statSync(join(dir, files[0]!));
    expect(made.size).toBeGreaterThan(100_000);

    // Accepted by V8: not written again (a rejected cache is replaced, a new inode).
    const second = run([...CAPTURE, '-T', 'json'], { XDG_CACHE_HOME: xdg }, cwd);
    expect(second).toEqual(ref);
    expect(cacheFiles(dir)).toEqual(files);
    const after = statSync(join(dir, files[0]!));
    expect([after.ino, after.mtimeMs]).toEqual([made.ino, made.mtimeMs]);

    // Nothing in the working directory, nothing beside the input.
    expect(readdirSync(cwd)).toEqual([]);
    expect(readdirSync(join(root, 'samples', 'backend-down')).filter((n) => /cache|\.tmp$/.test(n))).toEqual([]);
  });

  it('is made again after the first run of another kind (command, format), with the kinds it has seen', () => {
    const cwd = tempDir();
    const xdg = tempDir();
    const dir = join(xdg, 'ajp-inspect');
    const kindsNow = () => {
      const [name] = cacheFiles(dir);
      return { kinds: verified(readFileSync(join(dir, name!)))?.kinds, ino: statSync(join(dir, name!)).ino };
    };
    expect(run([...CAPTURE], { XDG_CACHE_HOME: xdg }, cwd).code).toBe(0);
    const first = kindsNow();
    expect(first.kinds).toEqual(['inspect:text']);
    const json = run([...CAPTURE, '-T', 'json'], { XDG_CACHE_HOME: xdg }, cwd);
    expect(json).toEqual(reference(cwd));
    const second = kindsNow();
    expect(second.kinds).toEqual(['inspect:text', 'inspect:json']);
    expect(second.ino).not.toBe(first.ino);
    const log = join(root, 'samples', 'backend-down', 'mod_jk.log');
    const diagnose = run(['diagnose', log], { XDG_CACHE_HOME: xdg }, cwd);
    expect(diagnose).toEqual(run(['diagnose', log], { XDG_CACHE_HOME: blocked, HOME: blocked }, cwd));
    expect(kindsNow().kinds).toEqual(['inspect:text', 'inspect:json', 'diagnose:text']);
    // Seen kinds: the cache stays as it is.
    const third = kindsNow();
    run([...CAPTURE], { XDG_CACHE_HOME: xdg }, cwd);
    run(['diagnose', log], { XDG_CACHE_HOME: xdg }, cwd);
    expect(kindsNow()).toEqual(third);
    // A usage error runs no command.
    expect(run(['--no-such-option', ...CAPTURE], { XDG_CACHE_HOME: xdg }, cwd).code).toBe(2);
    expect(kindsNow().kinds).toEqual(['inspect:text', 'inspect:json', 'diagnose:text', 'none']);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('goes to ~/.cache/ajp-inspect without XDG_CACHE_HOME, and a relative XDG_CACHE_HOME is ignored', () => {
    const cwd = tempDir();
    const home = tempDir();
    const r = run(['rules'], { HOME: home, XDG_CACHE_HOME: 'relative/cache' }, cwd);
    expect(r.code).toBe(0);
    expect(cacheFiles(join(home, '.cache', 'ajp-inspect'))).toHaveLength(1);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a cache directory that cannot be made changes nothing: same output, no error, nothing written', () => {
    const cwd = tempDir();
    const parent = tempDir();
    writeFileSync(join(parent, 'file'), 'x');
    const r = run([...CAPTURE], { XDG_CACHE_HOME: join(parent, 'file', 'sub') }, cwd);
    const ref = run([...CAPTURE], { XDG_CACHE_HOME: blocked, HOME: blocked }, cwd);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toBe(ref.out);
    expect(r.out).toMatch(/TCP streams: \d+/);
    expect(readdirSync(parent)).toEqual(['file']);
    expect(readFileSync(join(parent, 'file'), 'utf8')).toBe('x');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)('a read-only cache directory changes nothing', () => {
    const cwd = tempDir();
    const xdg = tempDir();
    mkdirSync(join(xdg, 'ajp-inspect'), { mode: 0o500 });
    const r = run([...CAPTURE, '-T', 'json'], { XDG_CACHE_HOME: xdg }, cwd);
    expect(r).toEqual(reference(cwd));
    expect(readdirSync(join(xdg, 'ajp-inspect'))).toEqual([]);
  });

  it('a damaged or foreign cache file is rejected, the run is the same, and it is rebuilt', () => {
    const cwd = tempDir();
    const xdg = tempDir();
    const ref = reference(cwd);
    run([...CAPTURE, '-T', 'json'], { XDG_CACHE_HOME: xdg }, cwd);
    const dir = join(xdg, 'ajp-inspect');
    const [name] = cacheFiles(dir);
    const good = readFileSync(join(dir, name!));

    // Bytes flipped in the middle: V8 (release build) does not check its payload, and crashed on it.
    const flipped = Buffer.from(good);
    for (let i = flipped.length >> 1; i < (flipped.length >> 1) + 64; i++) flipped[i]! ^= 0x5a;
    for (const damaged of [flipped, Buffer.from('not a V8 code cache'), good.subarray(0, good.length >> 1), Buffer.alloc(0)]) {
      writeFileSync(join(dir, name!), damaged);
      const r = run([...CAPTURE, '-T', 'json'], { XDG_CACHE_HOME: xdg }, cwd);
      expect(r).toEqual(ref);
      expect(cacheFiles(dir)).toEqual([name]);
      expect(statSync(join(dir, name!)).size).toBeGreaterThan(100_000);
    }
    // A directory where the cache file should be: not readable as a file, not replaceable.
    const xdg2 = tempDir();
    mkdirSync(join(xdg2, 'ajp-inspect', name!), { recursive: true });
    const r = run([...CAPTURE, '-T', 'json'], { XDG_CACHE_HOME: xdg2 }, cwd);
    expect(r).toEqual(ref);
    expect(readdirSync(join(xdg2, 'ajp-inspect'))).toEqual([name]);
  });
});

describe('launch.ts pieces', () => {
  it('codeCacheDir: $XDG_CACHE_HOME when absolute, else ~/.cache', () => {
    expect(codeCacheDir({ XDG_CACHE_HOME: '/x/y' })).toBe('/x/y/ajp-inspect');
    expect(codeCacheDir({ XDG_CACHE_HOME: 'x/y' })).toMatch(/[\\/]\.cache[\\/]ajp-inspect$/);
    expect(codeCacheDir({})).toMatch(/[\\/]\.cache[\\/]ajp-inspect$/);
  });

  it('sealed / verified: a cache file is a CRC-32, the kinds of runs and V8 data; any change makes it unusable', () => {
    const data = Buffer.from('v8 data '.repeat(100));
    const file = sealed(['inspect:text', 'diagnose:json'], data);
    expect(verified(file)).toEqual({ kinds: ['inspect:text', 'diagnose:json'], data });
    for (const i of [0, 5, 10, 500, file.length - 1]) {
      const changed = Buffer.from(file);
      changed[i]! ^= 1;
      expect(verified(changed)).toBeUndefined();
    }
    expect(verified(file.subarray(0, file.length - 1))).toBeUndefined();
    expect(verified(file.subarray(0, 4))).toBeUndefined();
    expect(verified(sealed(['inspect:text'], Buffer.alloc(0)))).toBeUndefined();
    expect(verified(undefined)).toBeUndefined();
  });

  it('codeCacheName: another bundle of the same length gets another name', () => {
    const a = codeCacheName(Buffer.from('module.exports = 1;'));
    expect(a).toBe(codeCacheName(Buffer.from('module.exports = 1;')));
    expect(codeCacheName(Buffer.from('module.exports = 2;'))).not.toBe(a);
    expect(a).toContain(process.version);
    // Node flags (which V8 compares) get a cache of their own; none: no flag part.
    const bundle = Buffer.from('x');
    expect(codeCacheName(bundle, '\n')).toMatch(/-[0-9a-f]{8}-1\.v8cache$/);
    expect(codeCacheName(bundle, '--max-old-space-size=4096\n')).toMatch(/-[0-9a-f]{8}-1-[0-9a-f]{8}\.v8cache$/);
    expect(codeCacheName(bundle, '\n--max-old-space-size=4096')).not.toBe(codeCacheName(bundle, '\n--max-old-space-size=8192'));
  });

  it('writeCodeCache: atomic, and leaves nothing when it cannot write', () => {
    const d = tempDir();
    const dir = join(d, 'ajp-inspect');
    expect(writeCodeCache(dir, join(dir, 'main-x.v8cache'), Buffer.from('abc'))).toBe(true);
    expect(readdirSync(dir)).toEqual(['main-x.v8cache']);
    writeFileSync(join(d, 'file'), '');
    expect(writeCodeCache(join(d, 'file', 'sub'), join(d, 'file', 'sub', 'main-x.v8cache'), Buffer.from('abc'))).toBe(false);
    // The target is a directory: the rename fails and the temporary file is removed.
    mkdirSync(join(dir, 'main-y.v8cache'));
    expect(writeCodeCache(dir, join(dir, 'main-y.v8cache'), Buffer.from('abc'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['main-x.v8cache', 'main-y.v8cache']);
  });

  it('writeCodeCache keeps the three newest caches of other bundles', () => {
    const dir = join(tempDir(), 'ajp-inspect');
    for (let i = 0; i < 6; i++) {
      expect(writeCodeCache(dir, join(dir, `main-${i}.v8cache`), Buffer.from([i]))).toBe(true);
      // distinct modification times, oldest first
      const t = new Date(Date.now() - (10 - i) * 60_000);
      utimesSync(join(dir, `main-${i}.v8cache`), t, t);
    }
    expect(readdirSync(dir).sort()).toEqual(['main-2.v8cache', 'main-3.v8cache', 'main-4.v8cache', 'main-5.v8cache']);
  });

  it('without the bundle, loadMain imports the modules as they are', async () => {
    const loaded = await loadMain(pathToFileURL(join(tempDir(), 'missing', 'main.cjs')));
    expect(typeof loaded.main).toBe('function');
    expect(loaded.saveCodeCache()).toBeUndefined();
  });
});
