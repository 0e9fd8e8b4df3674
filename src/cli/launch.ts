/**
 * Loads the command line (src/cli/main.ts) for the executable entry (src/cli.ts), through a V8 code
 * cache when the bundled CLI is there (issue 14: start-up ≤ 0.15 s).
 *
 * `npm run build` (scripts/bundle.mjs) writes the command line as one CommonJS file,
 * dist/cli-chunks/main.cjs. Compiling its 1.3 MB, and then each function the first time it runs
 * (V8 compiles lazily), was a third of a small capture's run. Node 20 has no
 * `module.enableCompileCache` (22.1), so the file is run the way Node's own CommonJS loader runs a
 * module (`wrapSafe` in lib/internal/modules/cjs/loader.js: the source wrapped in a function,
 * compiled by a `vm.Script`), with V8's code cache: `script.createCachedData()` after a run holds the
 * bytecode of the top level and of every function that run compiled, and `new vm.Script(source,
 * { cachedData })` in the next process skips compiling them (V8 checks the cache against its own
 * version, flags and the source's length and sets `cachedDataRejected` when it does not fit; the
 * file carries a checksum of its own, checked first: see `sealed`).
 *
 * The cache lives in the user's cache directory ($XDG_CACHE_HOME/ajp-inspect, else
 * ~/.cache/ajp-inspect), never beside an input or in the working directory, under a name made of the
 * tool version, Node's version and architecture and a hash of the bundle (V8 only compares the
 * source's length, so a rebuilt bundle must not find the old cache). It is written after a run that
 * found none (or had it rejected), and again after the first run of each other kind (a command and
 * a format: each compiles its own part of the code), atomically (a temporary file renamed over the
 * name); a cache
 * directory that cannot be made or written, or a cache file that cannot be read, costs speed only —
 * nothing is printed and the run is the same.
 *
 * Without the bundle (the modules tsc wrote, run unbundled) the command line is imported as usual.
 */
import { isAscii } from 'node:buffer';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';
import { TOOL_VERSION } from '../version.js';

type MainModule = typeof import('./main.js');

export interface LoadedMain {
  readonly main: MainModule['main'];
  /** Writes the code cache when this process found none that fit (call once the run is over). */
  saveCodeCache(): void;
}

/** Cache files of other bundles (older versions) kept beside the current one before the oldest go. */
const KEEP_OTHER_CACHES = 3;
const CACHE_SUFFIX = '.v8cache';

/** The directory the cache goes in, or undefined when there is no home to put it in. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  // XDG Base Directory Specification: a relative $XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return join(xdg, 'ajp-inspect');
  let home: string;
  try {
    home = homedir();
  } catch {
    return undefined;
  }
  return home !== '' && isAbsolute(home) ? join(home, '.cache', 'ajp-inspect') : undefined;
}

/**
 * The cache file's name for this bundle, tool and Node: the bundle's CRC-32 and length (zlib's
 * crc32, ~0.2 ms for the bundle; the bundle loads node:zlib anyway, where node:crypto cost ~2 ms to
 * load).
 */
export function codeCacheName(bundle: Buffer, nodeFlags = `${process.execArgv.join(' ')}\n${process.env.NODE_OPTIONS ?? ''}`): string {
  const hash = crc32(bundle).toString(16).padStart(8, '0');
  // V8 rejects a cache made under other V8 flags (its flag hash): Node's flags (`node
  // --max-old-space-size=… ajp-inspect`, NODE_OPTIONS) get a cache of their own instead of making
  // the one cache again at every run when a user alternates.
  const flags = nodeFlags === '\n' ? '' : `-${crc32(nodeFlags).toString(16).padStart(8, '0')}`;
  return `main-${TOOL_VERSION}-${process.version}-${process.arch}-${hash}-${bundle.length}${flags}${CACHE_SUFFIX}`;
}

function readOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * `bundle`: the URL of dist/cli-chunks/main.cjs. Falls back to importing ./main.js when it cannot be
 * read.
 */
