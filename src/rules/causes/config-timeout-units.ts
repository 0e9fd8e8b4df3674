import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { intValue, isAjpWorker, type Setting } from '../../config/index.js';
import { at, connectorAt, jkWorkers, where } from './config-util.js';

/**
 * Units differ from directive to directive (Timeouts HowTo: "Note that socket_timeout is in seconds,
 * and socket_connect_timeout in milliseconds"; connection_pool_timeout seconds; ping_timeout,
 * connect_timeout, prepost_timeout, reply_timeout milliseconds; Tomcat connectionTimeout and
 * keepAliveTimeout milliseconds). A value that is sensible in the other unit and absurd in its own
 * (a pool timeout of 600000 s = 6.9 days, a ping_timeout of 10 ms) was written in the wrong one.
 */
const JK_SECONDS = ['connection_pool_timeout', 'socket_timeout', 'cache_timeout'];
const JK_MILLIS = ['socket_connect_timeout', 'ping_timeout', 'connect_timeout', 'prepost_timeout', 'reply_timeout'];
const TOMCAT_MILLIS = ['connectionTimeout', 'keepAliveTimeout'];

function human(sec: number): string {
  if (sec >= 86400) return `${(sec / 86400).toFixed(1)} days`;
  if (sec >= 3600) return `${(sec / 3600).toFixed(1)} h`;
  if (sec >= 60) return `${(sec / 60).toFixed(1)} min`;
  return `${sec} s`;
}

export default defineRule({
  id: 'config-timeout-units',
  title: 'A timeout written in seconds where milliseconds are read (or the reverse)',
  severity: 'warning',
  needs: { logs: [], config: ['workers', 'tomcat', 'isapi'] },
  confirmedByIncident: ['socket-timeout-too-low', 'firewall-idle-drop', 'backend-idle-close-race', 'slow-backend-reply-timeout'],
  docs: {
    summary:
      'mod_jk reads connection_pool_timeout and socket_timeout in seconds but socket_connect_timeout, ping_timeout, connect_timeout, prepost_timeout and reply_timeout in milliseconds; Tomcat reads connectionTimeout and keepAliveTimeout in milliseconds. Flagged: a seconds value of 10000 or more (2.8 h+: milliseconds meant), a milliseconds value from 1 to 99 (seconds meant; reply_timeout under 1000 is left to config-reply-timeout-short), and a Tomcat timeout from 1 to 999 ms (seconds meant).',
    remedy: [
      'Write each value in its own unit, e.g. worker.<name>.connection_pool_timeout=600 (s), socket_timeout=60 (s), socket_connect_timeout=5000 (ms), ping_timeout=10000 (ms), reply_timeout=60000 (ms), and <Connector … keepAliveTimeout="600000" connectionTimeout="600000"/> (ms).',
    ],
    references: ['Timeouts HowTo (https://tomcat.apache.org/connectors-doc/common_howto/timeouts.html), mod_jk 1.2.16+', 'https://tomcat.apache.org/connectors-doc/reference/workers.html', 'https://tomcat.apache.org/tomcat-9.0-doc/config/ajp.html'],
  },
  check(ctx) {
    const out: Finding[] = [];
    const flag = (s: Setting, text: string, fix: string, subject: Record<string, string>): void => {
      out.push(ctx.finding({ confidence: 'likely', explanation: text, evidence: [at(s)], subject, remedy: [fix] }));
    };
    for (const w of jkWorkers(ctx.config)) {
      if (!isAjpWorker(w) && w.type !== 'lb') continue;
      for (const d of JK_SECONDS) {
        const s = w.settings.get(d);
        const v = intValue(s);
        if (s && s.via === undefined && v !== undefined && v >= 10_000)
          flag(s, `${s.key}=${v} (${where(s)}) is read in seconds: ${human(v)}. ${v / 1000} s was probably meant (milliseconds written).`, `${s.key}=${Math.round(v / 1000)}`, { worker: w.name });
      }
      for (const d of JK_MILLIS) {
        const s = w.settings.get(d);
        const v = intValue(s);
        if (s && s.via === undefined && v !== undefined && v > 0 && v < 100 && !(d === 'reply_timeout'))
          flag(s, `${s.key}=${v} (${where(s)}) is read in milliseconds: ${v} ms${d.startsWith('socket') ? ' — the connect gives up before a TCP handshake over a real network completes' : ' — a CPong never arrives that fast under load'}. ${v} s was probably meant.`, `${s.key}=${v * 1000}`, { worker: w.name });
      }
    }
    for (const c of ctx.config.connectors) {
      for (const a of TOMCAT_MILLIS) {
        const s = c.attrs.get(a);
        const v = intValue(s);
        if (s && v !== undefined && v > 0 && v < 1000) {
          out.push(ctx.finding({ confidence: 'likely', explanation: `${a}="${v}" on the connector on port ${c.port ?? '?'} (${where(s)}) is read in milliseconds: Tomcat closes a connection idle for ${v} ms. ${v} s was probably meant.`, evidence: [connectorAt(c, a)], subject: { connector: `port ${c.port ?? '?'}` }, remedy: [`${a}="${v * 1000}"`] }));
        }
      }
    }
    return out;
  },
});
