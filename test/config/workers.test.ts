import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, MAX_INHERITED_SETTINGS, parseProperties, parseWorkers, readConfigs, type JkMount, type JkWorker, type Setting } from '../../src/config/index.js';
import { memFiles } from '../rules/config-harness.js';
import { int, pick, rng, type Rng } from '../fuzz/mutate.js';

/**
 * parseWorkers with the references resolved by a plain scan of the map, step by step as
 * tomcat-connectors native/common/jk_map.c jk_map_resolve_references / jk_map_inherit_properties
 * (1.2.27–1.2.50) do: the names in an array scanned to its current end, each copy appended to it,
 * every comparison a prefix test; then the workers, `list.includes` per worker. The semantics the
 * indexed one keeps, byte for byte, and the first failure it reports. After a failure (mod_jk stops)
 * it goes on as parseWorkers does: each copy takes the keys under the template as they are when it
 * starts, but those of a worker under its own template, and only the references of the file.
 */
function parseWorkersByScan(text: string, path: string): { workers: Map<string, JkWorker>; globals: Map<string, Setting>; entries: Setting[]; list: string[]; mounts: JkMount[]; failure?: { kind: string; at: string; lines: number[] } } {
  const LIST_KEYS = new Set(['list', 'balance_workers', 'balanced_workers', 'mount', 'user', 'good', 'bad', 'fail_on_status']);
  const directiveOf = (key: string): string => key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  const props = new Map<string, Setting>();
  const entries: Setting[] = [];
  for (const e of parseProperties(text, false)) {
    const written = e.value.split('#')[0]!.trimEnd();
    const value = written.replace(/\$\(([^)]+)\)/g, (m, name: string) => props.get(name)?.value ?? m);
    const s: Setting = { path, line: e.line, key: e.key, value };
    entries.push(s);
    if (written === '') continue;
    const prev = props.get(e.key);
    if (prev && LIST_KEYS.has(directiveOf(e.key)) && prev.value !== '') props.set(e.key, { ...prev, value: `${prev.value},${value}` });
    else props.set(e.key, s);
  }
  const names = [...props.keys()];
  let failure: { kind: string; at: string; lines: number[] } | undefined;
  const stack: Setting[] = [];
  const fail = (kind: string, at: string): void => {
    failure ??= { kind, at, lines: stack.map((r) => r.line) };
  };
  // jk_map_inherit_properties(m, from, to): from and to end with a dot
  const inherit = (from: string, to: string): void => {
    const grows = to !== from && to.startsWith(from);
    if (grows) fail('grows', from);
    const end = failure ? names.length : Infinity;
    let found = false;
    for (let i = 0; i < names.length && i < end; i++) {
      const n = names[i]!;
      if (!n.startsWith(from)) continue;
      found = true;
      if (grows && n.startsWith(to)) continue;
      const key = to + n.slice(from.length);
      if (props.has(key)) continue;
      props.set(key, { ...props.get(n)!, via: from.slice(0, -1) });
      names.push(key);
    }
    if (!found) fail('not-found', from);
  };
  // jk_map_resolve_references(m, prefix, 0, depth)
  const follow = (prefix: string, depth: number): void => {
    if (depth > 20) {
      const again = stack.findIndex((r, i) => stack.indexOf(r) < i);
      if (!failure) failure = { kind: 'recursion', at: prefix, lines: (again < 0 ? stack : stack.slice(0, again)).map((r) => r.line) };
      return;
    }
    for (let i = 0; i < names.length; i++) {
      const n = names[i]!;
      const ref = props.get(n)!;
      if (n !== `${prefix}.reference` || ref.value === '') continue;
      stack.push(ref);
      follow(ref.value, depth + 1);
      inherit(`${ref.value}.`, `${prefix}.`);
      stack.pop();
    }
  };
  // jk_map_resolve_references(m, "worker.", 1, 1); after a failure, the references of the file only
  const written = names.length;
  for (let i = 0; i < names.length && !(failure && i >= written); i++) {
    const n = names[i]!;
    const ref = props.get(n)!;
    if (!n.startsWith('worker.') || n.length - 'worker.'.length < '.reference'.length || !n.endsWith('.reference') || ref.value === '') continue;
    stack.push(ref);
    follow(ref.value, 2);
    inherit(`${ref.value}.`, n.slice(0, -'reference'.length));
    stack.pop();
  }
  const list = (props.get('worker.list')?.value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
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
      w = { name, type: 'ajp13', path, line: s.line, settings: new Map(), members: [], listed: list.includes(name) };
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
  return { workers, globals, entries, list, mounts, ...(failure ? { failure } : {}) };
}

