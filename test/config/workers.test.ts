import { describe, expect, it } from 'vitest';
import { ConfigError, MAX_INHERITED_SETTINGS, parseProperties, parseWorkers, readConfigs, type JkMount, type JkWorker, type Setting } from '../../src/config/index.js';
import { memFiles } from '../rules/config-harness.js';
import { int, pick, rng, type Rng } from '../fuzz/mutate.js';

/**
 * parseWorkers as it was before references were indexed (a scan of a copy of every key per
 * reference, `list.includes` per worker): the semantics the indexed one keeps, byte for byte.
 */
function parseWorkersByScan(text: string, path: string): { workers: Map<string, JkWorker>; globals: Map<string, Setting>; entries: Setting[]; list: string[]; mounts: JkMount[] } {
  const LIST_KEYS = new Set(['list', 'balance_workers', 'balanced_workers', 'mount', 'user', 'good', 'bad', 'fail_on_status']);
  const directiveOf = (key: string): string => key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  const props = new Map<string, Setting>();
  const entries: Setting[] = [];
  for (const e of parseProperties(text, false)) {
    const value = e.value.replace(/\$\(([^)]+)\)/g, (m, name: string) => props.get(name)?.value ?? m);
    const s: Setting = { path, line: e.line, key: e.key, value };
    entries.push(s);
    const prev = props.get(e.key);
    if (prev && LIST_KEYS.has(directiveOf(e.key)) && prev.value !== '') props.set(e.key, { ...prev, value: `${prev.value},${value}` });
    else props.set(e.key, s);
  }
  const resolve = (prefix: string, depth: number): void => {
    const ref = props.get(`${prefix}.reference`);
    if (!ref || depth > 20) return;
    const target = ref.value.replace(/\.$/, '');
    resolve(target, depth + 1);
    for (const [k, s] of [...props]) {
      if (!k.startsWith(target + '.')) continue;
      const d = k.slice(target.length + 1);
      if (d === 'reference' || props.has(`${prefix}.${d}`)) continue;
      props.set(`${prefix}.${d}`, { ...s, via: target });
    }
  };
  const prefixes = new Set<string>();
  for (const k of props.keys()) if (k.startsWith('worker.') && k.lastIndexOf('.') > 'worker.'.length) prefixes.add(k.slice(0, k.lastIndexOf('.')));
  for (const p of prefixes) resolve(p, 0);
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
  return { workers, globals, entries, list, mounts };
}

/**
 * A workers.properties of few names, so that references meet: chains, loops, a worker naming
 * itself, templates with sub-keys (`worker.t.sub.port`) and a sub-key reference, a reference with
 * the trailing dot, to an unknown prefix, to `worker` or to the empty prefix, keys starting with a dot,
 * repeated keys and list keys.
 */
