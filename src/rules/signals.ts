/**
 * The shared library of log signals: message patterns of mod_jk / the ISAPI redirector
 * (native/common, tomcat-connectors), httpd mod_proxy_ajp / mod_proxy (AH codes, 2.2 wording too)
 * and Tomcat's AJP connector. Patterns tolerate the wording changes across JK 1.2.x listed in
 * jk-message-history (optional `(worker) ` prefix, `with errno=`/`err=-N` before 1.2.21, typos
 * such as `Reding from client`). Rules import the definitions they need; a new rule may define
 * its own signal in its file instead.
 */
import type { LogEvent } from '../logs/types.js';
import { fieldsWorker } from '../logs/index.js';
import type { SignalData, SignalDef } from './signal-types.js';
import { matchMessage, messagePattern } from './tomcat-messages.js';

/**
 * A Tomcat-side signal that also knows every wording Tomcat printed for the same message: older
 * English texts and the translations of LocalStrings_<lang>.properties (tomcat-messages.ts), which a
 * JVM in that locale prints instead. `def.re` / `def.data` read the English lines they were written
 * for; any other wording is read by its message key, and `fromArgs` turns its arguments ({0}, {1}…)
 * into the same facts.
 */
export function translated(def: SignalDef, keys: readonly string[], fromArgs: (args: readonly (string | undefined)[], key: string, ev: LogEvent) => SignalData | null): SignalDef {
  // Built when first asked for (by the intake of a run that has log lines), not when the rules'
  // modules load: every wording of every key is parsed into expressions, work a capture alone never
  // needs (issue 14, start-up).
  let built: { needles: string[]; re: RegExp } | undefined;
  const build = () => {
    if (built === undefined) {
      const patterns = keys.map((k) => messagePattern(k));
      built = {
        needles: [...new Set([...def.needles, ...patterns.flatMap((p) => p.needles)])],
        re: new RegExp([def.re.source, ...patterns.map((p) => p.re.source)].join('|')),
      };
    }
    return built;
  };
  return {
    ...def,
    get needles() {
      return build().needles;
    },
    get re() {
      return build().re;
    },
    data: (m, ev) => {
      def.re.lastIndex = 0;
      const en = def.re.exec(ev.text);
      if (en) return def.data ? def.data(en, ev) : {};
      for (const k of keys) {
        const hit = matchMessage(k, ev.text);
        if (hit) return fromArgs(hit.args, k, ev);
      }
      return null;
    },
  };
}

function num(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** An integer as java.text.MessageFormat prints it, with or without locale grouping ("10,217", "10.217", "10 217"). */
export function javaInt(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const neg = s.trim().startsWith('-');
  const v = num(s.replace(/[^\d]/g, ''));
  return v === undefined ? undefined : neg ? -v : v;
}

/** errno as printed anywhere in a JK line: `(errno=111)`, `with errno=111`, `errno = 111`, `err=-111`. */
// (mod_jk 1.2.9–1.2.20 put the negated errno bare after the backend: `… or tomcat (%s) is down %d`,
// jk_ajp_common.c ajp_connection_tcp_get_message)
const ERRNO_RE = /\(errno=(-?\d+)\)|with errno=(-?\d+)|errno ?= ?(-?\d+)|err=(-?\d+)|\) is down (-\d+)\s*$/;
export function errnoIn(text: string): number | undefined {
  const m = ERRNO_RE.exec(text);
  if (!m) return undefined;
  const v = num(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]);
  return v === undefined ? undefined : Math.abs(v);
}

/** JK `(worker) ` prefix of the message (1.2.19+ for some, 1.2.41+ for nearly all jk_ajp_common.c lines). */
const WORKER_PREFIX_RE = /(?:\): |\]: |^)\(([^()\s]+)\) /;
export function workerIn(ev: LogEvent): string | undefined {
  if (ev.worker) return ev.worker;
  const f = fieldsWorker(ev);
  if (typeof f === 'string' && f) return f;
  const m = WORKER_PREFIX_RE.exec(ev.message ?? '') ?? WORKER_PREFIX_RE.exec(ev.text);
  return m ? m[1] : undefined;
}

/** `(70007)The timeout specified has expired: ` status prefix of httpd lines. */
const APR_RE = /\((?:OS )?(\d+)\)[^:()]*: /;
function aprIn(text: string): number | undefined {
  const m = APR_RE.exec(text);
  return m ? num(m[1]) : undefined;
}

const d = (o: SignalData): SignalData => o;

// ---------------------------------------------------------------------------------------------
// mod_jk / ISAPI redirector (jk_ajp_common.c, jk_connect.c, jk_lb_worker.c, mod_jk.c, jk_isapi_plugin.c)
// ---------------------------------------------------------------------------------------------

/** `awaited reply cpong, received N instead[. Closing connection|. Retrying next packet]` (ajp_handle_cping_cpong). */
export const jkCpongUnexpected: SignalDef = {
  kind: 'jk-cpong-unexpected',
  source: 'jk',
  needles: ['awaited reply cpong, received'],
  re: /awaited reply cpong, received (\d+) instead(?:\. (Closing connection|Retrying next packet))?(?:.*?\((\d+)\):)?/,
  data: (m, ev) => d({ ajpType: num(m[1]), action: m[2] ?? 'closed', worker: workerIn(ev), srcLine: ev.source?.line ?? lineInText(ev.text, 'jk_ajp_common.c') }),
};

function lineInText(text: string, file: string): number | undefined {
  const i = text.indexOf(file + ' (');
  if (i < 0) return undefined;
  return num(/^\((\d+)\)/.exec(text.slice(i + file.length + 1))?.[1]);
}

/** `timeout in reply cpong after N ms. Socket = S (event=E)` (1.2.41+); `timeout in reply [c]pong` before. */
export const jkCpongTimeout: SignalDef = {
  kind: 'jk-cpong-timeout',
  source: 'jk',
  needles: ['timeout in reply'],
  re: /timeout in reply c?pong(?: after (\d+) ms\. Socket = (-?\d+) \(event=(\d+)\))?/,
  data: (m, ev) => d({ timeoutMs: num(m[1]), socket: num(m[2]), event: num(m[3]), worker: workerIn(ev) }),
};

