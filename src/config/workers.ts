/**
 * workers.properties as mod_jk reads it (tomcat-connectors native/common/jk_map.c, jk_util.c):
 * Java properties lines; a repeated list-valued key (`list`, `balance_workers`, `mount`, `user`,
 * `good`, `bad`, `fail_on_status`: jk_util.c list_properties) is appended with a comma, any other
 * repeated key is replaced ("Duplicate key … will be overwritten"); `$(name)` is replaced by an earlier
 * property (jk_map_replace_properties); `worker.X.reference=worker.T` copies every `worker.T.*` that X
 * does not set (jk_map_resolve_references, recursively, at most 20 levels; see resolveReferences); the
 * first reference mod_jk fails on (a loop or a deeper chain, a template with no key, a worker under its
 * own template) is recorded as `referenceFailure`: mod_jk refuses the file.
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

/**
 * Every prefix a reference names: the values of the `*.reference` keys, as written (jk_map.c
 * jk_map_resolve_references appends a dot to the value and nothing else: `worker.T.` names the keys
 * under `worker.T..`). A copy keeps its value, so the keys a resolution adds name no other.
 */
function refTargets(props: Iterable<[string, Setting]>): string[] {
  const out: string[] = [];
  for (const [k, s] of props) if (k.endsWith('.reference') && s.value !== '') out.push(s.value);
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

/** What is left of MAX_INHERITED_SETTINGS in a run (config/index.ts readConfigs passes one to every workers file). */
export interface InheritBudget {
  /** The bound (for the error), and what is left of it. */
  readonly limit: number;
  left: number;
}

/**
 * For a reference `target` no key is under: a prefix keys are under that it differs from only by its
 * trailing dots (`worker.T.`: mod_jk looks under `worker.T..`) or by case (jk_map.c compares with
 * strncmp), if any. Once per file at most (for the first failure).
 */
function meantTarget(keys: Iterable<string>, target: string): { prefix: string; by: 'dots' | 'case' } | undefined {
  const dotless = withoutTrailingDots(target);
  if (dotless === '') return undefined;
  const lower = dotless.toLowerCase();
  let byCase: string | undefined;
  for (const k of keys) {
    if (dotless !== target && k.startsWith(`${dotless}.`)) return { prefix: dotless, by: 'dots' };
    if (byCase === undefined && k.length > lower.length && k[lower.length] === '.' && k.slice(0, lower.length).toLowerCase() === lower && k.slice(0, lower.length) !== target) byCase = k.slice(0, lower.length);
  }
  return byCase === undefined ? undefined : { prefix: byCase, by: 'case' };
}

/** `s` without the dots it ends with (a loop: `/\.+$/` backtracks on a long run of dots not at the end). */
export function withoutTrailingDots(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '.') end--;
  return s.slice(0, end);
}

/**
 * Resolves `worker.X.reference=V` in `props` as tomcat-connectors native/common/jk_map.c does
 * (jk_map_resolve_references and jk_map_inherit_properties, the same from 1.2.27 to 1.2.50; 1.2.22
 * to 1.2.26 also emptied a reference once applied, so that a chain met again later stopped there), and
 * returns the first failure mod_jk meets, if any:
 * - the map is scanned in its order, the keys the resolution adds included (`i < m->size` is read
 *   again at each step), for keys `worker.….reference` (at least `worker..reference`) of a value
 *   that is not empty: each at depth 1. Its value V, as written, is the prefix of a call at depth 2
 *   that follows `V.reference` (that key exactly) at depth 3, and so on. A call past depth
 *   JK_MAP_RECURSION (20) logs "Recursion limit 20 for worker references with prefix '<V>' reached"
 *   and fails: every loop (a worker naming itself too) and every chain of 20 references.
 * - after the call for V, jk_map_inherit_properties copies every key starting with `V.` (the value and
 *   a dot, nothing stripped: `worker.T.` copies `worker.T..*`) that X lacks, to `worker.X.`; it scans
 *   the map to its current end, so the keys it adds are copied in turn when they start with `V.` too.
 *   No key under `V.` at all: it logs "Reference '<V>.' not found" (1.2.22+; 1.2.19–1.2.21 go on
 *   silently) and fails.
 * - `worker.X.` under `V.` (X's own template is a prefix of its name: `worker.t.sub.reference=worker.t`,
 *   or `=worker`): every key it adds under `worker.X.` is under `V.`, so it is copied again, one level
 *   deeper, without end: the map grows until an allocation fails ("Error in string allocation for
 *   attribute …" or "Error when adding attribute …", then "Reference '<V>.' not found"), or a crash
 *   (jk_map_add keeps a name jk_pool_strdup could not copy as NULL, the scan's strncmp reads it).
 * A failure stops mod_jk (mod_jk.c init_jk: "Error in resolving configuration references", httpd
 * does not start). Here the first is returned and the resolution goes on, for the other checks, in a
 * way that ends: past depth 20 a call copies nothing more below; a copy takes the keys under the
 * template as they are when it starts, not those it adds; a worker under its own template gets the
 * template's keys but its own (those under `worker.X.`); the scan goes on to the references written
 * in the file, not those copied.
 */