export async function loadMain(bundle: URL): Promise<LoadedMain> {
  const file = fileURLToPath(bundle);
  const code = readOrUndefined(file);
  if (code === undefined) {
    const { main } = await import('./main.js');
    return { main, saveCodeCache: () => undefined };
  }
  const dir = codeCacheDir();
  const cachePath = dir === undefined ? undefined : join(dir, codeCacheName(code));
  const cached = cachePath === undefined ? undefined : verified(readOrUndefined(cachePath));

  // Node's CommonJS wrapper (Module.wrap), plus the bundle's stand-in for `import.meta.url`
  // (scripts/bundle.mjs defines it: yargs locates its locale files from it).
  // An ASCII bundle (scripts/bundle.mjs makes it so) is read as Latin-1: no UTF-8 decoding, and V8
  // gets a one-byte string (half the memory, faster to scan for the functions compiled lazily).
  const text = isAscii(code) ? code.toString('latin1') : code.toString('utf8');
  const source = `(function (exports, require, module, __filename, __dirname, __ajpImportMetaUrl) { ${text}\n});`;
  const script = new Script(source, { filename: file, cachedData: cached?.data });
  const wrapper = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: { exports: object },
    filename: string,
    dirname: string,
    importMetaUrl: string,
  ) => void;
  const mod = { exports: {} };
  wrapper.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file), pathToFileURL(file).href);
  const { main, runKind } = mod.exports as MainModule;

  const fits = cached !== undefined && !script.cachedDataRejected;
  return {
    main,
    saveCodeCache: () => {
      if (dir === undefined || cachePath === undefined) return;
      // A kind of run the cache has not seen compiled code it lacks: the cache is made again, with
      // what it held (deserialized functions keep their bytecode, and cli.ts turns bytecode flushing
      // off) and what this run added.
      const kind = runKind();
      if (fits && (cached.kinds.includes(kind) || cached.kinds.length >= MAX_KINDS)) return;
      writeCodeCache(dir, cachePath, sealed(fits ? [...cached.kinds, kind] : [kind], script.createCachedData()));
    },
  };
}

/** A code cache file's content: the kinds of runs (main.ts runKind) whose code it holds, and V8's data. */
export interface CodeCache {
  kinds: string[];
  data: Buffer;
}

/** Kinds of runs (command × format) a cache is made again for; past them it stays as it is. */
const MAX_KINDS = 64;

/**
 * A cache file is a CRC-32 of the rest, the length of the list of kinds, the kinds (one a line), and
 * V8's data. V8 checks its data's header (its version, flags,
 * the source's length, the payload's length) but, in a release build, not the payload itself
 * (`SerializedCodeData::SanityCheck`, src/snapshot/code-serializer.cc; `node --v8-options`:
 * --verify-snapshot-checksum, "Enable checksum creation and verification for code caches. Enabled by
 * default in debug builds"): 64 flipped bytes in the middle of a cache made Node 20 crash with SIGSEGV
 * at every run. So the file is checked before V8 sees it.
 */
const HEAD_BYTES = 8;

export function sealed(kinds: readonly string[], data: Buffer): Buffer {
  const list = Buffer.from(kinds.join('\n'), 'utf8');
  const head = Buffer.alloc(HEAD_BYTES);
  head.writeUInt32BE(list.length, 4);
  const file = Buffer.concat([head, list, data]);
  file.writeUInt32BE(crc32(file.subarray(4)), 0);
  return file;
}

/** A cache file's kinds and V8 data, or undefined when there is none or it is not what was written. */
export function verified(file: Buffer | undefined): CodeCache | undefined {
  if (file === undefined || file.length < HEAD_BYTES || crc32(file.subarray(4)) !== file.readUInt32BE(0)) return undefined;
  const listEnd = HEAD_BYTES + file.readUInt32BE(4);
  if (listEnd >= file.length) return undefined;
  return { kinds: file.toString('utf8', HEAD_BYTES, listEnd).split('\n'), data: file.subarray(listEnd) };
}

/** Writes `data` at `path` through a temporary file renamed over it; any failure leaves no file. */
export function writeCodeCache(dir: string, path: string, data: Buffer): boolean {
  const temp = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, data, { flag: 'wx', mode: 0o600 });
    renameSync(temp, path);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // never made
    }
    return false;
  }
  pruneOtherCaches(dir, path);
  return true;
}

/** Keeps the KEEP_OTHER_CACHES newest caches of other bundles (an upgrade leaves the old one). */
function pruneOtherCaches(dir: string, keep: string): void {
  try {
    const others = readdirSync(dir)
      .filter((n) => n.startsWith('main-') && n.endsWith(CACHE_SUFFIX) && join(dir, n) !== keep)
      .map((n) => ({ path: join(dir, n), mtime: statSync(join(dir, n)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const o of others.slice(KEEP_OTHER_CACHES)) unlinkSync(o.path);
  } catch {
    // another process pruned first, or the directory is not ours to list: only disk space
  }
}