/** `awaited reply cpong, not received` (reply read failed: EOF/reset or bad header). */
export const jkCpongNotReceived: SignalDef = {
  kind: 'jk-cpong-not-received',
  source: 'jk',
  needles: ['awaited reply cpong, not received'],
  re: /awaited reply cpong, not received/,
  data: (_m, ev) => d({ worker: workerIn(ev) }),
};

/** `failed sending request, socket N prepost cping/cpong failure (errno=E)` (ajp_send_request). */
export const jkPrepostCpingFailure: SignalDef = {
  kind: 'jk-prepost-cping-failure',
  source: 'jk',
  needles: ['prepost cping/cpong failure'],
  re: /socket (-?\d+) prepost cping\/cpong failure(?: \(errno=(\d+)\))?/,
  data: (m, ev) => d({ socket: num(m[1]), errno: num(m[2]), worker: workerIn(ev) }),
};

/** `failed sending request, socket N keepalive cping/cpong failure (errno=E)` (ajp_maintain, ping_mode I). */
export const jkKeepaliveCpingFailure: SignalDef = {
  kind: 'jk-keepalive-cping-failure',
  source: 'jk',
  needles: ['keepalive cping/cpong failure'],
  re: /socket (-?\d+) keepalive cping\/cpong failure(?: \(errno=(\d+)\))?/,
  data: (m, ev) => d({ socket: num(m[1]), errno: num(m[2]), worker: workerIn(ev) }),
};

/** `cping/cpong after connecting to the backend server failed (errno=E)` (connect-mode CPing on a fresh connection). */
export const jkConnectCpingFailure: SignalDef = {
  kind: 'jk-connect-cping-failure',
  source: 'jk',
  needles: ['cping/cpong after connecting'],
  re: /cping\/cpong after connecting to the backend server failed(?: \(errno=(\d+)\))?/,
  data: (m, ev) => d({ errno: num(m[1]), worker: workerIn(ev) }),
};

/** DEBUG `Shutdown socket N [..] and read M lingering bytes[ in S sec.]` (jk_shutdown_socket, 1.2.27+). */
export const jkLingering: SignalDef = {
  kind: 'jk-lingering',
  source: 'jk',
  debugOnly: true,
  needles: ['lingering bytes'],
  re: /Shutdown socket (-?\d+)(?: \[[^\]]*\])? and read (\d+) lingering bytes(?: in (\d+) sec)?/,
  data: (m) => d({ socket: num(m[1]), bytes: num(m[2]), secs: num(m[3]) }),
};

/** `did not receive END_RESPONSE, closing socket N` (1.2.27+: a pooled connection's previous exchange did not finish). */
export const jkNoEndResponse: SignalDef = {
  kind: 'jk-no-end-response',
  source: 'jk',
  needles: ['did not receive END_RESPONSE'],
  re: /did not receive END_RESPONSE, closing socket (-?\d+)/,
  data: (m, ev) => d({ socket: num(m[1]), worker: workerIn(ev) }),
};

/** Client went away during the response: `Writing to client aborted or client network problems` (1.2.19+),
 * `because of client write error`, ISAPI `WriteClient failed`, 1.2.9–1.2.18 `Connection aborted or network problems`. */
export const jkClientWriteError: SignalDef = {
  kind: 'jk-client-write-error',
  source: 'jk',
  // (before 1.2.21: `ERROR sending data to client. Connection aborted or network problems`, `Client connection aborted or network problems`;
  // 1.2.8–1.2.18 ajp_process_callback says `Connection aborted or network problems` alone for a failed
  // write of SEND_BODY_CHUNK and for a failed read of the request body: told apart by its source line,
  // the write's at 1363 (1.2.9–1.2.10), 1382 (11), 1384 (12, 15), 1375 (13), 1399 (16), 1412 (17–18),
  // jk-message-history; the read's are jkClientReadError's)
  needles: ['Writing to client aborted', 'because of client write error', 'WriteClient failed', 'request failed, because of client write error', 'client aborted connection', 'sending data to client. Connection aborted', 'Client connection aborted or network problems', 'Connection aborted or network problems'],
  re: /Writing to client aborted or client network problems|because of client write error|WriteClient failed with (\d+)|service\(\) failed because client aborted connection|ERROR sending data to client\. Connection aborted or network problems|Client connection aborted or network problems|ajp_process_callback::jk_ajp_common\.c \((?:1363|1382|1384|1375|1399|1412)\): Connection aborted or network problems/,
  data: (m, ev) => d({ worker: workerIn(ev), win32: num(m[1]) }),
};

/** Client stopped sending the request body: `receiving data from client failed`, `Reading from client aborted`
 * (1.2.19–1.2.25 typo `Reding`), `because of client read error`, ISAPI `ReadClient failed`. */
export const jkClientReadError: SignalDef = {
  kind: 'jk-client-read-error',
  source: 'jk',
  // (before 1.2.21: `ERROR reading POST data from client. Connection aborted or network problems`)
  needles: ['from client failed', 'from client aborted', 'because of client read error', 'ReadClient failed', 'POST data from client. Connection aborted', 'Connection aborted or network problems'],
  // (1.2.8–1.2.18's bare `Connection aborted or network problems` at the request body's read: its source lines, jk-message-history)
  re: /[Rr]eceiving data from client failed|Rea?ding from client aborted|because of client read error|ReadClient failed with (\d+)|reading POST data from client\. Connection aborted or network problems|ajp_process_callback::jk_ajp_common\.c \((?:1392|1411|1413|1404|1415|1430|1443)\): Connection aborted or network problems/,
  data: (m, ev) => d({ worker: workerIn(ev), win32: num(m[1]) }),
};

/** lb: `unrecoverable error S, request failed. Client failed in the middle of request` (S = 200 write, 400 read, 413 too large). */
export const jkLbClientFailed: SignalDef = {
  kind: 'jk-lb-client-failed',
  source: 'jk',
  needles: ['Client failed in the middle of request'],
  re: /unrecoverable error (\d+), request failed\. Client failed in the middle of request/,
  data: (m) => d({ status: num(m[1]) }),
};

