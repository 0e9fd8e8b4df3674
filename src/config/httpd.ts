/**
 * httpd configuration read as httpd reads it (server/config.c, server/util.c ap_cfg_getline and
 * ap_getword_conf): a line ending in `\` continues on the next, `#` starts a comment only as the
 * first non-blank character, arguments are words or '…' / "…" quoted strings, `<Section args>` …
 * `</Section>` nest, `Define NAME value` sets `${NAME}`, and Include / IncludeOptional (with
 * wildcards in any path segment, matches sorted as httpd sorts them, relative paths against
 * ServerRoot) read other files in place. A loop of Includes, a missing Include target or a
 * wildcard Include matching nothing are errors, as httpd refuses to start on them (IncludeOptional
 * ignores what is missing). <IfModule>, <IfDefine>, <IfVersion> are read as if true: the sections
 * are kept in `sections`, so a rule can tell; sections nested deeper than MAX_SECTION_DEPTH are an
 * error (a bound of ajp-inspect's, not httpd's).
 */
import { ConfigError, type HttpdDirective, type ProxyAjpWorker, type JkMount, type Setting } from './types.js';

/** How httpd.ts reaches files (config/read.ts gives the real one; tests may give a map). */
export interface FileAccess {
  read(path: string): string;
  /** A file's size in bytes, when it can be told before reading it (config/index.ts readConfigs: the bound). */
  size?(path: string): number | undefined;
  /**
   * Existing paths matching a pattern with wildcards (`*`, `?`, `[…]`), sorted; [] when none.
   * `look(n)`: told of the directory entries looked at, as they are (it may throw: readConfigs' bound).
   */
  glob(pattern: string, look?: (entries: number) => void): string[];
  exists(path: string): boolean;
  isDir(path: string): boolean;
  /** Canonical path, for loop detection. */
  real(path: string): string;
  /** Files of a folder, sorted (Include of a folder reads every file in it); `look` as for glob. */
  list(dir: string, look?: (entries: number) => void): string[];
}

export interface HttpdRead {
  directives: HttpdDirective[];
  files: string[];
}

/**
 * Includes nested at most: httpd's own bound (server/core.c AP_MAX_INCLUDE_DEPTH, 128; include_config
 * counts the Includes being read, one inside the other, and past it says "Exceeded maximum include
 * depth of 128, There appears to be a recursion." and does not start). What the nesting reads is
 * bounded by readConfigs (MAX_CONFIG_BYTES, MIN_READ_BYTES a read).
 */
export const MAX_INCLUDE_DEPTH = 128;

/**
 * Sections nested at most. httpd sets no bound (server/core.c start_ifmod and the other sections
 * recurse through server/config.c ap_build_cont_config), and a configuration nests a handful
 * (VirtualHost, IfModule, Location); but every directive keeps the list of its sections, one list
 * per run of directives between two section tags: 32,000 nested <IfModule> (1.5 MB) took over 4 GB.
 * At 128 a list is 1 KB at most, and 16 MiB of directives each in its own section 127 deep take
 * 0.8 GB, as much as 16 MiB of directives outside any.
 */
export const MAX_SECTION_DEPTH = 128;

/** The name of a section as kept in `sections` (its first word), in lower case, as a closing tag names it. */
function sectionName(section: string): string {
  const sp = section.indexOf(' ');
  return (sp < 0 ? section : section.slice(0, sp)).toLowerCase();
}

/** Splits a directive line into words as ap_getword_conf does. */
export function httpdWords(line: string): string[] {
  // Words are cut out of the line, not built a character at a time: a string grown by `+=` is a
  // chain of V8 cons strings, ~30 bytes a character past the 13th, kept as long as the directive
  // (a hosting configuration's 184,000 directives held ~100 MB of them, issue 14).
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) break;
    const q = line[i];
    if (q === '"' || q === "'") {
      i++;
      let w = '';
      let from = i;
      while (i < n && line[i] !== q) {
        // \" and \\ inside quotes: the backslash dropped, the character after it kept as it is
        if (line[i] === '\\' && (line[i + 1] === q || line[i + 1] === '\\')) {
          w += line.slice(from, i);
          from = ++i;
        }
        i++;
      }
      out.push(w + line.slice(from, Math.min(i, n)));
      i++;
    } else {
      const from = i;
      while (i < n && !isSpace(line.charCodeAt(i))) i++;
      out.push(line.slice(from, i));
    }
  }
  return out;
}

