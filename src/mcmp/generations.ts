/**
 * Which httpd-side implementation answered, from what its answers look like. The clues and what
 * each generation does differently:
 *
 * | clue | mod_cluster 1.3.x | mod_proxy_cluster 2.x (before PR #385) | mod_proxy_cluster main |
 * |---|---|---|---|
 * | Server header | `mod_cluster/1.3.x` | `mod_proxy_cluster/2.x` | `mod_proxy_cluster/2.x` |
 * | STATUS/PING `id=` | `%d` of an int: 32-bit, may be negative | 64-bit µs restart time | same |
 * | ENABLE/DISABLE/REMOVE-APP body | empty | empty | `Type=<CMD>-RSP\nJvmRoute=..\nAlias=.. Contexts=..\n\n` |
 * | STOP-APP body | `Type=STOP-APP-RSP&...&Requests=N` | same, Alias printed from a pointer (garbage) | newline form, no `Requests=` |
 * | ERROR / ADDID / REMOVEID / QUERY | handled by mod_manager (ERROR → 500 SYNTAX) | unknown: httpd passes them on | same |
 */
import { APP_METHODS } from './methods.js';
import type { McmpExchange, ServerGeneration } from './types.js';
import { headerValue } from './http.js';
import { fieldValue } from './responses.js';

export interface GenerationGuess {
  /** Set when the clues leave exactly one candidate. */
  generation?: ServerGeneration;
  candidates: ServerGeneration[];
  /** Server header / VERSION release string seen. */
  release?: string;
  reasons: string[];
}

/** The clues of one httpd's answers, read one exchange at a time (the guess is the same as of all of them at once). */
export class GenerationClues {
  private candidates: ServerGeneration[] = ['mod_cluster-1.3', 'mod_proxy_cluster-2.x', 'mod_proxy_cluster-main'];
  private readonly reasons: string[] = [];
  private release: string | undefined;

  private keep(allowed: ServerGeneration[], why: string): void {
    const next = this.candidates.filter((c) => allowed.includes(c));
    if (next.length === this.candidates.length || next.length === 0) return;
    this.candidates = next;
    this.reasons.push(why);
  }

  add(x: McmpExchange): void {
    const r = x.response;
    const method = x.request.method.toUpperCase();
    const server = headerValue(r.headers, 'Server') ?? '';
    const mpc = /mod_proxy_cluster\/(\S+)/.exec(server);
    const mc = /mod_cluster\/(\S+)/.exec(server);
    if (mpc) {
      this.release ??= `mod_proxy_cluster/${mpc[1]}`;
      this.keep(['mod_proxy_cluster-2.x', 'mod_proxy_cluster-main'], `Server header says mod_proxy_cluster/${mpc[1]}`);
    } else if (mc) {
      this.release ??= `mod_cluster/${mc[1]}`;
      this.keep(['mod_cluster-1.3'], `Server header says mod_cluster/${mc[1]}`);
    }
    const d = r.decoded;
    if (d.kind === 'version' && d.release) {
      this.release = d.release;
      if (/mod_proxy_cluster/.test(d.release)) this.keep(['mod_proxy_cluster-2.x', 'mod_proxy_cluster-main'], `VERSION: ${d.release}`);
      if (/mod_cluster\/1\./.test(d.release)) this.keep(['mod_cluster-1.3'], `VERSION: ${d.release}`);
    }
    if (d.kind === 'fields' && (d.fields.type === 'STATUS-RSP' || d.fields.type === 'PING-RSP')) {
      const id = Number(fieldValue(d.fields, 'id'));
      if (Number.isFinite(id) && (id > 2147483647 || id < -2147483648)) {
        this.keep(['mod_proxy_cluster-2.x', 'mod_proxy_cluster-main'], `${d.fields.type} id=${fieldValue(d.fields, 'id')} is a 64-bit microsecond time`);
      }
    }
    if (d.kind === 'app-rsp') this.keep(['mod_proxy_cluster-main'], `${method} answered with the newline ${d.type} body`);
    if (d.kind === 'fields' && d.fields.type === 'STOP-APP-RSP') {
      this.keep(['mod_cluster-1.3', 'mod_proxy_cluster-2.x'], 'STOP-APP answered with the Type=STOP-APP-RSP&...&Requests= form');
    }
    if (APP_METHODS.has(method) && method !== 'STOP-APP' && !x.request.wildcard && r.status === 200 && d.kind === 'empty') {
      this.keep(['mod_cluster-1.3', 'mod_proxy_cluster-2.x'], `${method} (context) answered with an empty body`);
    }
    if (['ERROR', 'ADDID', 'REMOVEID', 'QUERY'].includes(method) && !r.error) {
      this.keep(['mod_proxy_cluster-2.x', 'mod_proxy_cluster-main'], `${method} was not answered by mod_manager (HTTP ${r.status})`);
    }
  }

  guess(): GenerationGuess {
    const out: GenerationGuess = { candidates: this.candidates, reasons: this.reasons };
    if (this.candidates.length === 1) out.generation = this.candidates[0];
    if (this.release !== undefined) out.release = this.release;
    return out;
  }
}

export function guessGeneration(exchanges: readonly McmpExchange[]): GenerationGuess {
  const clues = new GenerationClues();
  for (const x of exchanges) clues.add(x);
  return clues.guess();
}