/** `connect to H:P failed (errno=E)` (jk_open_socket) and `Failed opening socket to (H:P) (errno=E)` (ajp_connect_to_endpoint),
 * 1.2.0–1.2.20 wordings with `with errno=` / `errno = `. */
export const jkConnectFailed: SignalDef = {
  kind: 'jk-connect-failed',
  source: 'jk',
  needles: ['connect to ', 'Failed opening socket to', 'connect() failed'],
  re: /connect to (\S+?) failed|Failed opening socket to \(([^)]*)\)|connect\(\) failed/,
  data: (m, ev) => d({ backend: m[1] ?? m[2], errno: errnoIn(ev.text), worker: m[2] ? workerIn(ev) : undefined }),
};

/**
 * Windows' texts for a failed connect (Winsock's FormatMessage strings), as the .NET connectors in
 * front of Tomcat surface them: BonCode's ProcessRequest error page and event log (`No connection
 * could be made because the target machine actively refused it 127.0.0.1:8009`, a SocketException
 * from TcpClient..ctor), and any Windows program's connect. Each is the errno it stands for, to the
 * address after it: WSAECONNREFUSED 10061, WSAETIMEDOUT 10060, WSAEHOSTUNREACH 10065,
 * WSAENETUNREACH 10051.
 */
export const winsockConnectFailed: SignalDef = {
  kind: 'winsock-connect-failed',
  source: 'jk',
  needles: ['actively refused it', 'did not properly respond after a period of time', 'attempted to an unreachable'],
  re: /(?:No connection could be made because the target machine (actively refused it)|A connection attempt failed because the connected party (did not properly respond) after a period of time, or established connection failed because connected host has failed to respond|A socket operation was attempted to an unreachable (host|network))\s*(\[[0-9a-fA-F:.]+\]:\d+|[\w.-]+:\d+)?/,
  data: (m) => d({ backend: m[4], errno: m[1] ? 10061 : m[2] ? 10060 : m[3] === 'host' ? 10065 : 10051 }),
};

/** Final connect failure of an attempt: `connecting to backend failed. Tomcat is probably not started…(errno=E)` (1.2.26+),
 * `error connecting to the backend server (errno=E)` (1.2.19–1.2.25). */
export const jkBackendConnectFailed: SignalDef = {
  kind: 'jk-backend-connect-failed',
  source: 'jk',
  // (1.2.0–1.2.25: `Error connecting to tomcat. Tomcat is probably not started or is listen(n)ing on the wrong port. [worker=%s ]failed errno = %d`)
  needles: ['connecting to backend failed', 'error connecting to the backend server', 'Error connecting to tomcat. Tomcat is probably not started'],
  re: /connecting to backend failed\. Tomcat is probably not started|error connecting to the backend server|Error connecting to tomcat\. Tomcat is probably not started/,
  data: (_m, ev) => d({ errno: errnoIn(ev.text), worker: workerIn(ev) }),
};

/** Per-request final failure: `connecting to tomcat failed (rc=…)` (1.2.41+), `connecting to tomcat failed.` (1.2.27–1.2.40),
 * `Connecting to tomcat failed. Tomcat is probably not started or is listening on the wrong port` (≤1.2.26). */
