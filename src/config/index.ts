/**
 * config/: configuration files → plain typed facts with file:line (types.ts), the input stage the
 * rules read beside log events and capture evidence. Kinds are decided by content (detect.ts);
 * parsers: workers.ts (workers.properties, uriworkermap, isapi_redirect.properties), httpd.ts (httpd
 * configuration with its Includes), xml.ts + tomcat.ts (server.xml, standalone.xml).
 *
 * Like logs/, this stage reads the files it is given (and what they include or name: Include,
 * JkWorkersFile, JkMountFile, worker_file); it never writes.
 */
import { append } from '../util/append.js';
import { existsSync, opendirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, dirname, isAbsolute } from 'node:path';
import { detectConfigKind } from './detect.js';
import { configFragments, type ConfigFragment } from './fragments.js';
import { httpdMounts, httpdProxies, readHttpd, type FileAccess } from './httpd.js';
import { MAX_INHERITED_SETTINGS, parseIsapi, parseUriWorkerMap, parseWorkers, type InheritBudget } from './workers.js';
import { parseXml } from './xml.js';
import { jbossFacts, tomcatFacts } from './tomcat.js';
import { ConfigError, emptyFacts, MAX_CONFIG_BYTES, MAX_INCLUDE_ENTRIES, MIN_READ_BYTES, tooManyEntries, tooMuchConfig, type ConfigFacts, type ConfigKind } from './types.js';

export * from './types.js';
export { detectConfigKind } from './detect.js';
export { configFragments, configLineKind, type ConfigFragment } from './fragments.js';
export { parseProperties, type PropEntry } from './properties.js';
export { parseWorkers, parseUriWorkerMap, parseIsapi, withoutTrailingDots, MAX_INHERITED_SETTINGS, type InheritBudget } from './workers.js';
export { readHttpd, httpdWords, httpdMounts, httpdProxies, MAX_SECTION_DEPTH, MAX_INCLUDE_DEPTH, type FileAccess, type HttpdRead } from './httpd.js';
export { parseXml, type XmlElement } from './xml.js';
export { tomcatFacts, jbossFacts, isAjpProtocol } from './tomcat.js';
export * from './values.js';

