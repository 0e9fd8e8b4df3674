/**
 * Request body decoding and checks, following what httpd's mod_manager does rather than what a
 * generic form decoder would do.
 */
import { ALL_GENERATIONS, APP_METHODS, PING_KEYS, PING_SCHEMES, STATUS_KEYS, limitsFor } from './methods.js';
import type { McmpParam, ParamProblem, ServerGeneration } from './types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function bytesToText(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

export interface Decoded {
  text: string;
  badEscape: boolean;
}

/**
 * `%XX` decoding only, as mod_manager's `decodeenc`: `+` is NOT turned into a space, so the Java
 * URLEncoder's `+` for a space reaches httpd's tables as a literal `+`.
 */
export function decodePercent(raw: string, plusAsSpace = false): Decoded {
  const src = Buffer.from(raw, 'latin1');
  const out: number[] = [];
  let badEscape = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === 0x25 /* % */) {
      const hi = i + 1 < src.length ? hexVal(src[i + 1]) : -1;
      const lo = i + 2 < src.length ? hexVal(src[i + 2]) : -1;
      if (hi >= 0 && lo >= 0) {
        out.push(hi * 16 + lo);
        i += 2;
        continue;
      }
      badEscape = true;
      out.push(c);
    } else if (c === 0x2b /* + */ && plusAsSpace) {
      out.push(0x20);
    } else {
      out.push(c);
    }
  }
  return { text: bytesToText(Buffer.from(out)), badEscape };
}

export interface ParsedBody {
  params: McmpParam[];
  problems: ParamProblem[];
}

/**
 * Splits a body into parameters. mod_manager's `process_buff` splits on both `&` and `=` and pairs
 * the pieces positionally, so an unescaped `=` or `&` inside a value shifts every following pair;
 * we do the same and report when the simple `&`-then-`=` reading would have differed.
 */
export function parseBody(body: string): ParsedBody {
  const params: McmpParam[] = [];
  const problems: ParamProblem[] = [];
  const trimmed = body.replace(/[\r\n]+$/, '');
  if (trimmed === '') return { params, problems };
  const pieces = trimmed.split(/[&=]/);
  for (let i = 0; i < pieces.length; i += 2) {
    const rawKey = pieces[i];
    const rawValue = i + 1 < pieces.length ? pieces[i + 1] : undefined;
    const key = decodePercent(rawKey);
    const value = decodePercent(rawValue ?? '');
    const p: McmpParam = {
      key: key.text,
      value: value.text,
      raw: rawValue === undefined ? rawKey : `${rawKey}=${rawValue}`,
    };
    const form = decodePercent(rawValue ?? '', true).text;
    if (form !== p.value) p.formValue = form;
    params.push(p);
    if (key.badEscape || value.badEscape) {
      problems.push({ kind: 'bad-escape', key: p.key, detail: `malformed %-escape in "${p.raw}"` });
    }
    if (rawValue === undefined || rawValue === '') {
      // mod_proxy_cluster rejects it (commit 72a4f43, 2024: "Do not accept CMD parameters without a value").
      problems.push({
        kind: 'empty-value',
        key: p.key,
        detail: `parameter "${p.key}" has no value`,
        generations: ['mod_proxy_cluster-2.x', 'mod_proxy_cluster-main'],
      });
    }
  }
  const pairs = trimmed.split('&');
  if (pairs.some((pair) => pair.split('=').length !== 2)) {
    problems.push({
      kind: 'pairing-shifted',
      detail: 'an unescaped "=" or "&" (or a key without "=") shifts how httpd pairs keys and values',
    });
  }
  return { params, problems };
}

/** Value of the first parameter named `key` (case-insensitive, as httpd's strcasecmp). */
export function param(params: readonly McmpParam[], key: string): string | undefined {
  const k = key.toLowerCase();
  return params.find((p) => p.key.toLowerCase() === k)?.value;
}