function resolveReferences(props: Map<string, Setting>, path: string, budget: InheritBudget): ReferenceFailure | undefined {
  // The keys under each target are indexed once, where a scan of every key per reference made 8,000
  // workers of one template take over a minute; the copies are made in the order the scan makes them.
  const under = keysUnder(props.keys(), refTargets(props.entries()));
  let failure: ReferenceFailure | undefined;
  /** The references being followed, from the one at depth 1. */
  const chain: Setting[] = [];

  /** jk_map_inherit_properties(from = `${target}.`, to = `${prefix}.`), for `ref` (= `${prefix}.reference`). */
  const inherit = (target: string, prefix: string, ref: Setting): void => {
    const keys = under.of(target);
    if (keys.length === 0) {
      if (!failure) {
        failure = { kind: 'not-found', chain: [...chain], from: `${target}.` };
        const meant = meantTarget(props.keys(), target);
        if (meant !== undefined) failure.meant = meant;
      }
      return;
    }
    const grows = prefix !== target && `${prefix}.`.startsWith(`${target}.`);
    if (grows) failure ??= { kind: 'grows', chain: [...chain], from: `${target}.` };
    // Until a failure, to the end of the keys as it moves, as mod_jk. From the first on (mod_jk has
    // stopped), the keys under the target now, and for a worker under its own template not its own.
    const n = failure ? keys.length : Infinity;
    for (let i = 0; i < keys.length && i < n; i++) {
      const k = keys[i]!;
      // Counted before the copy is made (memory stays bounded however many the references would
      // add), and when none is made (the time a loop of templates takes stays bounded too).
      if (--budget.left < 0)
        throw new ConfigError(`${path}:${ref.line}: ${ref.key}=${ref.value}: resolving the references goes through more than ${budget.limit.toLocaleString('en-US')} inherited settings (templates of many keys, referenced by many workers or in a loop): ajp-inspect goes through that many at most in one run`);
      if (grows && k.startsWith(`${prefix}.`)) continue;
      const to = `${prefix}.${k.slice(target.length + 1)}`;
      if (props.has(to)) continue;
      const from = props.get(k)!;
      props.set(to, { path: from.path, line: from.line, key: from.key, value: from.value, via: target });
      under.add(to);
    }
  };

  /** jk_map_resolve_references(m, prefix, 0, depth): the reference `${prefix}.reference`, if any. */
  const follow = (prefix: string, depth: number): void => {
    if (depth > MAX_REFERENCE_DEPTH) {
      if (!failure) {
        const again = chain.findIndex((r, i) => chain.indexOf(r) < i);
        failure = { kind: 'recursion', chain: again < 0 ? [...chain] : chain.slice(0, again), loop: again >= 0, prefix };
      }
      return;
    }
    const ref = props.get(`${prefix}.reference`);
    // (an empty value is no reference: jk_map.c skips it, `v && *v`)
    if (!ref || ref.value === '') return;
    chain.push(ref);
    follow(ref.value, depth + 1);
    inherit(ref.value, prefix, ref);
    chain.pop();
  };

  // A Map's iteration visits the keys added while it runs, as the scan of m->size does; from the
  // first failure on, only the references written in the file.
  const written = props.size;
  let i = 0;
  for (const [k, ref] of props) {
    if (failure && i >= written) break;
    i++;
    if (!k.startsWith('worker.') || k.length < 'worker..reference'.length || !k.endsWith('.reference') || ref.value === '') continue;
    chain.push(ref);
    follow(ref.value, 2);
    inherit(ref.value, k.slice(0, -'.reference'.length), ref);
    chain.pop();
  }
  return failure;
}

/**
 * Reads the properties text of one workers file into its workers, list and mounts. `budget`: the
 * settings references may still go through (MAX_INHERITED_SETTINGS by default); past it a ConfigError.
 */
export function parseWorkers(text: string, path: string, budget: InheritBudget = { limit: MAX_INHERITED_SETTINGS, left: MAX_INHERITED_SETTINGS }): { file: JkWorkersFile; mounts: JkMount[] } {
  const props = new Map<string, Setting>();
  const entries: Setting[] = [];
  for (const e of parseProperties(text, false)) {
    // A '#' starts a comment anywhere in the line (jk_map.c jk_map_read_properties: trim_prp_comment
    // cuts each line at its first '#', then jk_map_read_property trims what is left).
    const hash = e.value.indexOf('#');
    const written = hash < 0 ? e.value : e.value.slice(0, hash).trimEnd();
    // $(name): a property defined before (jk_map_replace_properties; mod_jk then tries the environment, unknown here), else left as written.
    const value = written.replace(/\$\(([^)]+)\)/g, (m, name: string) => props.get(name)?.value ?? m);
    const s: Setting = { path, line: e.line, key: e.key, value };
    entries.push(s);
    // An empty value sets nothing, not even the key (jk_map_read_property: `if (trim(v) && trim(prp))`,
    // trim of an empty string is 0): no key of a template, no reference, no earlier value replaced.
    if (written === '') continue;
    const prev = props.get(e.key);
    if (prev && LIST_KEYS.has(directiveOf(e.key)) && prev.value !== '') props.set(e.key, { ...prev, value: `${prev.value},${value}` });
    else props.set(e.key, s);
  }
  const referenceFailure = resolveReferences(props, path, budget);

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