function randomWorkers(r: Rng): string {
  const names = ['a', 'b', 'c', 't', 't.sub', 'a.b', 'x'];
  // `sub` and `b`: keys that are a target themselves (worker.t.sub, worker.a.b), with nothing after
  const directives = ['type', 'host', 'port', 'socket_timeout', 'mount', 'balance_workers', 'sub.port', 'sub', 'b'];
  const targets = [...names.map((n) => `worker.${n}`), 'worker.t.', 'worker.nowhere', 'worker', '', 'worker.a..', '.'];
  const lines: string[] = [];
  for (let i = int(r, 30); i >= 0; i--) {
    const k = int(r, 20);
    if (k === 0) lines.push(`worker.list=${[...Array(1 + int(r, 3))].map(() => pick(r, names)).join(',')}`);
    else if (k === 1) lines.push(`.${pick(r, names)}.port=${int(r, 9999)}`);
    else if (k === 2) lines.push(`worker.maintain=${int(r, 100)}`);
    else if (k < 9) lines.push(`worker.${pick(r, names)}.${pick(r, ['reference', 'reference', 'sub.reference'])}=${pick(r, targets)}`);
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
  it('the same workers, settings (with via and their order), globals, list and mounts as a scan of every key per reference, on 200 random files', () => {
    const r = rng(20240611);
    let referenced = 0;
    for (let run = 0; run < 200; run++) {
      const text = randomWorkers(r);
      const got = parseWorkers(text, 'w.properties');
      const want = parseWorkersByScan(text, 'w.properties');
      expect(view(got.file.workers), text).toEqual(view(want.workers));
      expect([...got.file.globals], text).toEqual([...want.globals]);
      expect(got.file.entries).toEqual(want.entries);
      expect(got.file.list).toEqual(want.list);
      expect(got.mounts, text).toEqual(want.mounts);
      for (const w of got.file.workers.values()) for (const s of w.settings.values()) if (s.via !== undefined) referenced++;
    }
    // the files do exercise references (inherited settings in most of them)
    expect(referenced).toBeGreaterThan(5000);
  });

  it('a chain of 25 references stops at 20 levels (jk_map.c JK_MAP_RECURSION), a loop ends', () => {
    const chain = [...Array(25).keys()].map((i) => `worker.c${i}.reference=worker.c${i + 1}`).join('\n') + '\nworker.c25.port=1\nworker.l1.reference=worker.l2\nworker.l2.reference=worker.l1\nworker.l2.host=h\n';
    const { file } = parseWorkers(chain, 'w.properties');
    // resolving stops past depth 20 (MAX_REFERENCE_DEPTH): c4 reaches c25 through c24 resolved at
    // depth 20; c3 stops at c24 (depth 21), which has not copied c25's keys yet
    const withPort = (ws: Map<string, JkWorker>): number[] => [...Array(26).keys()].filter((i) => ws.get(`c${i}`)?.settings.has('port'));
    expect(withPort(file.workers)).toEqual([...Array(22).keys()].map((i) => i + 4));
    expect(withPort(file.workers)).toEqual(withPort(parseWorkersByScan(chain, 'w.properties').workers));
    expect(file.workers.get('l1')!.settings.get('host')).toMatchObject({ value: 'h', via: 'worker.l2' });
    // mod_jk refuses the file (jk_map.c: "Recursion limit 20 … reached"): the chain, first met, is recorded
    expect(file.referenceFailure?.loop).toBe(false);
    expect(file.referenceFailure?.prefix).toBe('worker.c20');
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
    expect(deep).toMatchObject({ loop: false, prefix: 'worker.n20' });
    expect(deep!.chain).toHaveLength(20);
    expect(deep!.chain[0]).toMatchObject({ key: 'worker.n0.reference', line: 4 });

    // a loop of two templates, reached from a worker: the chain until it comes round
    const loop = 'worker.list=app\nworker.app.reference=worker.tmpl_a\nworker.app.host=10.0.0.5\nworker.tmpl_a.reference=worker.tmpl_b\nworker.tmpl_a.port=8009\nworker.tmpl_b.reference=worker.tmpl_a\nworker.tmpl_b.socket_timeout=10\n';
    const l = parseWorkers(loop, 'workers.properties').file;
    expect(l.referenceFailure?.loop).toBe(true);
    expect(l.referenceFailure?.chain.map((r) => `${r.key}=${r.value}`)).toEqual(['worker.app.reference=worker.tmpl_a', 'worker.tmpl_a.reference=worker.tmpl_b', 'worker.tmpl_b.reference=worker.tmpl_a']);
    // the settings are resolved as before (the other checks still read them)
    expect(l.workers.get('app')!.settings.get('port')).toMatchObject({ value: '8009', via: 'worker.tmpl_a' });
    // a worker naming itself
    expect(parseWorkers('worker.w.reference=worker.w\nworker.w.port=1\n', 'workers.properties').file.referenceFailure).toMatchObject({ loop: true, prefix: 'worker.w', chain: [{ line: 1 }] });
    // ordinary templates: nothing
    expect(parseWorkers('worker.t.port=8009\nworker.a.reference=worker.t\nworker.b.reference=worker.a\n', 'workers.properties').file.referenceFailure).toBeUndefined();
  });

  it('a worker under its own template (worker.t.sub.reference=worker.t) copies the template once, not what it copies under it', () => {
    const text = 'worker.t.port=1\nworker.t.sub.reference=worker.t\nworker.t.host=h\n';
    const { file } = parseWorkers(text, 'w.properties');
    const settings = (name: string): string[] => [...file.workers.get(name)!.settings].map(([k, s]) => `${k}=${s.value}${s.via === undefined ? '' : ` via ${s.via}`}`);
    expect(settings('t.sub')).toEqual(['reference=worker.t', 'port=1 via worker.t', 'host=h via worker.t']);
    // worker.t.sub.reference is under worker.t too: copied as worker.t.sub.sub.reference, and no further
    expect([...file.workers.keys()]).toEqual(['t', 't.sub', 't.sub.sub']);
    expect(settings('t.sub.sub')).toEqual(['reference=worker.t via worker.t']);
    expect(view(file.workers)).toEqual(view(parseWorkersByScan(text, 'w.properties').workers));
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