export const jkServiceFailed: SignalDef = {
  kind: 'jk-service-failed',
  source: 'jk',
  needles: ['onnecting to tomcat failed'],
  re: /[Cc]onnecting to tomcat failed(?: \(rc=(-?\d+))?/,
  data: (m, ev) => d({ rc: num(m[1]), worker: workerIn(ev) }),
};

/** mod_jk.c `Service error=N for worker=W` (per request, after a failed service). */
export const jkServiceError: SignalDef = {
  kind: 'jk-service-error',
  source: 'jk',
  needles: ['Service error='],
  re: /Service error=(-?\d+) for worker=(\S+)/,
  data: (m) => d({ rc: num(m[1]), worker: m[2] }),
};

/** EOF reading a reply: `… tomcat (H:P) has forced a connection close for socket N` (1.2.21+), `Tomcat has forced a connection close` (older). */
export const jkForcedClose: SignalDef = {
  kind: 'jk-forced-close',
  source: 'jk',
  needles: ['has forced a connection close'],
  re: /can't receive the response (header |body )?message from tomcat, tomcat \(([^)]*)\) has forced a connection close for socket (-?\d+)|[Tt]omcat has forced a connection close for socket (-?\d+)/,
  data: (m, ev) => d({ part: m[1] ? m[1].trim() : 'header', backend: m[2], socket: num(m[3] ?? m[4]), worker: workerIn(ev) }),
};

/** Error reading a reply: `can't receive the response [header|body] message from tomcat, network problems or tomcat (H:P) is down (errno=E)`. */
export const jkReceiveError: SignalDef = {
  kind: 'jk-receive-error',
  source: 'jk',
  needles: ['network problems or tomcat'],
  re: /can't receive the response (header |body )?message from tomcat, network problems or tomcat (?:\(([^)]*)\) )?is down/i,
  data: (m, ev) => d({ part: m[1] ? m[1].trim() : 'header', backend: m[2], errno: errnoIn(ev.text), worker: workerIn(ev) }),
};

/** `Tomcat is down or refused connection. No response has been sent to the client (yet)` (reading the first reply packet failed). */
export const jkNoResponseYet: SignalDef = {
  kind: 'jk-no-response-yet',
  source: 'jk',
  needles: ['No response has been sent to the client'],
  re: /Tomcat is down or (?:refused connection|network problems)\. No response has been sent to the client/,
  data: (_m, ev) => d({ worker: workerIn(ev) }),
};

/** `Tomcat is down or network problems. Part of the response has already been sent to the client`. */
export const jkPartialResponse: SignalDef = {
  kind: 'jk-partial-response',
  source: 'jk',
  needles: ['Part of the response has already been sent'],
  re: /Part of the response has already been sent to the client/,
  data: (_m, ev) => d({ worker: workerIn(ev) }),
};

/** Pooled connections found dead: `all endpoints are disconnected[, detected by …]` (1.2.19–1.2.40),
 * `no usable connection found, will create a new one, detected by connect check (C), cping (P), send (S).` (1.2.41+). */
export const jkEndpointsDisconnected: SignalDef = {
  kind: 'jk-endpoints-disconnected',
  source: 'jk',
  needles: ['ll endpoints are', 'no usable connection found'],
  re: /(?:[Aa]ll endpoints are (disconnected|dead)|no usable connection found, will create a new one)(?:, detected by connect check \((\d+)\), cping \((\d+)\), send \((\d+)\))?/,
  data: (m, ev) => d({ state: m[1] ?? 'unusable', connectCheck: num(m[2]), cping: num(m[3]), send: num(m[4]), worker: workerIn(ev) }),
};

/** send() on a pooled socket failed: `sendfull for socket N returned R (errno=E)`, `failed sending request (recoverable) (errno=E)`. */
export const jkSendFailed: SignalDef = {
  kind: 'jk-send-failed',
  source: 'jk',
  needles: ['sendfull', 'failed sending request ('],
  re: /sendfull (?:for socket (-?\d+) )?returned (-?\d+)|failed sending request \((un)?recoverable\)/,
  data: (m, ev) => d({ socket: num(m[1]), rc: num(m[2]), errno: errnoIn(ev.text), worker: workerIn(ev) }),
};

/** `sending request to tomcat failed (recoverable), … (attempt=N)` (1.2.26+) and `…failed,  recoverable operation attempt=N` (1.2.19–1.2.25). */
export const jkAttemptFailed: SignalDef = {
  kind: 'jk-attempt-failed',
  source: 'jk',
  needles: ['tomcat failed'],
  re: /(sending request to|receiving from) tomcat failed(?: \((un)?recoverable\), ?(.*?) ?\(attempt=(\d+)\)|, +(un)?recoverable operation attempt=(\d+))/,
  data: (m, ev) =>
    d({
      phase: m[1] === 'receiving from' ? 'receive' : 'send',
      recoverable: m[2] || m[5] ? 'no' : 'yes',
      reason: (m[3] ?? '').trim(),
      attempt: num(m[4] ?? m[6]),
      worker: workerIn(ev),
    }),
};

/** reply_timeout: `Timeout with waiting reply from tomcat…` (1.2.9+; 1.2.6–1.2.8 `Timeout will waiting reply`), `because of reply timeout`. */
export const jkReplyTimeout: SignalDef = {
  kind: 'jk-reply-timeout',
  source: 'jk',
  needles: ['waiting reply from tomcat', 'because of reply timeout'],
  re: /Timeout wi(?:th|ll) waiting reply from tomcat|because of reply timeout/,
  data: (_m, ev) => d({ errno: errnoIn(ev.text), worker: workerIn(ev) }),
};

/** `wrong message format 0xMMMM from H:P` (bad magic in a reply; 1.2.0–1.2.8 `Wrong message format`). */
export const jkWrongFormat: SignalDef = {
  kind: 'jk-wrong-format',
  source: 'jk',
  needles: ['rong message format'],
  re: /[Ww]rong message format 0x([0-9a-fA-F]{1,4})(?: from (\S+))?/,
  data: (m, ev) => d({ magic: m[1].toLowerCase().padStart(4, '0'), backend: m[2], worker: workerIn(ev) }),
};

/** `wrong message size N MAX from H:P` (reply packet longer than max_packet_size). */
export const jkWrongSize: SignalDef = {
  kind: 'jk-wrong-size',
  source: 'jk',
  needles: ['rong message size'],
  re: /[Ww]rong message size (-?\d+) (\d+)(?: from (\S+))?/,
  data: (m, ev) => d({ size: num(m[1]), max: num(m[2]), backend: m[3], worker: workerIn(ev) }),
};

/** ajp_marshal_into_msgb `failed appending …` (request does not fit into max_packet_size). */
export const jkMarshalFailed: SignalDef = {
  kind: 'jk-marshal-failed',
  source: 'jk',
  needles: ['failed appending'],
  // The text up to its last non-space, without a lazy (.*?) before \s*$ (quadratic on a long line: issue 15).
  re: /failed appending (?:the )?(\S(?:[^\n]*\S)?)?\s*$/,
  data: (m, ev) => d({ item: m[1], worker: workerIn(ev) }),
};

/** `Creating AJP message failed without recovery - check max_packet_size` (1.2.33+), `Creating AJP message failed, without recovery` (older). */
export const jkCreateMessageFailed: SignalDef = {
  kind: 'jk-create-message-failed',
  source: 'jk',
  needles: ['Creating AJP message failed'],
  re: /Creating AJP message failed,? without recovery/,
  data: (_m, ev) => d({ worker: workerIn(ev) }),
};

/** lb: `All tomcat instances failed, no more workers left[ for recovery][ (attempt=…)]`, `All tomcat instances are busy or in error state`,
 * `Forcing recovery once for N workers`, `all workers are in error state for session S`. */
export const jkLbAllFailed: SignalDef = {
  kind: 'jk-lb-all-failed',
  source: 'jk',
  // (1.2.0–1.2.8: `In jk_endpoint_t::service, No more workers left, can not submit the request`)
  needles: ['All tomcat instances', 'Forcing recovery once', 'all workers are in error state', 'No more workers left, can not submit'],
  re: /All tomcat instances (failed, no more workers left(?: for recovery)?(?: \(attempt=\d+, retry=\d+\))?|are busy or in error state)|Forcing recovery once for (\d+) workers|all workers are in error state for session (\S+)|(No more workers left, can not submit the request)/,
  data: (m) => d({ what: m[1] ? (m[1].startsWith('failed') ? (/attempt=/.test(m[1]) ? 'attempt' : 'final') : 'busy') : m[2] ? 'forced-recovery' : m[4] ? 'final' : 'sticky', workers: num(m[2]) }),
};

/** lb: `service failed, worker W is in [local ]error state`. */
export const jkMemberError: SignalDef = {
  kind: 'jk-member-error',
  source: 'jk',
  needles: ['service failed, worker'],
  re: /service failed, worker (\S+) is in (local )?error state/,
  data: (m) => d({ member: m[1], scope: m[2] ? 'local' : 'global' }),
};

/** DEBUG lb: `worker W escalating local error to global error` (1.2.28+). */
export const jkEscalation: SignalDef = {
  kind: 'jk-escalation',
  source: 'jk',
  debugOnly: true,
  needles: ['escalating local error to global error'],
  re: /worker (\S+) escalating local error to global error/,
  data: (m) => d({ member: m[1] }),
};

/** `request failed[ (soft)], because of response status S, ` (fail_on_status). */
export const jkFailOnStatus: SignalDef = {
  kind: 'jk-fail-on-status',
  source: 'jk',
  needles: ['because of response status'],
  re: /request failed(.*?), because of response status (\d+)/,
  data: (m, ev) => d({ soft: /soft/.test(m[1]) ? 'yes' : 'no', status: num(m[2]), worker: workerIn(ev) }),
};

/** Endpoint pool exhausted: `Unable to get the free endpoint for worker W from N slots`, `Could not get endpoint for worker=W`,
 * lb `could not get free endpoint for worker W`, ISAPI `Failed to obtain an endpoint to service request`, old `can't find free endpoint`. */
export const jkNoEndpoint: SignalDef = {
  kind: 'jk-no-endpoint',
  source: 'jk',
  needles: ['free endpoint', 'Could not get endpoint', 'Failed to obtain an endpoint'],
  re: /Unable to get the free endpoint for worker (\S+) from (\d+) slots|Could not get endpoint for worker=(\S+)|could not get free endpoint for worker (\S+)|Failed to obtain an endpoint to service request|can't find free endpoint/,
  data: (m) => d({ worker: m[1] ?? m[3] ?? m[4], slots: num(m[2]) }),
};

/** Startup: `Could not find worker with name 'W' in uri map post processing.` (1.2.27+). */
export const jkUriMapUnknownWorker: SignalDef = {
  kind: 'jk-urimap-unknown-worker',
  source: 'jk',
  needles: ['Could not find worker with name'],
  re: /Could not find worker with name '([^']*)' in uri map/,
  data: (m) => d({ worker: m[1] }),
};

