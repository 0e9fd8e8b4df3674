/**
 * workers.properties as mod_jk reads it (tomcat-connectors native/common/jk_map.c, jk_util.c):
 * Java properties lines; a repeated list-valued key (`list`, `balance_workers`, `mount`, `user`,
 * `good`, `bad`, `fail_on_status`: jk_util.c list_properties) is appended with a comma, any other
 * repeated key is replaced ("Duplicate key … will be overwritten"); `$(name)` is replaced by an earlier
 * property (jk_map_replace_properties); `worker.X.reference=worker.T` copies every `worker.T.*` that X
 * does not set (jk_map_resolve_references, recursively, at most 20 levels; a loop or a deeper chain
 * is recorded as `referenceFailure`: mod_jk refuses the file).
 */
import { parseProperties } from './properties.js';
import { ConfigError, MAX_CONFIG_BYTES, type JkMount, type JkWorker, type JkWorkersFile, type ReferenceFailure, type Setting } from './types.js';

const LIST_KEYS = new Set(['list', 'balance_workers', 'balanced_workers', 'mount', 'user', 'good', 'bad', 'fail_on_status']);
/** jk_map.c JK_MAP_RECURSION. */
export const MAX_REFERENCE_DEPTH = 20;

/**
 * Settings a reference goes through (copies, or finds set already) at most, in one run: all the
 * workers files read together (issue 14). Each copy is a setting of its own (mod_jk's
 * jk_map_inherit_properties adds every one to the map), so a template of 3,000 keys referenced by
 * 3,000 workers (170 KB of text) made 9 million: over 2 minutes and 4.4 GB before it was stopped.
 * A setting written in a file takes ~16 bytes of text at least, so the bound is as many settings as
 * MAX_CONFIG_BYTES of written ones: the facts stay within what the text budget allows, whatever the
 * references multiply. The settings found set already count too: a worker referencing two templates
 * of 5,000 keys that reference each other goes 20 times through both, copying nothing after the
 * first (12,000 lines, 2,000 such workers: 22 s to the bound of copies alone). A real file goes
 * through a few thousand (8,000 workers of a 30-key template: 240,000).
 */
export const MAX_INHERITED_SETTINGS = MAX_CONFIG_BYTES / 16;

function directiveOf(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1).toLowerCase();
}

/** The key prefix a `reference` value names: `worker.T` or `worker.T.` (jk_map.c appends the dot). */
function refTarget(value: string): string {
  return value.replace(/\.$/, '');
}

/**
 * Every prefix a reference can name: the values of the `*.reference` keys. A copy keeps its value,
 * so the keys a resolution adds name no other.
 */
function refTargets(props: Iterable<[string, Setting]>): string[] {
  const out: string[] = [];
  for (const [k, s] of props) if (k.endsWith('.reference')) out.push(refTarget(s.value));
  return out;
}

/** A reference target by its dot-separated segments; `keys` on the node of a target. */
interface TargetNode {
  next: Map<string, TargetNode>;
  keys?: string[];
}

/**
 * The keys under each reference target `T` (those starting with `T.`), in the order they are added:
 * a key walks a tree of the targets' segments once, so its cost is its length, however many targets
 * there are and however many dots it holds.
 */
function keysUnder(keys: Iterable<string>, targets: readonly string[]): { of(target: string): readonly string[]; add(key: string): void } {
  const root: TargetNode = { next: new Map() };
  const byTarget = new Map<string, string[]>();
  for (const t of targets) {
    if (byTarget.has(t)) continue;
    let node = root;
    for (const seg of t.split('.')) {
      let next = node.next.get(seg);
      if (!next) node.next.set(seg, (next = { next: new Map() }));
      node = next;
    }
    node.keys ??= [];
    byTarget.set(t, node.keys);
  }
  const add = (key: string): void => {
    const segs = key.split('.');
    let node: TargetNode | undefined = root;
    // Not the last segment: a key starts with `T.`, so something follows T.
    for (let i = 0; i < segs.length - 1 && node; i++) {
      node = node.next.get(segs[i]!);
      node?.keys?.push(key);
    }
  };
  for (const k of keys) add(k);
  return { of: (target) => byTarget.get(target) ?? [], add };
}