/**
 * A workers.properties of few names, so that references meet: chains, loops, a worker naming
 * itself, templates with sub-keys (`worker.t.sub.port`) and a sub-key reference, a reference with
 * the trailing dot, to an unknown prefix, to `worker` or to the empty prefix, keys starting with a dot,
 * repeated keys and list keys. `good`: fewer references, each to a worker of the names (mostly files
 * mod_jk accepts).
 */
function randomWorkers(r: Rng, good = false): string {
  const names = ['a', 'b', 'c', 't', 't.sub', 'a.b', 'x'];
  // `sub` and `b`: keys that are a target themselves (worker.t.sub, worker.a.b), with nothing after
  const directives = ['type', 'host', 'port', 'socket_timeout', 'mount', 'balance_workers', 'sub.port', 'sub', 'b'];
  const targets = good ? names.map((n) => `worker.${n}`) : [...names.map((n) => `worker.${n}`), 'worker.t.', 'worker.nowhere', 'worker', '', 'worker.a..', '.'];
  const lines: string[] = [];
  for (let i = int(r, 30); i >= 0; i--) {
    const k = int(r, 20);
    if (k === 0) lines.push(`worker.list=${[...Array(1 + int(r, 3))].map(() => pick(r, names)).join(',')}`);
    else if (k === 1) lines.push(`.${pick(r, names)}.port=${int(r, 9999)}`);
    else if (k === 2) lines.push(`worker.maintain=${int(r, 100)}`);
    else if (k < (good ? 5 : 9)) lines.push(`worker.${pick(r, names)}.${pick(r, ['reference', 'reference', 'sub.reference'])}=${pick(r, targets)}`);
    else {
      const d = pick(r, directives);
      const v = d === 'mount' ? `/${pick(r, names)}/*` : d === 'balance_workers' ? pick(r, names) : String(int(r, 100));
      lines.push(`worker.${pick(r, names)}.${d}=${v}`);
    }
  }
  return lines.join('\n') + '\n';
}

const view = (ws: Map<string, JkWorker>): unknown => [...ws.values()].map((w) => ({ ...w, settings: [...w.settings] }));