/** Request time: `Could not find a worker for worker name=W` (mod_jk.c), ISAPI `could not get a worker for name W`. */
export const jkUnknownWorker: SignalDef = {
  kind: 'jk-unknown-worker',
  source: 'jk',
  needles: ['Could not find a worker for worker name', 'could not get a worker for name'],
  re: /Could not find a worker for worker name=(\S+)|could not get a worker for name (\S+)/,
  data: (m) => d({ worker: m[1] ?? m[2] }),
};

/** WARN `AJP13 protocol: Reuse is set to false` (END_RESPONSE with reuse=0). */
export const jkReuseFalse: SignalDef = {
  kind: 'jk-reuse-false',
  source: 'jk',
  needles: ['Reuse is set to false'],
  re: /Reuse is set to false/,
  data: (_m, ev) => d({ worker: workerIn(ev) }),
};

/** `No body with status=S for worker=W` (backend error status without a body). */
export const jkNoBodyStatus: SignalDef = {
  kind: 'jk-no-body-status',
  source: 'jk',
  needles: ['No body with status='],
  re: /No body with status=(\d+) for worker=(\S+)/,
  data: (m) => d({ status: num(m[1]), worker: m[2] }),
};

/** Startup banner `mod_jk/1.2.28 initialized`, `isapi_redirect/1.2.28 initialized`. */
export const jkVersion: SignalDef = {
  kind: 'jk-version',
  source: 'jk',
  needles: [' initialized'],
  re: /((?:mod_jk|isapi_redirect(?:or)?)\/(\d+\.\d+\.\d+)\S*) initialized/,
  data: (m) => d({ product: m[1], version: m[2] }),
};

/** Stale/late packets seen while reading: `Unknown AJP protocol code: XX`, DEBUG `Ignoring flush message received while sending the request` (1.2.31+, bz 49413). */
export const jkLatePacket: SignalDef = {
  kind: 'jk-late-packet',
  source: 'jk',
  needles: ['Unknown AJP protocol code', 'Ignoring flush message received while sending', 'Unexpected AJP13_SEND_BODY_CHUNK'],
  re: /Unknown AJP protocol code: ([0-9A-Fa-f]{1,2})|Ignoring flush message received while sending the request|Unexpected AJP13_SEND_BODY_CHUNK/,
  data: (m, ev) => d({ code: m[1] ? parseInt(m[1], 16) : 3, worker: workerIn(ev) }),
};

/** DEBUG `timeout T set for socket=S` (socket_timeout active, jk_open_socket). */
export const jkSocketTimeoutSet: SignalDef = {
  kind: 'jk-socket-timeout-set',
  source: 'jk',
  debugOnly: true,
  needles: ['set for socket='],
  re: /timeout (\d+) set for socket=(-?\d+)/,
  data: (m) => d({ timeoutMs: num(m[1]), socket: num(m[2]) }),
};

// ---------------------------------------------------------------------------------------------
// httpd mod_proxy_ajp / mod_proxy (2.4 with AH codes, 2.2 with `proxy: ` prefixes)
// ---------------------------------------------------------------------------------------------

/** AH00957 `(E)…: AJP: attempt to connect to IP:P (host[:port]) failed` (2.2: `proxy: AJP: attempt to connect…`). */
export const httpdConnectFailed: SignalDef = {
  kind: 'httpd-connect-failed',
  source: 'httpd',
  needles: ['attempt to connect to'],
  re: /AJP: attempt to connect to (\S+?)(?: \(([^)]*)\))? failed/i,
  data: (m, ev) => d({ backend: m[1], name: m[2], errno: aprIn(ev.text) }),
};

/** AH00959 `ap_proxy_connect_backend disabling worker for (host[:port]) for Ns`, AH00940 `AJP: disabled connection for (host)`,
 * AH00896 `failed to make connection to backend: host`. */
