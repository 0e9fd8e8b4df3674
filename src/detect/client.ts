/**
 * Which AJP client module (mod_jk or mod_proxy_ajp) sent the requests of a web server around a moment.
 *
 * Fingerprint seen on the wire in every sample run (mod_jk 1.2.48 and httpd 2.4.71 mod_proxy_ajp, checked
 * with tshark on samples/overload frames 13 and 387): for a request without a body mod_jk's FORWARD_REQUEST
 * carries a `Content-Length: 0` header (and the JK_LB_ACTIVATION attribute), mod_proxy_ajp's has no
 * Content-Length at all. The cycle summaries keep contentLength (not the attributes), so that is what is
 * used. Requests with a body say nothing. It is a guess, reported as such.
 *
 * Streaming and bounded: every ended cycle adds one mark to a count per web server and 100 ms slot
 * (memory: the slots with traffic, not the requests), so the guess never depends on how many cycles a
 * connection keeps for display.
 */
import type { RequestCycle } from '../timeline/index.js';

export type AjpClient = 'mod_jk' | 'mod_proxy_ajp';

/** Window around a moment in which a web server's requests tell which module it used then. */
const WINDOW = 2;
/** Slot width in seconds: marks are counted per slot. */
const SLOT = 0.1;

export class ClientGuess {
  /**
   * web server address → slot number → its two counts in one number, mod_jk's + mod_proxy_ajp's ×
   * PA (a small integer, stored unboxed: no array per slot, the slots being as many as the 100 ms
   * with traffic of a long capture).
   */
  private readonly slots = new Map<string, Map<number, number>>();

  /** One ended request cycle of a connection from `webServerAddr`. */
  add(webServerAddr: string, y: Pick<RequestCycle, 'ts' | 'chunked' | 'contentLength'>): void {
    if (y.chunked || (y.contentLength !== null && y.contentLength !== 0)) return;
    let m = this.slots.get(webServerAddr);
    if (!m) this.slots.set(webServerAddr, (m = new Map()));
    const k = Math.floor(y.ts / SLOT);
    m.set(k, (m.get(k) ?? 0) + (y.contentLength === 0 ? 1 : PA));
  }

  /** The module most of the web server's body-less requests within ±2 s used; null when none or a tie. */
  at(webServerAddr: string, ts: number): AjpClient | null {
    const m = this.slots.get(webServerAddr);
    if (!m) return null;
    let jk = 0;
    let pa = 0;
    for (let k = Math.floor((ts - WINDOW) / SLOT); k <= Math.floor((ts + WINDOW) / SLOT); k++) {
      const c = m.get(k);
      if (c !== undefined) {
        const p = Math.floor(c / PA);
        (jk += c - p * PA), (pa += p);
      }
    }
    return jk > pa ? 'mod_jk' : pa > jk ? 'mod_proxy_ajp' : null;
  }
}

/**
 * The weight of one mod_proxy_ajp request in a slot's number: mod_jk's count stays below it (2^26
 * requests in 100 ms from one web server), and the sum stays an exact double whatever the counts.
 */
const PA = 2 ** 26;
