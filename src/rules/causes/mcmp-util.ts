/**
 * Helpers for the MCMP rules (not a rule): the node an MCMP evidence item is about, and wording of
 * exchanges the way `ajp-inspect mcmp` numbers them.
 */
import type { CaptureEvidence } from '../../util/evidence.js';
import type { Signal } from '../types.js';
import { list, plural } from '../helpers.js';

/** Evidence by the node (JVMRoute) it is about, in first-seen order; '?' when it names none. */
export function byNode(items: readonly CaptureEvidence[]): Map<string, CaptureEvidence[]> {
  const out = new Map<string, CaptureEvidence[]>();
  for (const c of items) {
    const k = typeof c.fields?.node === 'string' && c.fields.node !== '' ? c.fields.node : '?';
    let arr = out.get(k);
    if (!arr) out.set(k, (arr = []));
    arr.push(c);
  }
  return out;
}

/** "exchange 30" / "exchanges 30, 41" of MCMP evidence (`ajp-inspect mcmp` numbers them so). */
export function exchangesOf(items: readonly CaptureEvidence[]): string {
  const xs = [...new Set(items.map((c) => c.fields?.exchange).filter((x): x is number => typeof x === 'number'))].sort((a, b) => a - b);
  if (xs.length === 0) return '';
  return `${xs.length === 1 ? 'exchange' : 'exchanges'} ${xs.slice(0, 6).join(', ')}${xs.length > 6 ? ' …' : ''}`;
}

/** The distinct `Mess:` texts of MCMP error evidence (capture) and log signals, at most `max`. */
export function messages(caps: readonly CaptureEvidence[], sigs: readonly Signal[], max = 4): string[] {
  const all = [...caps.map((c) => String(c.fields?.mess ?? '')), ...sigs.map((s) => String(s.d.mess ?? ''))].filter((m) => m !== '');
  return [...new Set(all)].slice(0, max);
}

/**
 * mod_manager's MEM answers for a worker or a jvmRoute another node holds (mod_manager.c
 * process_config: MNODEET, `MEM: Node with "%s" JVMRoute already exists`): a duplicate node
 * (mod-cluster-duplicate-node-address), not a table that is full or lost (mcmp-mem-error).
 */
export const SAME_WORKER_MESS = /Another for the same worker|JVMRoute already exists/;

/**
 * How a node's own log says it got mod_manager's answer: `mod_cluster on the node logged 2 MEM answers
 * from httpd (MODCLUSTER000042, to /10.0.0.5:6666)` (`what`: the answer's kind; `id`: the message).
 */
export function nodeLogged(node: readonly Signal[], what: string, id: string): string {
  return `mod_cluster on the node logged ${plural(node.length, what)} from httpd (${id}, to ${list([...new Set(node.map((s) => String(s.d.proxy)))])})`;
}