export const httpdWorkerDisabled: SignalDef = {
  kind: 'httpd-worker-disabled',
  source: 'httpd',
  needles: ['disabling worker for', 'disabled connection for', 'failed to make connection to backend'],
  re: /disabling worker for \(([^)]*)\)|AJP: disabled connection for \(([^)]*)\)|failed to make connection to backend: (\S+)/i,
  data: (m) => d({ name: m[1] ?? m[2] ?? m[3], what: m[1] ? 'disabling' : m[2] ? 'disabled' : 'no-connection' }),
};

/** AH01030 `(S)…: ajp_ilink_receive() can't receive header` (status = why: 70007 timeout, 70014 EOF, 104 reset). */
export const httpdReceiveHeader: SignalDef = {
  kind: 'httpd-receive-header',
  source: 'httpd',
  needles: ["can't receive header"],
  re: /ajp_ilink_receive\(\) can't receive header/,
  data: (_m, ev) => d({ apr: aprIn(ev.text) }),
};

/**
 * mod_proxy_ajp could not send on the backend connection: `AH01029: ajp_ilink_send(): send failed`
 * (ajp_link.c ajp_ilink_send; 2.2 the same text without the code), with the status in front:
 * `(32)Broken pipe`, `(104)Connection reset by peer` on a pooled connection the backend closed.
 */
export const httpdSendFailed: SignalDef = {
  kind: 'httpd-send-failed',
  source: 'httpd',
  needles: ['ajp_ilink_send(): send failed'],
  re: /ajp_ilink_send\(\): send failed/,
  data: (_m, ev) => d({ apr: aprIn(ev.text) }),
};

/** AH00878 `read response failed from IP:P (host)` and AH00893 `dialog to IP:P (host) failed` (2.2: `proxy: …`). */
export const httpdReadResponseFailed: SignalDef = {
  kind: 'httpd-read-response-failed',
  source: 'httpd',
  needles: ['read response failed from', 'dialog to '],
  re: /read response failed from (\S+) \(([^)]*)\)|dialog to (\S+) \(([^)]*)\) failed/,
  data: (m, ev) => d({ backend: m[1] ?? m[3], name: m[2] ?? m[4], phase: m[1] ? 'headers' : 'body', apr: aprIn(ev.text) }),
};

/** AH00992 `ajp_read_header: ajp_ilink_receive failed` (follows AH01030). */
export const httpdReadHeaderFailed: SignalDef = {
  kind: 'httpd-read-header-failed',
  source: 'httpd',
  needles: ['ajp_read_header: ajp_ilink_receive failed'],
  re: /ajp_read_header: ajp_ilink_receive failed/,
};

/** AH00897 `cping/cpong failed to IP:P (host)` and AH01012 `ajp_handle_cping_cpong: ajp_ilink_receive failed`. */
export const httpdCpingFailed: SignalDef = {
  kind: 'httpd-cping-failed',
  source: 'httpd',
  needles: ['cping/cpong failed to', 'ajp_handle_cping_cpong: ajp_ilink_receive failed'],
  re: /cping\/cpong failed to (\S+) \(([^)]*)\)|ajp_handle_cping_cpong: ajp_ilink_receive failed/,
  data: (m, ev) => d({ backend: m[1], name: m[2], what: m[1] ? 'AH00897' : 'AH01012', apr: aprIn(ev.text) }),
};

/** AH01014 `ajp_handle_cping_cpong: awaited CPONG, received N `. */
export const httpdCpongUnexpected: SignalDef = {
  kind: 'httpd-cpong-unexpected',
  source: 'httpd',
  needles: ['awaited CPONG, received'],
  re: /awaited CPONG, received (\d+)/,
  data: (m) => d({ ajpType: num(m[1]) }),
};

/** AH01080 `ajp_msg_check_header() got bad signature MMMM` (2.2 `ajp_check_msg_header() got bad signature %x%x`). */
export const httpdBadSignature: SignalDef = {
  kind: 'httpd-bad-signature',
  source: 'httpd',
  needles: ['got bad signature'],
  re: /got bad signature ([0-9a-fA-F]+)/,
  data: (m) => d({ magic: m[1].toLowerCase().padStart(4, '0') }),
};

/** AH01081 `ajp_msg_check_header() incoming message is too big N, max is M`. */
export const httpdTooBig: SignalDef = {
  kind: 'httpd-too-big',
  source: 'httpd',
  needles: ['incoming message is too big'],
  re: /incoming message is too big (\d+), max is (\d+)/,
  data: (m) => d({ size: num(m[1]), max: num(m[2]) }),
};

/** Request marshalling overflow: AH00968–AH00982 `ajp_marshal_into_msgb: Error appending …`, AH03229 `BufferOverflowException`,
 * AH00988 `ajp_send_header: ajp_marshal_into_msgb failed`. */
export const httpdMarshalFailed: SignalDef = {
  kind: 'httpd-marshal-failed',
  source: 'httpd',
  needles: ['ajp_marshal_into_msgb', 'BufferOverflowException'],
  re: /ajp_marshal_into_msgb: Error appending (?:the )?(\S(?:[^\n]*\S)?)?\s*$|(?<!\w)(\w+)\(\): BufferOverflowException (\d+) (\d+)|ajp_send_header: ajp_marshal_into_msgb failed/,
  data: (m) => d({ item: m[1], fn: m[2], pos: num(m[3]), len: num(m[4]) }),
};

/** AH00877 `read zero bytes, expecting N bytes` (request body announced, not sent). */
export const httpdReadZero: SignalDef = {
  kind: 'httpd-read-zero',
  source: 'httpd',
  needles: ['read zero bytes'],
  re: /read zero bytes, expecting (\d+) bytes/,
  data: (m) => d({ bytes: num(m[1]) }),
};

