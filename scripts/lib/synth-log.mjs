/**
 * The synthetic log generator of the benches (scripts/bench-diagnose.mjs, scripts/bench.mjs):
 * realistic mod_jk 1.2.48 lines — debug request cycles of several workers and processes, with
 * info/warn/error incidents mixed in (client aborts, refused connects, reply timeouts, stale CPongs)
 * — or (`noise`) lines of other programs that only the message layer reads, a few real incidents
 * mixed in — or (`outage`) the log of a backend that is down for the whole file, as mod_jk at
 * JkLogLevel info writes it for every request: the refused connect, its retry, the error (every line
 * a signal the rules keep). Line shapes from samples/baseline/mod_jk.log.
 *
 *   await writeLog(file, lines, { noise, outage }) -> { lines, bytes }
 */
import { createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';

const WORKERS = ['node1', 'node2', 'node3', 'node4'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n) => String(n).padStart(2, '0');
function stamp(ms) {
  const d = new Date(ms);
  return `[${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')} ${d.getUTCFullYear()}]`;
}

// One debug request cycle, as mod_jk 1.2.48 logs it (shapes from samples/baseline/mod_jk.log).
function cycle(w, uri, bytes) {
  return [
    ['debug', `map_uri_to_worker_ext::jk_uri_worker_map.c (1167): Attempting to map URI '${uri}' from 2 maps`],
    ['debug', `find_match::jk_uri_worker_map.c (990): Found a wildchar match '/app/*=${w}'`],
    ['debug', `jk_handler::mod_jk.c (2802): Into handler jakarta-servlet worker=${w} r->proxyreq=0`],
    ['debug', `wc_get_worker_for_name::jk_worker.c (119): found a worker ${w}`],
    ['debug', `init_ws_service::mod_jk.c (1178): Service protocol=HTTP/1.1 method=GET ssl=false host=(null) addr=10.1.2.3 name=www.example.org port=443 auth=(null) user=(null) laddr=10.0.0.1 raddr=10.1.2.3 uaddr=10.1.2.3 uri=${uri}`],
    ['debug', `ajp_get_endpoint::jk_ajp_common.c (3356): (${w}) acquired connection pool slot=0 after 0 retries`],
    ['debug', `ajp_marshal_into_msgb::jk_ajp_common.c (680): (${w}) ajp marshaling done`],
    ['debug', `ajp_service::jk_ajp_common.c (2587): processing ${w} with 2 retries`],
    ['debug', 'ajp_connection_tcp_send_message::jk_ajp_common.c (1263): sending to ajp13 pos=4 len=5 max=16'],
    ['debug', 'ajp_connection_tcp_get_message::jk_ajp_common.c (1458): received from ajp13 pos=0 len=1 max=16'],
    ['debug', 'ajp_connection_tcp_send_message::jk_ajp_common.c (1263): sending to ajp13 pos=4 len=208 max=8192'],
    ['debug', 'ajp_connection_tcp_send_message::jk_ajp_common.c (1263): 0000    12 34 00 CC 02 02 00 08 48 54 54 50 2F 31 2E 31  - .4......HTTP/1.1'],
    ['debug', `ajp_send_request::jk_ajp_common.c (1767): (${w}) Statistics about invalid connections: connect check (0), cping (0), send (0)`],
    ['debug', `ajp_send_request::jk_ajp_common.c (1778): (${w}) request body to send 0 - request body to resend 0`],
    ['debug', 'ajp_connection_tcp_get_message::jk_ajp_common.c (1458): received from ajp13 pos=0 len=51 max=8192'],
    ['debug', `ajp_unmarshal_response::jk_ajp_common.c (735): (${w}) status = 200`],
    ['debug', 'ajp_unmarshal_response::jk_ajp_common.c (742): Number of headers is = 2'],
    ['debug', `ajp_unmarshal_response::jk_ajp_common.c (798): (${w}) Header[0] [Content-Type] = [text/html;charset=UTF-8]`],
    ['debug', 'ajp_connection_tcp_get_message::jk_ajp_common.c (1458): received from ajp13 pos=0 len=8188 max=8192'],
    ['debug', `ws_write::mod_jk.c (543): written ${bytes} out of ${bytes}`],
    ['debug', 'ajp_connection_tcp_get_message::jk_ajp_common.c (1458): received from ajp13 pos=0 len=2 max=8192'],
    ['debug', `ajp_process_callback::jk_ajp_common.c (2117): (${w}) AJP13 protocol: Reuse is OK`],
    ['debug', `ajp_reset_endpoint::jk_ajp_common.c (855): (${w}) resetting endpoint with socket 16`],
    ['debug', `ajp_done::jk_ajp_common.c (3162): (${w}) recycling connection pool for worker ${w} and socket 16`],
    ['debug', `jk_handler::mod_jk.c (3008): Service finished with status=200 for worker=${w}`],
  ];
}

// Incidents (info/warn/error), one every ~150 requests, rotating.
const incidents = [
  (w) => [
    ['info', `ajp_process_callback::jk_ajp_common.c (2073): (${w}) Writing to client aborted or client network problems`],
    ['info', `ajp_service::jk_ajp_common.c (2774): (${w}) sending request to tomcat failed (unrecoverable), because of client write error (attempt=1)`],
    ['info', `jk_handler::mod_jk.c (2965): Aborting connection for worker=${w}`],
  ],
  (w) => [
    ['info', 'jk_open_socket::jk_connect.c (815): connect to 10.0.0.9:8009 failed (errno=111)'],
    ['info', `ajp_connect_to_endpoint::jk_ajp_common.c (1064): (${w}) Failed opening socket to (10.0.0.9:8009) (errno=111)`],
    ['error', `ajp_send_request::jk_ajp_common.c (1724): (${w}) connecting to backend failed. Tomcat is probably not started or is listening on the wrong port (errno=111)`],
    ['info', `ajp_service::jk_ajp_common.c (2774): (${w}) sending request to tomcat failed (recoverable), because of error during request sending (attempt=1)`],
  ],
  (w) => [
    ['error', `ajp_get_reply::jk_ajp_common.c (2218): (${w}) Timeout with waiting reply from tomcat. Tomcat is down, stopped or network problems (errno=110)`],
    ['error', `ajp_service::jk_ajp_common.c (2767): (${w}) sending request to tomcat failed (unrecoverable), because of reply timeout (attempt=1)`],
  ],
  (w) => [
    ['info', `ajp_handle_cping_cpong::jk_ajp_common.c (1017): (${w}) awaited reply cpong, received 3 instead. Retrying next packet`],
  ],
  (w) => [
    ['warn', `ajp_process_callback::jk_ajp_common.c (2117): (${w}) AJP13 protocol: Reuse is set to false`],
  ],
];

// Lines of other programs (layouts the dialects do not parse, or access logs), one request's worth.
function noise(ms, req) {
  const d = new Date(ms);
  const iso = d.toISOString().replace('T', ' ').replace('Z', '');
  const hms = iso.slice(11);
  return [
    `10.1.${req % 250}.${req % 200} - - [21/Nov/2026:08:00:${p2((req / 10) % 60 | 0)} +0000] "GET /app/page${req % 97}?q=${req} HTTP/1.1" 200 ${4000 + (req % 4000)} "-" "Mozilla/5.0 (X11; Linux x86_64)"`,
    `${iso.replace('.', ',')} - app.worker - INFO - processed job ${req} in ${req % 900} ms (queue=${req % 13})`,
    `${hms} [http-nio-8080-exec-${req % 40}] INFO  c.e.shop.CartService - cart ${req} updated, ${req % 9} items, user=u${req % 1000}`,
    `Nov 21 08:00:${p2((req / 10) % 60 | 0)} web1 systemd[1]: Started Session ${req} of user deploy.`,
    `2026/11/21 08:00:${p2((req / 10) % 60 | 0)} [warn] 1234#1234: *${req} upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/${req % 10}/${req}, client: 10.1.2.3, server: www.example.org`,
    `{"ts":"${d.toISOString()}","level":"debug","msg":"cache miss","key":"product:${req}","latency_ms":${req % 50}}`,
  ].map((m) => ['', m]);
}

/** Writes n lines to file; resolves to { lines, bytes }. */
export async function writeLog(file, n, { noise: isNoise = false, outage = false } = {}) {
  const out = createWriteStream(file);
  let lines = 0;
  let ms = Date.UTC(2026, 10, 21, 8, 0, 0);
  let req = 0;
  let buf = '';
  while (lines < n) {
    const w = WORKERS[req % WORKERS.length];
    const pid = 20000 + (req % 6);
    const tid = 140536740562624 + (req % 25) * 8392704;
    const prefix = `[${pid}:${tid}]`;
    const every = Number(process.env.INCIDENT_EVERY ?? 150);
    const block = outage ? incidents[1](w) : req % every === every - 1 ? incidents[(req / every) % incidents.length | 0](w) : isNoise ? noise(ms, req) : cycle(w, `/app/page${req % 97}`, 4000 + (req % 4000));
    for (const [lvl, msg] of block) {
      if (lines >= n) break;
      buf += lvl === '' ? `${msg}\n` : `${stamp(ms)} ${prefix} [${lvl}] ${msg}\n`;
      lines++;
    }
    ms += 37;
    req++;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  return { lines, bytes: statSync(file).size };
}