function globToRe(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += '[' + seg.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * The names in a folder, sorted, each told to `look` as it is read: a folder of millions of entries
 * stops at the bound (`look` throws) instead of being read whole first, as readdirSync would.
 */
function namesIn(dir: string, look?: (entries: number) => void): string[] {
  const d = opendirSync(dir);
  const out: string[] = [];
  try {
    for (let e = d.readSync(); e !== null; e = d.readSync()) {
      look?.(1);
      out.push(e.name);
    }
  } finally {
    d.closeSync();
  }
  return out.sort();
}

/** The file system as config/ reads it (never written). */
export const nodeFiles: FileAccess = {
  read: (p) => readFileSync(p, 'utf8'),
  size: (p) => {
    try {
      const st = statSync(p);
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  },
  exists: (p) => existsSync(p),
  isDir: (p) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
  real: (p) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  },
  list: (d, look) => namesIn(d, look).map((f) => join(d, f)).filter((p) => !statSync(p).isDirectory()),
  glob: (pattern, look) => {
    const parts = pattern.split('/');
    let bases = [parts[0] === '' ? '/' : parts[0]!];
    for (const seg of parts.slice(1)) {
      if (seg === '') continue;
      const next: string[] = [];
      const re = /[*?[]/.test(seg) ? globToRe(seg) : undefined;
      for (const b of bases) {
        if (re === undefined) {
          const p = b === '/' ? `/${seg}` : `${b}/${seg}`;
          look?.(1);
          if (existsSync(p)) next.push(p);
          continue;
        }
        let names: string[] = [];
        try {
          names = namesIn(b, look);
        } catch (err) {
          // (not a folder, or not readable: no match there; the bound's error goes up)
          if (err instanceof ConfigError) throw err;
          continue;
        }
        for (const n of names) if (re.test(n) && !n.startsWith('.')) next.push(b === '/' ? `/${n}` : `${b}/${n}`);
      }
      bases = next;
    }
    return bases;
  },
};

/** One input: a path (for names and relative references) and its text. */
export interface ConfigSource {
  path: string;
  text: string;
  /** Known kind (a file named by JkWorkersFile is a workers file whatever it looks like). */
  kind?: ConfigKind;
}

/** Adds one configuration text to the facts; throws ConfigError (one line) when it is not one. */
export interface ReadOptions {
  /** A missing Include target: an error as for httpd (default), or skipped (a partial copy of a tree). */
  missingIncludes?: 'error' | 'skip';
  /** Configuration text read at most, in all (MAX_CONFIG_BYTES); past it a ConfigError. */
  maxBytes?: number;
  /** Settings workers.properties references copy at most, in all (MAX_INHERITED_SETTINGS); past it a ConfigError. */
  maxInherited?: number;
  /** Directory entries the Include wildcards and folders look at, in all (MAX_INCLUDE_ENTRIES); past it a ConfigError. */
  maxIncludeEntries?: number;
}

/** `inherit`: what workers.properties references may still copy in this run (MAX_INHERITED_SETTINGS in all). */
export function addConfig(facts: ConfigFacts, src: ConfigSource, fs: FileAccess = nodeFiles, seen: Set<string> = new Set(), opts: ReadOptions = {}, inherit: InheritBudget = { limit: MAX_INHERITED_SETTINGS, left: MAX_INHERITED_SETTINGS }): ConfigKind {
  const kind = src.kind ?? detectConfigKind(src.text);
  if (kind === undefined) throw new ConfigError(`${src.path}: not a configuration ajp-inspect reads (workers.properties, uriworkermap.properties, httpd configuration, server.xml, standalone.xml, isapi_redirect.properties)`);
  seen.add(src.path);
  const entry: ConfigFacts['files'][number] = { path: src.path, kind };
  facts.files.push(entry);
  const follow = (file: string, k: ConfigKind, from: string): void => {
    // Named by the configuration (JkWorkersFile, worker_file…): read when it is here and not given already.
    const p = isAbsolute(file) || src.path === '-' ? file : join(dirname(from), file);
    if (seen.has(p) || !fs.exists(p) || fs.isDir(p)) return;
    addConfig(facts, { path: p, text: fs.read(p), kind: k }, fs, seen, opts, inherit);
  };
  try {
    if (kind === 'workers') {
      const { file, mounts } = parseWorkers(src.text, src.path, inherit);
      facts.workers.push(file);
      append(facts.mounts, mounts);
    } else if (kind === 'uriworkermap') append(facts.mounts, parseUriWorkerMap(src.text, src.path));
    else if (kind === 'isapi') {
      const m = parseIsapi(src.text, src.path);
      for (const [k, v] of m) facts.isapi.set(k, v);
      const wf = m.get('worker_file');
      if (wf) follow(wf.value, 'workers', src.path);
      const mf = m.get('worker_mount_file');
      if (mf) follow(mf.value, 'uriworkermap', src.path);
    } else if (kind === 'httpd') {
      const read = readHttpd(src.path, fs, src.text, opts.missingIncludes === undefined ? {} : { missingIncludes: opts.missingIncludes });
      for (const f of read.files) seen.add(f);
      const mounts = httpdMounts(read.directives);
      const proxies = httpdProxies(read.directives);
      append(facts.httpd, read.directives);
      append(facts.mounts, mounts);
      append(facts.proxies, proxies);
      // (read.files starts with the file itself)
      if (read.files.length > 1) {
        const included = (x: { path: string }): boolean => x.path !== src.path;
        entry.included = { files: read.files.slice(1), directives: read.directives.filter(included).length, mounts: mounts.filter(included).length, proxies: proxies.filter(included).length };
      }
      for (const d of read.directives) {
        const n = d.name.toLowerCase();
        if (n === 'jkworkersfile' && d.args[0]) follow(d.args[0], 'workers', d.path);
        if (n === 'jkmountfile' && d.args[0]) follow(d.args[0], 'uriworkermap', d.path);
      }
    } else {
      const root = parseXml(src.text);
      if (kind === 'jboss') {
        const got = jbossFacts(root, src.path);
        append(facts.connectors, got.connectors);
        append(facts.jvmRoutes, got.jvmRoutes);
      } else {
        const got = tomcatFacts(root, src.path);
        append(facts.connectors, got.connectors);
        append(facts.jvmRoutes, got.jvmRoutes);
        append(facts.engines, got.engines);
      }
    }
  } catch (err) {
    if (err instanceof ConfigError && !err.message.startsWith(src.path) && /^line \d+/.test(err.message)) throw new ConfigError(`${src.path}: ${err.message}`);
    throw err;
  }
  return kind;
}

/** `from`'s facts added to `into`'s (returned); an isapi key already in `into` stays as it is. */
export function mergeFacts(into: ConfigFacts, from: ConfigFacts): ConfigFacts {
  append(into.files, from.files);
  append(into.workers, from.workers);
  append(into.mounts, from.mounts);
  append(into.httpd, from.httpd);
  append(into.proxies, from.proxies);
  append(into.connectors, from.connectors);
  append(into.jvmRoutes, from.jvmRoutes);
  append(into.engines, from.engines);
  for (const [k, v] of from.isapi) if (!into.isapi.has(k)) into.isapi.set(k, v);
  return into;
}

/**
 * Nothing on disk: what a paste quotes names files on the poster's machine (Include, JkWorkersFile),
 * not on the one reading the paste.
 */
const NO_FILES: FileAccess = {
  read: (p) => {
    throw new ConfigError(`${p}: named by a quoted configuration, not read`);
  },
  glob: () => [],
  exists: () => false,
  isDir: () => false,
  real: (p) => p,
  list: () => [],
};

/** A fragment of a paste that could not be read as the configuration it looks like, and why. */
export interface UnreadExcerpt {
  fragment: ConfigFragment;
  reason: string;
}

/**
 * The configuration quoted in a text read as a log (a paste: fragments.ts), added to `facts` under
 * the text's `path`, each kind as one file of that kind. Nothing it names is read (NO_FILES), and a
 * fragment that cannot be read (XML broken beyond what fragments.ts mends) is left out, said in the
 * list returned: the paste's log lines are still diagnosed. `logLine`: see configFragments.
 */
export function addExcerpts(facts: ConfigFacts, path: string, text: string, logLine?: (line: string) => boolean): { read: ConfigFragment[]; unread: UnreadExcerpt[] } {
  return readExcerpts(facts, path, configFragments(text, logLine));
}

/** addExcerpts for fragments already found (configFragments): each read into `facts`, or returned as unread. */
export function readExcerpts(facts: ConfigFacts, path: string, fragments: readonly ConfigFragment[]): { read: ConfigFragment[]; unread: UnreadExcerpt[] } {
  const read: ConfigFragment[] = [];
  const unread: UnreadExcerpt[] = [];
  for (const fragment of fragments) {
    // read into facts of its own first, so that one that fails leaves nothing behind
    const own = emptyFacts();
    try {
      addConfig(own, { path, text: fragment.text, kind: fragment.kind }, NO_FILES, new Set(), { missingIncludes: 'skip', maxBytes: MAX_CONFIG_BYTES });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      unread.push({ fragment, reason: err.message.startsWith(`${path}: `) ? err.message.slice(path.length + 2) : err.message });
      continue;
    }
    read.push(fragment);
    for (const f of own.files) f.quoted = { first: fragment.firstLine, last: fragment.lastLine };
    mergeFacts(facts, own);
  }
  return { read, unread };
}

/**
 * Reads configuration sources into one set of facts: at most `opts.maxBytes` (MAX_CONFIG_BYTES) of
 * text in all, the sources and every file they include or name, each file read (each time an Include
 * names it) counting MIN_READ_BYTES at least; a file that would go past it is not read (its size told
 * first when the file system can) and is a ConfigError.
 */
export function readConfigs(sources: readonly ConfigSource[], fs: FileAccess = nodeFiles, opts: ReadOptions = {}): ConfigFacts {
  const facts = emptyFacts();
  const seen = new Set<string>();
  // One bound for the settings references copy in all the workers files (workers.ts MAX_INHERITED_SETTINGS).
  const inheritLimit = opts.maxInherited ?? MAX_INHERITED_SETTINGS;
  const inherit: InheritBudget = { limit: inheritLimit, left: inheritLimit };
  const limit = opts.maxBytes ?? MAX_CONFIG_BYTES;
  let left = limit;
  // Text read for real, and files read: the error says which of the two went past.
  let chars = 0;
  let reads = 0;
  const take = (path: string, n: number, cost = n): void => {
    left -= cost;
    chars += n;
    if (left < 0) throw new ConfigError(tooMuchConfig(path, limit, chars > limit ? undefined : reads));
  };
  // Directory entries looked at by Include wildcards and folders, in all (types.ts MAX_INCLUDE_ENTRIES).
  const entryLimit = opts.maxIncludeEntries ?? MAX_INCLUDE_ENTRIES;
  let entries = 0;
  const look =
    (where: string) =>
    (n: number): void => {
      entries += n;
      if (entries > entryLimit) throw new ConfigError(tooManyEntries(where, entryLimit));
    };
  const bounded: FileAccess = {
    ...fs,
    glob: (p) => fs.glob(p, look(p)),
    list: (d) => fs.list(d, look(d)),
    read: (p) => {
      const size = fs.size?.(p);
      if (size !== undefined && Math.max(size, MIN_READ_BYTES) > left) throw new ConfigError(tooMuchConfig(p, limit, chars + size > limit ? undefined : reads + 1));
      const text = fs.read(p);
      reads++;
      take(p, text.length, Math.max(text.length, MIN_READ_BYTES));
      return text;
    },
  };
  for (const s of sources) take(s.path, s.text.length);
  for (const s of sources) {
    // A file given and also named by another (JkWorkersFile) is read once.
    if (seen.has(s.path)) continue;
    addConfig(facts, s, bounded, seen, opts, inherit);
  }
  return facts;
}