/** Client side: AH02822 `dialog with client … failed`, AH02821 `client connection aborted`, AH00887 `Client aborted connection`. */
export const httpdClientAbort: SignalDef = {
  kind: 'httpd-client-abort',
  source: 'httpd',
  needles: ['dialog with client', 'lient aborted connection', 'client connection aborted'],
  re: /dialog with client (\S+) failed|error processing body\. Client aborted connection|client connection aborted/,
  data: (m) => d({ what: m[1] ? 'upload' : 'download', client: m[1] }),
};

/** AH01170 / AH01167 `balancer://x: All workers are in error state[ for route (r)]` (2.2 `proxy: BALANCER: (balancer://x). All workers…`). */
export const httpdBalancerAllError: SignalDef = {
  kind: 'httpd-balancer-all-error',
  source: 'httpd',
  needles: ['All workers are in error state'],
  re: /(balancer:\/\/[^\s:).]+)?\)?[.:]? All workers are in error state(?: for route \(([^)]*)\))?/,
  data: (m) => d({ balancer: m[1], route: m[2] }),
};

// ---------------------------------------------------------------------------------------------
// Tomcat (AjpProcessor, AjpMessage, Connector) — juli/catalina lines
// ---------------------------------------------------------------------------------------------

/** `Invalid message received with signature [N]` (brackets since 8.5.15), Tomcat 5/6 `BAD packet signature N`. */
export const tomcatInvalidSignature: SignalDef = translated({
  kind: 'tomcat-invalid-signature',
  source: 'tomcat',
  needles: ['Invalid message received with signature', 'BAD packet signature'],
  // Tomcat formats the numbers with java.text.MessageFormat: locale grouping ("18,245", "18.245") is common.
  re: /Invalid message received with signature \[?(-?\d[\d,.\u00a0\u202f']*)\]?|BAD packet signature (-?\d+)/,
  data: (m) => d({ signature: javaInt(m[1] ?? m[2]) }),
}, ['ajpmessage.invalid'], (a) => d({ signature: javaInt(a[0]) }));

/** `Header message of length [N] received but the packetSize is only [M]` (ajpprocessor.header.tooLong). */
export const tomcatHeaderTooLong: SignalDef = translated({
  kind: 'tomcat-header-too-long',
  source: 'tomcat',
  needles: ['received but the packetSize is only'],
  re: /Header message of length \[?(\d[\d,.\u00a0\u202f']*)\]? received but the packetSize is only \[?(\d[\d,.\u00a0\u202f']*)\]?/,
  data: (m) => d({ size: javaInt(m[1]), max: javaInt(m[2]) }),
}, ['ajpprocessor.header.tooLong'], (a) => d({ size: javaInt(a[0]), max: javaInt(a[1]) }));

/** `Rejecting request due to unknown request attribute [NAME] received from reverse proxy` (9.0.36+/8.5.56+). */
export const tomcatUnknownAttribute: SignalDef = translated({
  kind: 'tomcat-unknown-attribute',
  source: 'tomcat',
  needles: ['unknown request attribute'],
  re: /unknown request attribute \[([^\]]*)\]/,
  data: (m) => d({ attribute: m[1] }),
}, ['ajpprocessor.unknownAttribute'], (a) => d({ attribute: a[0] }));

/** The message keys of a connector / component / end point that failed to initialise or start (tomcat-messages.ts). */
const LISTENER_FAIL_KEYS = [
  'lifecycleBase.initFail', 'lifecycleBase.startFail', 'standardService.connector.initFailed', 'standardService.connector.startFailed',
  'coyoteConnector.protocolHandlerInitializationFailed', 'coyoteConnector.protocolHandlerStartFailed',
  'abstractProtocolHandler.initError', 'abstractProtocolHandler.startError',
];

/** Why an AJP listener could not open its socket or start, read from the exception chain of its log event. */
export type ListenerFailure = 'in-use' | 'address' | 'permission' | 'secret-required' | 'unknown';
const LISTENER_REASONS: readonly [RegExp, ListenerFailure][] = [
  [/secretRequired="?true"? but the secret|secret attribute is either null or ""/, 'secret-required'],
  [/Address already in use|Address in use|EADDRINUSE|Port busy/, 'in-use'],
  [/Cannot assign requested address|Address family not supported|Protocol family unavailable|UnknownHostException|Unresolved address|Can't assign requested address/, 'address'],
  [/BindException: Permission denied|SocketException: Permission denied/, 'permission'],
];
export function listenerFailureIn(text: string): ListenerFailure {
  for (const [re, why] of LISTENER_REASONS) if (re.test(text)) return why;
  return 'unknown';
}

/**
 * The container's AJP listener could not start, in the wordings of every container that has one:
 *  - Tomcat 7–11 StandardService / LifecycleBase: `Failed to initialize connector [Connector[AJP/1.3-8009]]`,
 *    `Failed to start connector [Connector[AJP/1.3-8009]]`, `Failed to initialize component [Connector[AJP/1.3-8009]]`
 *    (also `Connector[org.apache.coyote.ajp.AjpNioProtocol-8009]` when the protocol is a class name);
 *  - AbstractProtocol: `Failed to initialize end point associated with ProtocolHandler ["ajp-nio-8009"]`;
 *  - AbstractAjpProtocol.start (9.0.31 / 8.5.51 / 7.0.100+): `The AJP Connector is configured with secretRequired="true" but the secret attribute is either null or ""`;
 *  - Tomcat 5/6 org.apache.jk.common.ChannelSocket: `Port busy 8009 java.net.BindException: Address already in use`;
 *  - Jenkins' Winstone: `Failed to start a listener: winstone.ajp13.Ajp13Listener`.
 * `what` is the reason the exception chain gives (listenerFailureIn); `phase` init (Tomcat binds the socket in
 * init() by default, bindOnInit) or start (the secret check is in AbstractAjpProtocol.start()).
 */
export const tomcatAjpStartFailed: SignalDef = translated({
  kind: 'tomcat-ajp-start-failed',
  source: 'tomcat',
  // The reason may stand in the few events after the failure line (the exception printed as
  // separate lines of a paste): shared.ts listenerFailures reads them.
  following: 4,
  needles: [
    'Failed to start connector [Connector[', 'Failed to initialize connector [Connector[', 'Failed to initialize component [Connector[',
    'Failed to start component [Connector[', 'associated with ProtocolHandler ["ajp-', 'secretRequired="true" but the secret',
    'Failed to start a listener: winstone.ajp13', 'Port busy',
  ],
  re: /Failed to (start|initialize) (?:connector|component) \[Connector\[(?:AJP\/1\.3|[\w.]*[Aa]jp[\w.]*)-(\d+)\]\]|Failed to (initialize|start) end ?point associated with ProtocolHandler \["ajp-\w+-(?:[^"]+-)?(\d+)"\]|(secretRequired="true" but the secret attribute is either null or "")|Failed to (start) a listener: winstone\.ajp13|Port busy (\d+)/,
  data: (m, ev) => {
    // Winstone's AJP13 listener opens its server socket when it starts: a bind, like Tomcat's init().
    const phase = m[1] ?? m[3] ?? (m[5] ? 'start' : 'init');
    return d({ port: num(m[2] ?? m[4] ?? m[7]), what: m[5] ? 'secret-required' : listenerFailureIn(ev.text), phase: phase === 'initialize' ? 'init' : phase });
  },
}, [...LISTENER_FAIL_KEYS, 'ajpprotocol.noSecret'], (a, key, ev) => {
  if (key === 'ajpprotocol.noSecret') return d({ what: 'secret-required', phase: 'start' });
  // The component / handler named in {0}: only the AJP ones (the same keys report HTTP connectors and any component).
  const what = a[0] ?? '';
  const ajp = /Connector\[(?:AJP\/1\.3|[\w.]*[Aa]jp[\w.]*)-(\d+)\]|"?ajp-\w+-(?:[^"]+-)?(\d+)"?/.exec(what);
  if (!ajp) return null;
  return d({ port: num(ajp[1] ?? ajp[2]), what: listenerFailureIn(ev.text), phase: /init|Init/.test(key) ? 'init' : 'start' });
});