/**
 * The first chain of references mod_jk refuses, if any. jk_map.c jk_map_resolve_references scans the
 * map in its order for `worker.….reference` keys at depth 1 and, for each, calls itself for the prefix
 * its value names (`worker.T`, as written) at depth 2, which follows `worker.T.reference` at depth 3,
 * and so on; a call at a depth past JK_MAP_RECURSION (20) logs "Recursion limit 20 for worker
 * references with prefix '<prefix>' reached" and returns false, so every loop and every chain of 20
 * references fails, and mod_jk.c init_jk logs "Error in resolving configuration references" and
 * fails httpd's start. (The settings are resolved as far as before all the same, for the other checks.)
 */
function refusedReferences(props: ReadonlyMap<string, Setting>): ReferenceFailure | undefined {
  for (const [k, first] of props) {
    if (!k.startsWith('worker.') || k.length < 'worker..reference'.length || !k.endsWith('.reference') || first.value === '') continue;
    const chain = [first];
    // chain[i] is followed by the call at depth i + 2, for the prefix its value names
    for (let depth = 2; ; depth++) {
      const prefix = chain[chain.length - 1]!.value;
      if (depth > MAX_REFERENCE_DEPTH) {
        const again = chain.findIndex((r, i) => chain.indexOf(r) < i);
        return { chain: again < 0 ? chain : chain.slice(0, again), loop: again >= 0, prefix };
      }
      const next = props.get(`${prefix}.reference`);
      // (an empty value is no reference: jk_map.c skips it)
      if (!next || next.value === '') break;
      chain.push(next);
    }
  }
  return undefined;
}

/** What is left of MAX_INHERITED_SETTINGS in a run (config/index.ts readConfigs passes one to every workers file). */
export interface InheritBudget {
  /** The bound (for the error), and what is left of it. */
  readonly limit: number;
  left: number;
}

/**
 * Reads the properties text of one workers file into its workers, list and mounts. `budget`: the
 * settings references may still go through (MAX_INHERITED_SETTINGS by default); past it a ConfigError.
 */
