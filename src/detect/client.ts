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
  /** web server address → slot number → [mod_jk, mod_proxy_ajp] counts. */
  private readonly slots = new Map<string, Map<number, [number, number]>>();

  /** One ended request cycle of a connection from `webServerAddr`. */
  add(webServerAddr: string, y: Pick<RequestCycle, 'ts' | 'chunked' | 'contentLength'>): void {
    if (y.chunked || (y.contentLength !== null && y.contentLength !== 0)) return;
    let m = this.slots.get(webServerAddr);
    if (!m) this.slots.set(webServerAddr, (m = new Map()));
    const k = Math.floor(y.ts / SLOT);
    let c = m.get(k);
    if (!c) m.set(k, (c = [0, 0]));
    c[y.contentLength === 0 ? 0 : 1]++;
  }

  /** The module most of the web server's body-less requests within ±2 s used; null when none or a tie. */
  at(webServerAddr: string, ts: number): AjpClient | null {
    const m = this.slots.get(webServerAddr);
    if (!m) return null;
    let jk = 0;
    let pa = 0;
    for (let k = Math.floor((ts - WINDOW) / SLOT); k <= Math.floor((ts + WINDOW) / SLOT); k++) {
      const c = m.get(k);
      if (c) (jk += c[0]), (pa += c[1]);
    }
    return jk > pa ? 'mod_jk' : pa > jk ? 'mod_proxy_ajp' : null;
  }
}
