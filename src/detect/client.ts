/**
 * Which AJP client module (mod_jk or mod_proxy_ajp) sent the requests of a web server around a moment.
 *
 * Fingerprint seen on the wire in every sample run (mod_jk 1.2.48 and httpd 2.4.71 mod_proxy_ajp, checked
 * with tshark on samples/overload frames 13 and 387): for a request without a body mod_jk's FORWARD_REQUEST
 * carries a `Content-Length: 0` header (and the JK_LB_ACTIVATION attribute), mod_proxy_ajp's has no
 * Content-Length at all. The cycle summaries keep contentLength (not the attributes), so that is what is
 * used. Requests with a body say nothing. It is a guess, reported as such.
 */
import type { AjpResult } from '../timeline/index.js';
import { lowerBound } from './common.js';

export type AjpClient = 'mod_jk' | 'mod_proxy_ajp';

interface Mark {
  ts: number;
  client: AjpClient;
}

/** Window around a moment in which a web server's requests tell which module it used then. */
const WINDOW = 2;

export class ClientGuess {
  private readonly marks = new Map<string, Mark[]>();

  constructor(r: AjpResult) {
    for (const c of r.connectionList)
      for (const y of c.cycles) {
        if (y.chunked || (y.contentLength !== null && y.contentLength !== 0)) continue;
        const client: AjpClient = y.contentLength === 0 ? 'mod_jk' : 'mod_proxy_ajp';
        let arr = this.marks.get(c.webServer.addr);
        if (!arr) this.marks.set(c.webServer.addr, (arr = []));
        arr.push({ ts: y.ts, client });
      }
    for (const arr of this.marks.values()) arr.sort((a, b) => a.ts - b.ts);
  }

  /** The module most of the web server's body-less requests within ±2 s used; null when none or a tie. */
  at(webServerAddr: string, ts: number): AjpClient | null {
    const marks = this.marks.get(webServerAddr) ?? [];
    let jk = 0;
    let pa = 0;
    for (let i = lowerBound(marks, ts - WINDOW, (m) => m.ts); i < marks.length && marks[i]!.ts <= ts + WINDOW; i++) {
      if (marks[i]!.client === 'mod_jk') jk++;
      else pa++;
    }
    return jk > pa ? 'mod_jk' : pa > jk ? 'mod_proxy_ajp' : null;
  }
}