const ILLEGAL = /[<>"'\r\n]/;

/**
 * Checks a request's parameters against what mod_manager requires and accepts. Each problem says
 * which generations it concerns when they differ.
 */
export function checkRequest(method: string, wildcard: boolean, params: readonly McmpParam[]): ParamProblem[] {
  const m = method.toUpperCase();
  const problems: ParamProblem[] = [];
  const has = (k: string): boolean => param(params, k) !== undefined;

  for (const p of params) {
    if (ILLEGAL.test(p.value) || ILLEGAL.test(p.key)) {
      // mod_manager.c decodeenc/process_buff: a decoded <, >, ", ', CR or LF rejects the whole message.
      problems.push({
        kind: 'illegal-character',
        key: p.key,
        detail: `decoded value of "${p.key}" contains < > " ' CR or LF: httpd rejects the message (SYNTAX: Can't parse MCMP message)`,
      });
    }
  }

  if (m === 'CONFIG' || APP_METHODS.has(m) || m === 'STATUS') {
    const route = param(params, 'JVMRoute');
    if (route === undefined || route === '') {
      problems.push({ kind: 'missing-required', key: 'JVMRoute', detail: `${m} without JVMRoute` });
    }
  }
  if (m === 'CONFIG') {
    if (has('Alias') && !has('Context')) problems.push({ kind: 'missing-required', key: 'Context', detail: 'Alias without Context' });
    if (has('Context') && !has('Alias')) problems.push({ kind: 'missing-required', key: 'Alias', detail: 'Context without Alias' });
  }
  if (APP_METHODS.has(m) && !wildcard) {
    // Required since mod_proxy_cluster commit 86f8e63 (2024: "Require Alias and Context for
    // non-wildcarded *-APP commands"); 1.3 did not check.
    const generations: ServerGeneration[] = ['mod_proxy_cluster-2.x', 'mod_proxy_cluster-main'];
    if (!has('Alias') && !has('Context')) {
      problems.push({ kind: 'missing-required', key: 'Alias', detail: `non-wildcard ${m} without Alias and Context`, generations });
    } else if (!has('Context')) {
      problems.push({ kind: 'missing-required', key: 'Context', detail: 'Alias without Context', generations });
    } else if (!has('Alias')) {
      problems.push({ kind: 'missing-required', key: 'Alias', detail: 'Context without Alias', generations });
    }
  }
  if (m === 'STATUS') {
    const load = param(params, 'Load');
    if (load === undefined) {
      problems.push({ kind: 'missing-required', key: 'Load', detail: 'STATUS without Load' });
    } else if (!/^-?\d+$/.test(load) || Number(load) < -1 || Number(load) > 100) {
      // mod_proxy_cluster: "TODO: Bad value for Load"; 1.3.x takes atoi() of anything.
      problems.push({
        kind: 'bad-value',
        key: 'Load',
        detail: `Load=${load} is outside -1..100`,
        generations: ['mod_proxy_cluster-2.x', 'mod_proxy_cluster-main'],
      });
    }
    for (const p of params) {
      if (!STATUS_KEYS.has(p.key.toLowerCase())) {
        problems.push({ kind: 'unknown-field', key: p.key, detail: `STATUS does not accept "${p.key}" (SYNTAX: Invalid field)` });
      }
    }
  }
  if (m === 'PING') {
    for (const p of params) {
      if (!PING_KEYS.has(p.key.toLowerCase())) {
        problems.push({ kind: 'unknown-field', key: p.key, detail: `PING does not accept "${p.key}" (SYNTAX: Invalid field)` });
      }
    }
    if (!has('JVMRoute')) {
      const present = ['Scheme', 'Host', 'Port'].filter(has);
      if (present.length > 0 && present.length < 3) {
        problems.push({ kind: 'missing-required', detail: 'PING needs all of Scheme, Host and Port (SYNTAX: Mandatory field(s) missing)' });
      }
      const scheme = param(params, 'Scheme');
      if (scheme !== undefined && !PING_SCHEMES.has(scheme.toLowerCase())) {
        problems.push({ kind: 'bad-value', key: 'Scheme', detail: `PING Unsupported scheme: ${scheme}` });
      }
    }
  }

  // Length limits: only for keys the command stores (CONFIG fields, *-APP Alias/Context, JVMRoute).
  if (m === 'CONFIG' || APP_METHODS.has(m) || m === 'STATUS' || m === 'PING') {
    for (const gen of ALL_GENERATIONS) addLimitProblems(m, params, gen, problems);
    mergeGenerations(problems);
  }
  return problems;
}

function addLimitProblems(m: string, params: readonly McmpParam[], gen: ServerGeneration, out: ParamProblem[]): void {
  const limits = limitsFor(gen);
  for (const p of params) {
    const k = p.key.toLowerCase();
    if (m !== 'CONFIG' && !['jvmroute', 'alias', 'context'].includes(k)) continue;
    const lim = limits[k];
    if (!lim) continue;
    const items = lim.perItem ? p.value.split(',') : [p.value];
    for (const item of items) {
      const len = Buffer.byteLength(item, 'utf8');
      if (len > lim.max) {
        out.push({
          kind: 'too-long',
          key: p.key,
          detail: `${p.key} ${lim.perItem ? 'item ' : ''}is ${len} bytes, longest accepted is ${lim.max}`,
          length: len,
          max: lim.max,
          generations: [gen],
        });
      }
    }
  }
}

/** Folds identical too-long problems of several generations into one. */
function mergeGenerations(problems: ParamProblem[]): void {
  for (let i = 0; i < problems.length; i++) {
    const a = problems[i];
    if (a.kind !== 'too-long') continue;
    for (let j = problems.length - 1; j > i; j--) {
      const b = problems[j];
      if (b.kind === 'too-long' && b.key === a.key && b.length === a.length && b.max === a.max) {
        a.generations = [...(a.generations ?? []), ...(b.generations ?? [])];
        problems.splice(j, 1);
      }
    }
    if (a.generations && a.generations.length === ALL_GENERATIONS.length) delete a.generations;
  }
}