/** `Starting|Initializing ProtocolHandler ["ajp-nio-127.0.0.1-8009"]` (the bind address is in the name since 8.5.x/9). */
export const tomcatAjpHandler: SignalDef = translated({
  kind: 'tomcat-ajp-handler',
  source: 'tomcat',
  needles: ['ProtocolHandler ["ajp-'],
  re: /(?:Starting|Initializing) ProtocolHandler \["ajp-(?:nio2|nio|bio|apr)-(?:(.+)-)?(\d+)"\]/,
  data: (m) => d({ address: m[1], port: num(m[2]) }),
}, ['abstractProtocolHandler.init', 'abstractProtocolHandler.start'], (a) => {
  const h = /"?ajp-(?:nio2|nio|bio|apr)-(?:(.+)-)?(\d+)"?/.exec(a[0] ?? '');
  return h ? d({ address: h[1], port: num(h[2]) }) : null;
});

/** Tomcat lifecycle lines: `Pausing ProtocolHandler ["ajp-…"]`, `Stopping service [Catalina]`, `Server startup in [N] milliseconds`. */
export const tomcatLifecycle: SignalDef = translated({
  kind: 'tomcat-lifecycle',
  source: 'tomcat',
  // `Server version[ name]: Apache Tomcat/…` (VersionLoggerListener) is the first line a starting JVM logs
  needles: ['Pausing ProtocolHandler', 'Stopping service', 'Server startup in', 'Stopping ProtocolHandler', 'Server version'],
  re: /(Pausing ProtocolHandler|Stopping ProtocolHandler|Stopping service|Server startup in|Server version)(?: \[?([\d,.]+)\]? ?m| name)?(?::\s+Apache Tomcat)?/,
  data: (m, ev) => (m[1] === 'Server version' && !/Server version(?: name)?:\s+Apache Tomcat/.test(ev.text) ? null : d({ what: m[1], ms: javaInt(m[2]) })),
}, ['abstractProtocolHandler.pause', 'abstractProtocolHandler.stop', 'standardService.stop.name', 'catalina.startup'], (_a, key) =>
  d({ what: key === 'abstractProtocolHandler.pause' ? 'Pausing ProtocolHandler' : key === 'abstractProtocolHandler.stop' ? 'Stopping ProtocolHandler' : key === 'standardService.stop.name' ? 'Stopping service' : 'Server startup in', ms: key === 'catalina.startup' ? javaInt(_a[0]) : undefined }),
);

/**
 * Tomcat's thread pool is full: Tomcat 5.5/6 ThreadPool.logFull `All threads ({0}) are currently busy,
 * waiting. Increase maxThreads ({1}) or check the servlet status` (threadpool.busy), Tomcat 6 endpoints
 * `Maximum number of threads ({0}) created for connector with address {1} and port {2}`
 * (endpoint.info.maxThreads); in every language Tomcat ships. (7.0+ endpoints log nothing when full.)
 */
export const tomcatThreadsFull: SignalDef = translated({
  kind: 'tomcat-threads-full',
  source: 'tomcat',
  needles: ['are currently busy, waiting', 'Maximum number of threads'],
  re: /All threads \((\d+)\) are currently busy, waiting\. Increase maxThreads \((\d+)\)|Maximum number of threads \((\d+)\) created for connector with address (\S+) and port (\d+)/,
  data: (m) => d({ busy: num(m[1]), maxThreads: num(m[2] ?? m[3]), port: num(m[5]) }),
}, ['threadpool.busy', 'endpoint.info.maxThreads'], (a, key) =>
  key === 'threadpool.busy' ? d({ busy: javaInt(a[0]), maxThreads: javaInt(a[1]) }) : d({ maxThreads: javaInt(a[0]), port: javaInt(a[2]) }),
);


/** DEBUG `(w) status = N` (ajp_unmarshal_response: the status of SEND_HEADERS). */
export const jkResponseStatus: SignalDef = {
  kind: 'jk-response-status',
  source: 'jk',
  debugOnly: true,
  needles: ['status = '],
  re: /ajp_unmarshal_response.*?status = (\d+)|\) status = (\d+)$/,
  data: (m, ev) => d({ status: num(m[1] ?? m[2]), worker: workerIn(ev) }),
};