describe('parseWorkers: reference and worker.list, linear', () => {
  it('the same workers, settings (with via and their order), globals, list, mounts and first failure as a scan of the map as jk_map.c makes it, on 600 random files', () => {
    const r = rng(20240611);
    let referenced = 0;
    // files mod_jk accepts, and what they inherit: where the resolution is mod_jk's to the end
    let clean = 0;
    let cleanReferenced = 0;
    const failures = new Map<string, number>();
    for (let run = 0; run < 600; run++) {
      // 200 files of every kind of target, then 400 of fewer references, to workers of the file
      const text = randomWorkers(r, run >= 200);
      const got = parseWorkers(text, 'w.properties');
      const want = parseWorkersByScan(text, 'w.properties');
      expect(view(got.file.workers), text).toEqual(view(want.workers));
      expect([...got.file.globals], text).toEqual([...want.globals]);
      expect(got.file.entries).toEqual(want.entries);
      expect(got.file.list).toEqual(want.list);
      expect(got.mounts, text).toEqual(want.mounts);
      const f = got.file.referenceFailure;
      expect(f && { kind: f.kind, at: f.kind === 'recursion' ? f.prefix : f.from, lines: f.chain.map((x) => x.line) }, text).toEqual(want.failure);
      if (f) failures.set(f.kind, (failures.get(f.kind) ?? 0) + 1);
      let n = 0;
      for (const w of got.file.workers.values()) for (const s of w.settings.values()) if (s.via !== undefined) n++;
      referenced += n;
      if (!f) {
        clean++;
        cleanReferenced += n;
      }
    }
    // the files do exercise references (inherited settings in most of them) and each failure
    expect(referenced).toBeGreaterThan(3000);
    expect(clean).toBeGreaterThan(200);
    expect(cleanReferenced).toBeGreaterThan(600);
    expect([...failures.keys()].sort()).toEqual(['grows', 'not-found', 'recursion']);
  });

  it('a chain of 25 references stops at 20 levels (jk_map.c JK_MAP_RECURSION), a loop ends', () => {
    const chain = [...Array(25).keys()].map((i) => `worker.c${i}.reference=worker.c${i + 1}`).join('\n') + '\nworker.c25.port=1\nworker.l1.reference=worker.l2\nworker.l2.reference=worker.l1\nworker.l2.host=h\n';
    const { file } = parseWorkers(chain, 'w.properties');
    // Resolving goes on past mod_jk's failure, for the other checks, and stops past depth 20 (the
    // reference met in the scan at depth 1): c5 is the first whose chain gets c25's keys into c24,
    // at depth 20, before c24 passes them up; c0 to c4 were resolved before, when c24 had none.
    const withPort = (ws: Map<string, JkWorker>): number[] => [...Array(26).keys()].filter((i) => ws.get(`c${i}`)?.settings.has('port'));
    expect(withPort(file.workers)).toEqual([...Array(21).keys()].map((i) => i + 5));
    expect(withPort(file.workers)).toEqual(withPort(parseWorkersByScan(chain, 'w.properties').workers));
    expect(file.workers.get('l1')!.settings.get('host')).toMatchObject({ value: 'h', via: 'worker.l2' });
    // mod_jk refuses the file (jk_map.c: "Recursion limit 20 … reached"): the chain, first met, is recorded
    expect(file.referenceFailure).toMatchObject({ kind: 'recursion', loop: false, prefix: 'worker.c20' });
    expect(file.referenceFailure?.chain.map((r) => r.line)).toEqual([...Array(20).keys()].map((i) => i + 1));
  });

  it('mod_jk refuses a loop and a chain of 20 references, not one of 19 (jk_map.c jk_map_resolve_references, JK_MAP_RECURSION)', () => {
    const chain = (hops: number): string => ['worker.list=lb', 'worker.lb.type=lb', 'worker.lb.balance_workers=n0', ...[...Array(hops).keys()].map((i) => `worker.n${i}.reference=worker.n${i + 1}`), `worker.n${hops}.port=8009`].join('\n') + '\n';
    // 19 hops: mod_jk's last call is at depth 20, allowed
    const ok = parseWorkers(chain(19), 'workers.properties').file;
    expect(ok.referenceFailure).toBeUndefined();
    expect(ok.workers.get('n0')!.settings.get('port')).toMatchObject({ value: '8009', via: 'worker.n1' });
    // 20 hops: the call for worker.n20 is at depth 21
    const deep = parseWorkers(chain(20), 'workers.properties').file.referenceFailure;
    expect(deep).toMatchObject({ kind: 'recursion', loop: false, prefix: 'worker.n20' });
    expect(deep!.chain).toHaveLength(20);
    expect(deep!.chain[0]).toMatchObject({ key: 'worker.n0.reference', line: 4 });

    // a loop of two templates, reached from a worker: the chain until it comes round
    const loop = 'worker.list=app\nworker.app.reference=worker.tmpl_a\nworker.app.host=10.0.0.5\nworker.tmpl_a.reference=worker.tmpl_b\nworker.tmpl_a.port=8009\nworker.tmpl_b.reference=worker.tmpl_a\nworker.tmpl_b.socket_timeout=10\n';
    const l = parseWorkers(loop, 'workers.properties').file;
    expect(l.referenceFailure).toMatchObject({ kind: 'recursion', loop: true });
    expect(l.referenceFailure?.chain.map((r) => `${r.key}=${r.value}`)).toEqual(['worker.app.reference=worker.tmpl_a', 'worker.tmpl_a.reference=worker.tmpl_b', 'worker.tmpl_b.reference=worker.tmpl_a']);
    // the settings are resolved as before (the other checks still read them)
    expect(l.workers.get('app')!.settings.get('port')).toMatchObject({ value: '8009', via: 'worker.tmpl_a' });
    // a worker naming itself
    expect(parseWorkers('worker.w.reference=worker.w\nworker.w.port=1\n', 'workers.properties').file.referenceFailure).toMatchObject({ kind: 'recursion', loop: true, prefix: 'worker.w', chain: [{ line: 1 }] });
    // ordinary templates: nothing
    expect(parseWorkers('worker.t.port=8009\nworker.a.reference=worker.t\nworker.b.reference=worker.a\n', 'workers.properties').file.referenceFailure).toBeUndefined();
  });

  // What mod_jk does in each case below was read in jk_map.c (1.2.27–1.2.50; HEAD at 1.2.50+) and
  // checked against that file built alone, fed the same lines: the messages quoted are its output.
  it('a template with no key: "Reference \'worker.tmpl.\' not found" (jk_map_inherit_properties), the first failure of the scan', () => {
    const f = parseWorkers('worker.list=a\nworker.a.port=1\nworker.a.reference=worker.tmpl\n', 'w.properties').file.referenceFailure;
    expect(f).toEqual({ kind: 'not-found', from: 'worker.tmpl.', chain: [{ path: 'w.properties', line: 3, key: 'worker.a.reference', value: 'worker.tmpl' }] });
    // in a chain: worker.t only references worker.u, which has no key ("Reference 'worker.u.' not found")
    expect(parseWorkers('worker.a.reference=worker.t\nworker.t.reference=worker.u\nworker.t.port=1\n', 'w.properties').file.referenceFailure).toMatchObject({ kind: 'not-found', from: 'worker.u.', chain: [{ line: 1 }, { line: 2 }] });
    // a template whose only key is its own reference (to one that exists) is found: that key is under worker.t.
    const only = parseWorkers('worker.t.reference=worker.u\nworker.u.port=1\nworker.a.reference=worker.t\n', 'w.properties').file;
    expect(only.referenceFailure).toBeUndefined();
    expect(only.workers.get('a')!.settings.get('port')).toMatchObject({ value: '1', via: 'worker.t' });
    // the first in the map's order: a missing template before a loop, and a loop before it
    expect(parseWorkers('worker.a.reference=worker.zz\nworker.b.reference=worker.b\n', 'w.properties').file.referenceFailure).toMatchObject({ kind: 'not-found', from: 'worker.zz.' });
    expect(parseWorkers('worker.b.reference=worker.b\nworker.a.reference=worker.zz\n', 'w.properties').file.referenceFailure).toMatchObject({ kind: 'recursion', prefix: 'worker.b' });
    // the case counts (strncmp); what the value probably meant is kept
    expect(parseWorkers('worker.Template.port=1\nworker.a.reference=worker.template\n', 'w.properties').file.referenceFailure).toMatchObject({ kind: 'not-found', from: 'worker.template.', meant: { prefix: 'worker.Template', by: 'case' } });
  });

  it('any prefix can be a template, worker. or not (ivanOKman/troubleshooting: reference=worker-template)', () => {
    // https://github.com/ivanOKman/troubleshooting/blob/d9079af09148367f6567f45cd8305d0077e7633f/workers.properties
    const text = readFileSync(fileURLToPath(new URL('../fixtures/configs/real/ivanokman-troubleshooting/workers.properties', import.meta.url)), 'utf8');
    const { file } = parseWorkers(text, 'workers.properties');
    expect(file.referenceFailure).toBeUndefined();
    expect(file.workers.get('tomcat-worker')!.settings.get('ping_mode')).toMatchObject({ value: 'A', via: 'worker-template' });
  });

  it('a trailing dot: mod_jk appends its own and looks under worker.tmpl.. ("Reference \'worker.tmpl..\' not found"), copying nothing', () => {
    const text = 'worker.tmpl.port=8009\nworker.a.host=h\nworker.a.reference=worker.tmpl.\n';
    const { file } = parseWorkers(text, 'w.properties');
    expect(file.referenceFailure).toMatchObject({ kind: 'not-found', from: 'worker.tmpl..', meant: { prefix: 'worker.tmpl', by: 'dots' }, chain: [{ line: 3 }] });
    expect(file.workers.get('a')!.settings.has('port')).toBe(false);
    // keys written under worker.tmpl.. are what it names
    const dotted = parseWorkers('worker.tmpl..port=8009\nworker.a.reference=worker.tmpl.\n', 'w.properties').file;
    expect(dotted.referenceFailure).toBeUndefined();
    expect(dotted.workers.get('a')!.settings.get('port')).toMatchObject({ value: '8009', via: 'worker.tmpl.' });
  });

  it('read as jk_map.c reads a line: a \'#\' starts a comment anywhere, an empty value sets nothing', () => {
    // jk_map_read_properties cuts the line at '#' (trim_prp_comment): the template is found
    const commented = parseWorkers('worker.tmpl.port=8009 # AJP\nworker.a.reference=worker.tmpl # the template\n', 'w.properties').file;
    expect(commented.referenceFailure).toBeUndefined();
    expect(commented.workers.get('a')!.settings.get('port')).toMatchObject({ value: '8009', via: 'worker.tmpl' });
    // jk_map_read_property stores no empty value: a template of empty keys has none ("Reference 'worker.t.' not found")
    expect(parseWorkers('worker.t.port=\nworker.t.host=# none yet\nworker.a.reference=worker.t\n', 'w.properties').file.referenceFailure).toMatchObject({ kind: 'not-found', from: 'worker.t.' });
    // nor does it replace an earlier value, or clear a reference
    const kept = parseWorkers('worker.t.port=8009\nworker.a.reference=worker.t\nworker.a.host=h\nworker.a.host=\nworker.a.reference=\n', 'w.properties').file;
    expect(kept.workers.get('a')!.settings.get('host')).toMatchObject({ value: 'h', line: 3 });
    expect(kept.workers.get('a')!.settings.get('port')).toMatchObject({ value: '8009', via: 'worker.t' });
    // every line is still an entry, as written but the comment (the checks of removed directives read them)
    expect(kept.entries.map((e) => e.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a worker under its own template (worker.t.sub.reference=worker.t): mod_jk copies without end; here the template once, not the worker\'s own keys', () => {
    const text = 'worker.t.port=1\nworker.t.sub.reference=worker.t\nworker.t.host=h\n';
    const { file } = parseWorkers(text, 'w.properties');
    expect(file.referenceFailure).toEqual({ kind: 'grows', from: 'worker.t.', chain: [{ path: 'w.properties', line: 2, key: 'worker.t.sub.reference', value: 'worker.t' }] });
    const settings = (name: string): string[] => [...file.workers.get(name)!.settings].map(([k, s]) => `${k}=${s.value}${s.via === undefined ? '' : ` via ${s.via}`}`);
    expect(settings('t.sub')).toEqual(['reference=worker.t', 'port=1 via worker.t', 'host=h via worker.t']);
    // worker.t.sub.reference is not copied as worker.t.sub.sub.reference (mod_jk's next step, and so on)
    expect([...file.workers.keys()]).toEqual(['t', 't.sub']);
    expect(view(file.workers)).toEqual(view(parseWorkersByScan(text, 'w.properties').workers));
    // reference=worker: every worker.* key is under worker.
    expect(parseWorkers('worker.a.port=1\nworker.b.reference=worker\n', 'w.properties').file.referenceFailure).toMatchObject({ kind: 'grows', from: 'worker.' });
    // the other way round, a worker referencing a worker under it, ends: the copies go up a level
    const child = parseWorkers('worker.x.reference=worker.x.s\nworker.x.s.s.port=1\n', 'w.properties').file;
    expect(child.referenceFailure).toBeUndefined();
    // the scan reaches the keys it adds: worker.x.s.s.port → worker.x.s.port → worker.x.port
    expect(child.workers.get('x')!.settings.get('port')).toMatchObject({ value: '1', via: 'worker.x.s' });
  });

  it('4,000 workers of one template, 60,000 listed workers: well under a second each (were 11 s and 6 s)', () => {
    const tmpl = ['worker.tmpl.type=ajp13', 'worker.tmpl.port=8009', 'worker.tmpl.socket_timeout=10', 'worker.tmpl.connection_pool_timeout=600', 'worker.tmpl.ping_mode=A'];
    const refs = [...tmpl];
    for (let i = 0; i < 4000; i++) refs.push(`worker.w${i}.reference=worker.tmpl`, `worker.w${i}.host=10.0.${(i >> 8) & 255}.${i & 255}`);
    let t = performance.now();
    const { file } = parseWorkers(refs.join('\n') + '\n', 'w.properties');
    const refMs = performance.now() - t;
    expect(file.workers.get('w3999')!.settings.get('connection_pool_timeout')).toMatchObject({ value: '600', via: 'worker.tmpl' });

    const many = [`worker.list=${[...Array(60_000).keys()].map((i) => `w${i}`).join(',')}`];
    for (let i = 0; i < 60_000; i++) many.push(`worker.w${i}.port=8009`);
    t = performance.now();
    const listed = parseWorkers(many.join('\n') + '\n', 'w.properties').file;
    const listMs = performance.now() - t;
    expect([...listed.workers.values()].every((w) => w.listed)).toBe(true);
    expect({ refMs: refMs < 1500, listMs: listMs < 1500 }).toEqual({ refMs: true, listMs: true });
  }, 20_000);
});

describe('parseWorkers: what references copy is bounded (MAX_INHERITED_SETTINGS, issue 14)', () => {
  /** A template of `keys` settings referenced by `workers` workers: keys × workers settings copied. */
  const fanOut = (keys: number, workers: number): string => {
    const lines = [...Array(keys).keys()].map((i) => `worker.tmpl.k${i}=${i}`);
    for (let w = 0; w < workers; w++) lines.push(`worker.w${w}.reference=worker.tmpl`);
    return lines.join('\n') + '\n';
  };

  it('past the bound: a one-line ConfigError naming the file, line and reference, before the copies are made', () => {
    // 20 keys × 10 workers = 200 copies; a bound of 150 stops at the 8th worker (line 20 + 8)
    const budget = { limit: 150, left: 150 };
    let err: unknown;
    try {
      parseWorkers(fanOut(20, 10), 'conf/workers.properties', budget);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe('conf/workers.properties:28: worker.w7.reference=worker.tmpl: resolving the references goes through more than 150 inherited settings (templates of many keys, referenced by many workers or in a loop): ajp-inspect goes through that many at most in one run');
    expect(budget.left).toBe(-1);
  });

  it('up to the bound: every copy made, the budget spent', () => {
    const budget = { limit: 200, left: 200 };
    const { file } = parseWorkers(fanOut(20, 10), 'w.properties', budget);
    expect(file.workers.get('w9')!.settings.get('k19')).toMatchObject({ value: '19', via: 'worker.tmpl' });
    expect(budget.left).toBe(0);
    // the default is MAX_INHERITED_SETTINGS, a million: far above what a real file copies
    expect(MAX_INHERITED_SETTINGS).toBe(1_048_576);
  });

  it('one bound for all the workers files of a run (readConfigs): two files under it each, over it together', () => {
    const a = { path: '/c/a/workers.properties', text: fanOut(20, 6) };
    const b = { path: '/c/b/workers.properties', text: fanOut(20, 6) };
    expect(readConfigs([a], memFiles({}), { maxInherited: 200 }).workers).toHaveLength(1);
    expect(() => readConfigs([a, b], memFiles({}), { maxInherited: 200 })).toThrow(/^\/c\/b\/workers\.properties:25: worker\.w4\.reference=worker\.tmpl: resolving the references goes through more than 200 inherited settings/);
  });

  it('the settings found set already count too: a loop of two templates is gone through 20 times, copying nothing after the first', () => {
    const keys = (t: string): string[] => [...Array(10).keys()].map((i) => `worker.${t}.${t}k${i}=${i}`);
    const text = [...keys('t1'), ...keys('t2'), 'worker.t1.reference=worker.t2', 'worker.t2.reference=worker.t1', 'worker.w.reference=worker.t1'].join('\n') + '\n';
    // 20 settings copied into each template and the worker, but ~20 levels of 20 gone through each
    const budget = { limit: 100_000, left: 100_000 };
    const { file } = parseWorkers(text, 'w.properties', budget);
    expect(file.workers.get('w')!.settings.size).toBe(21);
    expect(100_000 - budget.left).toBeGreaterThan(20 * 20 * 3);
    expect(() => parseWorkers(text, 'w.properties', { limit: 200, left: 200 })).toThrow(/^w\.properties:\d+: worker\.t\d\.reference=worker\.t\d: resolving the references goes through more than 200 inherited settings/);
  });
});