export function parseWorkers(text: string, path: string, budget: InheritBudget = { limit: MAX_INHERITED_SETTINGS, left: MAX_INHERITED_SETTINGS }): { file: JkWorkersFile; mounts: JkMount[] } {
  const props = new Map<string, Setting>();
  const entries: Setting[] = [];
  for (const e of parseProperties(text, false)) {
    // $(name): a property defined before (jk_map_replace_properties; mod_jk then tries the environment, unknown here), else left as written.
    const value = e.value.replace(/\$\(([^)]+)\)/g, (m, name: string) => props.get(name)?.value ?? m);
    const s: Setting = { path, line: e.line, key: e.key, value };
    entries.push(s);
    const prev = props.get(e.key);
    if (prev && LIST_KEYS.has(directiveOf(e.key)) && prev.value !== '') props.set(e.key, { ...prev, value: `${prev.value},${value}` });
    else props.set(e.key, s);
  }
  // References: worker.X.reference=worker.T (the value is a key prefix). The keys under each target
  // are indexed once, where a scan of every key per reference made 8,000 workers of one template
  // take over a minute; the copies are made in the order a scan would make them.
  const under = keysUnder(props.keys(), refTargets(props.entries()));
  const resolve = (prefix: string, depth: number): void => {
    const ref = props.get(`${prefix}.reference`);
    if (!ref || depth > MAX_REFERENCE_DEPTH) return;
    const target = refTarget(ref.value);
    resolve(target, depth + 1);
    const keys = under.of(target);
    // The keys under the target now: those this loop adds (X under T, as worker.T.x.reference=worker.T
    // adds worker.T.x.*) are not copied again, as in a scan of the map as it was.
    for (let i = 0, n = keys.length; i < n; i++) {
      const k = keys[i]!;
      const d = k.slice(target.length + 1);
      // Counted before the copy is made (memory stays bounded however many the references would
      // add), and when none is made (the time a loop of templates takes stays bounded too).
      if (--budget.left < 0)
        throw new ConfigError(`${path}:${ref.line}: ${ref.key}=${ref.value}: resolving the references goes through more than ${budget.limit.toLocaleString('en-US')} inherited settings (templates of many keys, referenced by many workers or in a loop): ajp-inspect goes through that many at most in one run`);
      const to = `${prefix}.${d}`;
      if (d === 'reference' || props.has(to)) continue;
      const from = props.get(k)!;
      props.set(to, { path: from.path, line: from.line, key: from.key, value: from.value, via: target });
      under.add(to);
    }
  };
  const prefixes = new Set<string>();
  for (const k of props.keys()) if (k.startsWith('worker.') && k.lastIndexOf('.') > 'worker.'.length) prefixes.add(k.slice(0, k.lastIndexOf('.')));
  for (const p of prefixes) resolve(p, 0);
  const referenceFailure = refusedReferences(props);

  const listSetting = props.get('worker.list');
  const list = (listSetting?.value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  // Looked up once per worker: a search of the list each was quadratic (80,000 listed workers, 11 s).
  const listed = new Set(list);
  const workers = new Map<string, JkWorker>();
  const globals = new Map<string, Setting>();
  for (const [k, s] of props) {
    if (!k.startsWith('worker.')) continue;
    const rest = k.slice('worker.'.length);
    const dot = rest.lastIndexOf('.');
    if (dot < 0) {
      if (rest !== 'list') globals.set(rest.toLowerCase(), s);
      continue;
    }
    const name = rest.slice(0, dot);
    let w = workers.get(name);
    if (!w) {
      w = { name, type: 'ajp13', path, line: s.line, settings: new Map(), members: [], listed: listed.has(name) };
      workers.set(name, w);
    }
    w.settings.set(rest.slice(dot + 1).toLowerCase(), s);
    if (s.via === undefined && s.line < w.line) w.line = s.line;
  }
  const mounts: JkMount[] = [];
  for (const w of workers.values()) {
    w.type = (w.settings.get('type')?.value ?? 'ajp13').toLowerCase();
    const bw = w.settings.get('balance_workers') ?? w.settings.get('balanced_workers');
    if (bw) w.members = bw.value.split(',').map((s) => s.trim()).filter(Boolean);
    const mount = w.settings.get('mount');
    if (mount && w.listed)
      for (const uri of mount.value.split(',').map((s) => s.trim()).filter(Boolean)) mounts.push({ path, line: mount.line, uri, worker: w.name, unmount: false, from: 'uriworkermap' });
  }
  const file: JkWorkersFile = { path, list, listSetting, workers, globals, entries };
  if (referenceFailure) file.referenceFailure = referenceFailure;
  return { file, mounts };
}

/**
 * uriworkermap.properties (jk_uri_worker_map.c uri_worker_map_load): `/uri=worker`, `!/uri=worker`
 * excludes, `-/uri=…` disabled, `;attr=…` after the worker, `|` in the URI for "with and without
 * the rest" (`/app|/*` = `/app` and `/app/*`).
 */
export function parseUriWorkerMap(text: string, path: string): JkMount[] {
  const out: JkMount[] = [];
  for (const e of parseProperties(text, false)) {
    let uri = e.key;
    if (uri.startsWith('-')) continue;
    const unmount = uri.startsWith('!');
    if (unmount) uri = uri.slice(1);
    const worker = (e.value.split(';')[0] ?? '').trim();
    if (!uri.startsWith('/') && !uri.startsWith('*')) continue;
    out.push({ path, line: e.line, uri, worker, unmount, from: 'uriworkermap' });
  }
  return out;
}

/** isapi_redirect.properties: plain keys (extension_uri, worker_file, worker_mount_file, log_file …). */
export function parseIsapi(text: string, path: string): Map<string, Setting> {
  const out = new Map<string, Setting>();
  for (const e of parseProperties(text)) out.set(e.key.toLowerCase(), { path, line: e.line, key: e.key, value: e.value });
  return out;
}