/** What `/\s/` matches, told from the code unit (ASCII without a regex). */
function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return /\s/.test(String.fromCharCode(c));
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : p.slice(0, i);
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
}

/** Reads a main httpd configuration file and everything it includes. */
export function readHttpd(path: string, fs: FileAccess, text?: string, opts: { missingIncludes?: 'error' | 'skip' } = {}): HttpdRead {
  // 'skip': a configuration copied out of its tree (a repository holding httpd.conf without conf.modules.d/): read what is there.
  const skipMissing = opts.missingIncludes === 'skip';
  const directives: HttpdDirective[] = [];
  const files: string[] = [];
  const defines = new Map<string, string>();
  let serverRoot: string | undefined;
  const stack: string[] = [];

  const expand = (s: string): string => s.replace(/\$\{([A-Za-z0-9_.:-]+)\}/g, (m, name: string) => defines.get(name) ?? m);

  const readOne = (file: string, body: string, sections: string[], chain: string[]): void => {
    files.push(file);
    const lines = body.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
    const local = [...sections];
    // local's names, for the closing tags (they were cut out of every section at each closing tag).
    const names = local.map(sectionName);
    // One copy of the enclosing sections for every directive until a section opens or closes: a
    // copy each cost ~50 bytes a directive (184,000 directives in a hosting configuration). Made for
    // the first directive after a change (undefined until then), not at each tag.
    let snap: readonly string[] | undefined;
    for (let i = 0; i < lines.length; i++) {
      const first = i + 1;
      let line = lines[i]!.trim();
      while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + lines[++i]!.trim();
      if (line === '' || line.startsWith('#')) continue;
      if (line.startsWith('</')) {
        const name = line.slice(2).replace(/>.*$/, '').trim().toLowerCase();
        const idx = names.lastIndexOf(name);
        if (idx >= sections.length) {
          local.length = idx;
          names.length = idx;
          snap = undefined;
        }
        continue;
      }
      if (line.startsWith('<')) {
        const inner = line.slice(1).replace(/>\s*$/, '');
        const words = httpdWords(expand(inner));
        if (local.length >= MAX_SECTION_DEPTH) {
          const tag = (words[0] ?? '').slice(0, 40);
          throw new ConfigError(`${file}:${first}: <${tag}> opens a section ${local.length + 1} deep: ajp-inspect reads sections ${MAX_SECTION_DEPTH} deep at most (a configuration nests a handful: VirtualHost, IfModule, Location)`);
        }
        const section = [words[0] ?? '', ...words.slice(1)].join(' ');
        local.push(section);
        names.push(sectionName(section));
        snap = undefined;
        continue;
      }
      const words = httpdWords(expand(line));
      const name = words[0]!;
      const args = words.slice(1);
      const lname = name.toLowerCase();
      if (lname === 'define' && args[0]) defines.set(args[0], args[1] ?? '');
      if (lname === 'serverroot' && args[0]) serverRoot = args[0];
      snap ??= [...local];
      directives.push({ path: file, line: first, name, args, sections: snap });
      if ((lname === 'include' || lname === 'includeoptional') && args[0]) {
        const optional = lname === 'includeoptional';
        const target = args[0];
        const base = serverRoot !== undefined && !serverRoot.includes('${') && !serverRoot.includes('$') && fs.isDir(serverRoot) ? serverRoot : dirname(chain[0] ?? file);
        const full = isAbsolute(target) ? target : `${base}/${target}`;
        const where = `${file}:${first}`;
        let targets: string[];
        if (/[*?[]/.test(full)) {
          targets = fs.glob(full).filter((p) => !fs.isDir(p));
          if (!targets.length && !optional && !skipMissing) throw new ConfigError(`${where}: Include ${target}: no file matches (httpd refuses to start: "No matches for the wildcard pattern"; use IncludeOptional, or give the included files too)`);
        } else if (!fs.exists(full)) {
          if (optional || skipMissing) continue;
          throw new ConfigError(`${where}: Include ${target}: no such file (httpd refuses to start; give the configuration folder as it is on the server)`);
        } else targets = fs.isDir(full) ? fs.list(full) : [full];
        for (const t of targets) {
          const real = fs.real(t);
          if (chain.includes(real)) throw new ConfigError(`${where}: Include ${target}: include loop (${[...chain, real].join(' → ')})`);
          // chain: the main file and the files being included, so its length is httpd's count for this Include
          if (chain.length > MAX_INCLUDE_DEPTH) throw new ConfigError(`${where}: Include ${target}: Includes nested deeper than ${MAX_INCLUDE_DEPTH} (httpd refuses to start: "Exceeded maximum include depth of ${MAX_INCLUDE_DEPTH}")`);
          readOne(t, fs.read(t), local, [...chain, real]);
        }
      }
    }
    void stack;
  };
  readOne(path, text ?? fs.read(path), [], [fs.real(path)]);
  return { directives, files };
}

function vhostOf(sections: readonly string[]): string | undefined {
  const v = sections.find((s) => /^virtualhost\b/i.test(s));
  return v === undefined ? undefined : v.slice('virtualhost'.length).trim();
}

/** JkMount / JkUnMount, with `<Location /x> JkMount worker` taking the path of the Location. */
export function httpdMounts(directives: readonly HttpdDirective[]): JkMount[] {
  const out: JkMount[] = [];
  for (const d of directives) {
    const n = d.name.toLowerCase();
    if (n !== 'jkmount' && n !== 'jkunmount') continue;
    let uri: string | undefined;
    let worker: string | undefined;
    if (d.args.length >= 2) [uri, worker] = d.args;
    else if (d.args.length === 1) {
      const loc = [...d.sections].reverse().find((s) => /^location(match)?\b/i.test(s));
      uri = loc?.replace(/^\S+\s+/, '');
      worker = d.args[0];
    }
    if (uri === undefined || worker === undefined) continue;
    const v = vhostOf(d.sections);
    const m: JkMount = { path: d.path, line: d.line, uri, worker: worker.split(';')[0]!, unmount: n === 'jkunmount', from: 'JkMount' };
    if (v !== undefined) m.vhost = v;
    out.push(m);
  }
  return out;
}

/** ProxyPass / ProxyPassMatch / BalancerMember with an ajp:// URL, their key=value parameters, ProxySet on balancers. */
export function httpdProxies(directives: readonly HttpdDirective[]): ProxyAjpWorker[] {
  const out: ProxyAjpWorker[] = [];
  for (const d of directives) {
    const n = d.name.toLowerCase();
    let mount: string | undefined;
    let url: string | undefined;
    let rest: string[] = [];
    let balancer: string | undefined;
    if (n === 'proxypass' || n === 'proxypassmatch') {
      const inLocation = [...d.sections].reverse().find((s) => /^location(match)?\b/i.test(s));
      if (inLocation !== undefined && d.args[0] !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(d.args[0])) {
        mount = inLocation.replace(/^\S+\s+/, '');
        [url, ...rest] = d.args;
      } else [mount, url, ...rest] = d.args;
    } else if (n === 'balancermember') {
      const proxy = [...d.sections].reverse().find((s) => /^proxy(match)?\s+balancer:/i.test(s));
      if (d.args[0]?.startsWith('balancer://')) [balancer, url, ...rest] = d.args;
      else [url, ...rest] = d.args;
      balancer ??= proxy?.replace(/^\S+\s+/, '');
    } else continue;
    if (url === undefined) continue;
    const m = /^ajp:\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?/i.exec(url);
    if (!m) continue;
    const params = new Map<string, Setting>();
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq <= 0) continue;
      params.set(p.slice(0, eq).toLowerCase(), { path: d.path, line: d.line, key: p.slice(0, eq), value: p.slice(eq + 1) });
    }
    const w: ProxyAjpWorker = { path: d.path, line: d.line, directive: d.name, url, host: m[1]!.replace(/^\[|\]$/g, ''), port: m[2] === undefined ? 8009 : Number(m[2]), params };
    if (mount !== undefined) w.mount = mount;
    if (balancer !== undefined) w.balancer = balancer;
    const v = vhostOf(d.sections);
    if (v !== undefined) w.vhost = v;
    out.push(w);
  }
  return out;
}
