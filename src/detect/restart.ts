/**
 * Backend back after refused connects: SYN → RST (nothing listening) to one container endpoint, then,
 * later, a connection to the same endpoint that Tomcat served (a request answered through END_RESPONSE,
 * or a CPONG the web server was still waiting for). That is the wire shape of a stop/start or restart
 * (decoders-study §4.3 item 2); the pooled connections' FINs from Tomcat just before are the stop itself.
 */
import type { AjpConnection, AjpResult } from '../timeline/index.js';
import type { CaptureEvidence } from '../util/evidence.js';
import { endpoints, hostPort, secs } from './common.js';

/** How long before the first refusal Tomcat's FINs on pooled connections count as the stop. */
const STOP_LEAD = 60;

export function isRefused(c: AjpConnection): boolean {
  return c.facts.syn && !c.facts.synAck && c.facts.rstBy === 'container' && c.bytes.webServer + c.bytes.container === 0;
}

/** When Tomcat served this connection (null: never, as far as the capture shows). */
function servedAt(c: AjpConnection, cpingGaveUp: ReadonlySet<number>): number | null {
  if (!c.facts.synAck) return null;
  const done = c.cycles.find((y) => y.outcome === 'end-response');
  // A CPONG that came after the web server had given up (cping-unanswered) does not count: Tomcat was not serving yet.
  const cpong = c.cpongs > 0 && !cpingGaveUp.has(c.stream) ? c.startTs : null;
  const t = [done?.ts ?? null, cpong].filter((x): x is number => x !== null);
  return t.length ? Math.min(...t) : null;
}

export interface RestartWindow {
  container: string;
  from: number;
  to: number;
}

export function detectRestarts(r: AjpResult): { evidence: CaptureEvidence[]; windows: RestartWindow[] } {
  const cpingGaveUp = new Set(r.violations.filter((v) => v.kind === 'cping-unanswered' && v.fields?.by === 'web-server').map((v) => v.stream));
  const byContainer = new Map<string, AjpConnection[]>();
  for (const c of r.connectionList) {
    const k = hostPort(c.container);
    let arr = byContainer.get(k);
    if (!arr) byContainer.set(k, (arr = []));
    arr.push(c);
  }
  const evidence: CaptureEvidence[] = [];
  const windows: RestartWindow[] = [];
  for (const [container, conns] of byContainer) {
    conns.sort((a, b) => a.startTs - b.startTs);
    const refused = conns.filter(isRefused);
    if (!refused.length) continue;
    const served = conns
      .map((c) => ({ c, at: servedAt(c, cpingGaveUp) }))
      .filter((x): x is { c: AjpConnection; at: number } => x.at !== null)
      .sort((a, b) => a.at - b.at);
    // Runs of refusals with no served connection in between.
    let i = 0;
    while (i < refused.length) {
      const first = refused[i]!;
      let j = i;
      while (j + 1 < refused.length && !served.some((s) => s.at > refused[j]!.startTs && s.at < refused[j + 1]!.startTs)) j++;
      const last = refused[j]!;
      i = j + 1;
      const back = served.find((s) => s.at > last.startTs);
      if (!back) continue;
      const stops = conns.filter((c) => c.facts.closedIdleBy !== null && c.facts.closedIdleBy.side === 'container' && c.facts.closedIdleBy.ts <= first.startTs && c.facts.closedIdleBy.ts >= first.startTs - STOP_LEAD);
      const waiting = conns.filter((c) => cpingGaveUp.has(c.stream) && c.startTs > last.startTs && c.startTs < back.at);
      const count = refused.indexOf(last) - refused.indexOf(first) + 1;
      windows.push({ container, from: first.startTs - STOP_LEAD, to: back.at });
      const outage = back.at - first.startTs;
      const frames = [...stops.map((c) => c.facts.closedIdleBy!.frame), first.firstFrame, last.firstFrame, ...waiting.map((c) => c.firstFrame), back.c.firstFrame];
      evidence.push({
        source: 'capture',
        kind: 'refused-then-served',
        stream: back.c.stream,
        frames: [...new Set(frames)].sort((a, b) => a - b),
        ts: first.startTs,
        detail:
          (stops.length ? `the container closed ${stops.length} pooled connection(s) (frame ${stops.map((c) => c.facts.closedIdleBy!.frame).join(', ')}), then ` : '') +
          `${count} connection attempt(s) to ${container} were refused (SYN answered by RST, frames ${first.firstFrame}–${last.firstFrame})` +
          (waiting.length ? `, ${waiting.length} accepted connection(s) got no CPONG in time` : '') +
          `; tcp.stream ${back.c.stream} (frame ${back.c.firstFrame}) was served again ${secs(outage)} after the first refusal`,
        fields: { ...endpoints(back.c), refused: count, firstRefusedFrame: first.firstFrame, lastRefusedFrame: last.firstFrame, servedFrame: back.c.firstFrame, outageSeconds: Math.round(outage * 1000) / 1000, pooledClosedBefore: stops.length, cpingsUnansweredWhileStarting: waiting.length },
      });
    }
  }
  return { evidence, windows };
}
