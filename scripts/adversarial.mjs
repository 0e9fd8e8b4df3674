#!/usr/bin/env node
/**
 * Adversarial large inputs (issue 15, point 2): builds each hostile input in a temporary folder and
 * runs the built CLI on it under /usr/bin/time, printing wall time, peak RSS and the exit code (a
 * measurement, not a test: run it by hand, `npm run build && node scripts/adversarial.mjs`).
 *
 *   --only NAME[,NAME]   run only these cases      --keep   keep the inputs (folder printed)
 *   --scale F            multiply the sizes (default 1; 0.1 for a quick look)
 *
 * Bounds the issue asks for: no crash (exit 0, 1, or 2 with one line), peak RSS ≤ 256 MB for an
 * input ≤ 10 MB (more for the larger ones is printed, for the closing note), time about linear.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, createWriteStream, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const args = process.argv.slice(2);
const opt = (n) => {
  const i = args.indexOf(n);
  return i < 0 ? undefined : args[i + 1];
};
const only = opt('--only')?.split(',');
const scale = Number(opt('--scale') ?? 1);
const keep = args.includes('--keep');
if (!existsSync(cli)) {
  console.error('adversarial: build first (npm run build)');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'ajp-adv-'));

// ---- tiny pcap writer: Ethernet / IPv4 / TCP, checksums 0 (tshark does not check them by default)
function ip4(s) {
  return Buffer.from(s.split('.').map(Number));
}
function tcpFrame({ src, sport, dst, dport, seq, ack = 0, flags, payload = Buffer.alloc(0) }) {
  const tcp = Buffer.alloc(20);
  tcp.writeUInt16BE(sport, 0);
  tcp.writeUInt16BE(dport, 2);
  tcp.writeUInt32BE(seq >>> 0, 4);
  tcp.writeUInt32BE(ack >>> 0, 8);
  tcp[12] = 5 << 4;
  tcp[13] = flags;
  tcp.writeUInt16BE(65535, 14);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 20 + payload.length, 2);
  ip[8] = 64;
  ip[9] = 6;
  ip4(src).copy(ip, 12);
  ip4(dst).copy(ip, 16);
  const eth = Buffer.alloc(14);
  eth.writeUInt16BE(0x0800, 12);
  return Buffer.concat([eth, ip, tcp, payload]);
}
const S = 0x02, A = 0x10, P = 0x08, SA = 0x12, PA = 0x18;
function pcapHeader() {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(262144, 16);
  h.writeUInt32LE(1, 20);
  return h;
}
function record(frame, ts) {
  const r = Buffer.alloc(16);
  r.writeUInt32LE(Math.floor(ts), 0);
  r.writeUInt32LE(Math.round((ts % 1) * 1e6), 4);
  r.writeUInt32LE(frame.length, 8);
  r.writeUInt32LE(frame.length, 12);
  return Buffer.concat([r, frame]);
}
/** Writes a pcap from a generator of [frame, ts] without holding it all. */
async function writePcap(path, gen) {
  const out = createWriteStream(path);
  const write = (b) => (out.write(b) ? Promise.resolve() : new Promise((r) => out.once('drain', r)));
  await write(pcapHeader());
  let batch = [];
  for (const [f, ts] of gen()) {
    batch.push(record(f, ts));
    if (batch.length >= 4096) {
      await write(Buffer.concat(batch));
      batch = [];
    }
  }
  await write(Buffer.concat(batch));
  await new Promise((r) => out.end(r));
  return path;
}
const n = (x) => Math.max(1, Math.round(x * scale));
const C = '10.0.0.1', Sv = '10.0.0.2';

/** A connection's handshake, then `body` from the client; the server ACKs nothing more. */
function* handshake(sport, t) {
  yield [tcpFrame({ src: C, sport, dst: Sv, dport: 8009, seq: 1000, flags: S }), t];
  yield [tcpFrame({ src: Sv, sport: 8009, dst: C, dport: sport, seq: 5000, ack: 1001, flags: SA }), t + 0.0001];
  yield [tcpFrame({ src: C, sport, dst: Sv, dport: 8009, seq: 1001, ack: 5001, flags: A }), t + 0.0002];
}

const cases = {
  'million-syn-flows': async () =>
    writePcap(join(dir, 'syn.pcap'), function* () {
      for (let i = 0; i < n(1e6); i++) yield [tcpFrame({ src: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, sport: 1024 + (i % 60000), dst: Sv, dport: 8009, seq: i, flags: S }), 1e9 + i * 1e-5];
    }),
  'ooo-100k-segments': async () =>
    writePcap(join(dir, 'ooo.pcap'), function* () {
      yield* handshake(40000, 1e9);
      const N = n(1e5);
      const seg = Buffer.alloc(100, 0x41);
      for (let i = N - 1; i >= 1; i--) yield [tcpFrame({ src: C, sport: 40000, dst: Sv, dport: 8009, seq: 1001 + i * 100, ack: 5001, flags: PA, payload: seg }), 1e9 + 0.001 + (N - i) * 1e-6];
      yield [tcpFrame({ src: C, sport: 40000, dst: Sv, dport: 8009, seq: 1001, ack: 5001, flags: PA, payload: seg }), 1e9 + 1];
    }),
  'huge-seq-gaps': async () =>
    writePcap(join(dir, 'gaps.pcap'), function* () {
      yield* handshake(40001, 1e9);
      const seg = Buffer.from('1234000a02020008485454502f312e31', 'hex');
      for (let i = 0; i < n(1e5); i++) yield [tcpFrame({ src: C, sport: 40001, dst: Sv, dport: 8009, seq: (1001 + i * 0x40000000) >>> 0, ack: 5001, flags: PA, payload: seg }), 1e9 + i * 1e-5];
    }),
  'many-syn-one-tuple': async () =>
    writePcap(join(dir, 'synreuse.pcap'), function* () {
      for (let i = 0; i < n(2e5); i++) yield [tcpFrame({ src: C, sport: 40002, dst: Sv, dport: 8009, seq: i * 7919, flags: S }), 1e9 + i * 1e-4];
    }),
  'ajp-all-65535': async () =>
    writePcap(join(dir, 'ajp65535.pcap'), function* () {
      yield* handshake(40003, 1e9);
      // Every 4 bytes a header claiming 65535 bytes: the framer resynchronises over and over.
      const seg = Buffer.alloc(1400);
      for (let o = 0; o < seg.length; o += 4) seg.writeUInt32BE(0x1234ffff, o);
      let seq = 1001;
      for (let i = 0; i < n(7500); i++, seq += seg.length) yield [tcpFrame({ src: C, sport: 40003, dst: Sv, dport: 8009, seq, ack: 5001, flags: PA, payload: seg }), 1e9 + i * 1e-5];
    }),
  'cping-no-cpong-1M': async () =>
    writePcap(join(dir, 'cping.pcap'), function* () {
      yield* handshake(40004, 1e9);
      const cp = Buffer.from('12340001' + '0a', 'hex');
      const seg = Buffer.concat(Array.from({ length: 256 }, () => cp));
      let seq = 1001;
      for (let i = 0; i < n(4000); i++, seq += seg.length) yield [tcpFrame({ src: C, sport: 40004, dst: Sv, dport: 8009, seq, ack: 5001, flags: PA, payload: seg }), 1e9 + i * 1e-4];
    }),
  'mcmp-status-16k-params': async () =>
    writePcap(join(dir, 'mcmp.pcap'), function* () {
      const params = Array.from({ length: n(16000) }, (_, i) => `Unknown${i}=v${i}`).join('&');
      const body = `JVMRoute=node1&Load=50&${params}`;
      const req = Buffer.from(`STATUS / HTTP/1.1\r\nHost: 10.0.0.2:6666\r\nContent-Length: ${body.length}\r\n\r\n${body}`, 'latin1');
      yield [tcpFrame({ src: C, sport: 40005, dst: Sv, dport: 6666, seq: 1000, flags: S }), 1e9];
      yield [tcpFrame({ src: Sv, sport: 6666, dst: C, dport: 40005, seq: 5000, ack: 1001, flags: SA }), 1e9];
      let seq = 1001;
      for (let o = 0; o < req.length; o += 100, seq += 100) yield [tcpFrame({ src: C, sport: 40005, dst: Sv, dport: 6666, seq, ack: 5001, flags: PA, payload: req.subarray(o, o + 100) }), 1e9 + o * 1e-7];
    }),
  'pcapng-block-4GB': async () => {
    const shb = Buffer.alloc(28);
    shb.writeUInt32LE(0x0a0d0d0a, 0);
    shb.writeUInt32LE(28, 4);
    shb.writeUInt32LE(0x1a2b3c4d, 8);
    shb.writeUInt16LE(1, 12);
    shb.writeBigInt64LE(-1n, 16);
    shb.writeUInt32LE(28, 24);
    const blk = Buffer.alloc(64);
    blk.writeUInt32LE(6, 0);
    blk.writeUInt32LE(0xfffffffc, 4);
    const p = join(dir, 'block4g.pcapng');
    writeFileSync(p, Buffer.concat([shb, blk]));
    return p;
  },
  'gzip-bomb-1GB': async () => {
    // A pcap header, then 1 GB of zeros (records of 0 bytes at time 0): 1 MB compressed.
    const p = join(dir, 'bomb.pcap.gz');
    const zeros = Buffer.alloc(n(1024) * 1024 * 1024 > 2 ** 30 ? 2 ** 30 : n(1024) * 1024 * 1024);
    writeFileSync(p, gzipSync(Buffer.concat([pcapHeader(), zeros]), { level: 9 }));
    return p;
  },
  'log-10MB-line': async () => {
    const p = join(dir, 'longline.log');
    writeFileSync(p, `[Sat Nov 21 10:52:24.905 2026] [1:2] [error] ajp_connect_to_endpoint::jk_ajp_common.c (1): ${'failed appending '.repeat(n(600000))}\n`);
    return p;
  },
  'log-nul-invalid-utf8': async () => {
    const p = join(dir, 'binaryish.log');
    const line = Buffer.concat([Buffer.from('[Sat Nov 21 10:52:24 2026] [error] x \0\0\0 '), Buffer.from([0xc3, 0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from(' y\n')]);
    writeFileSync(p, Buffer.concat(Array.from({ length: n(200000) }, () => line)));
    return p;
  },
  'log-utf16-no-bom': async () => {
    const p = join(dir, 'utf16.log');
    const line = '[Sat Nov 21 10:52:24.905 2026] [1:2] [error] ajp_connect_to_endpoint::jk_ajp_common.c (1): Failed opening socket to (10.0.0.2:8009) (errno=111)\n';
    writeFileSync(p, Buffer.from(line.repeat(n(50000)), 'utf16le'));
    return p;
  },
  'log-1M-identical-lines': async () => {
    const p = join(dir, 'same.log');
    const line = '[Sat Nov 21 10:52:24.905 2026] [1:2] [error] ajp_connect_to_endpoint::jk_ajp_common.c (1): Failed opening socket to (10.0.0.2:8009) (errno=111)\n';
    const out = createWriteStream(p);
    const block = line.repeat(1000);
    for (let i = 0; i < n(1000); i++) if (!out.write(block)) await new Promise((r) => out.once('drain', r));
    await new Promise((r) => out.end(r));
    return p;
  },
  'log-100k-lines-20k-workers': async () => {
    // mod_jk lines of an outage across many workers and backends (a generated farm, or a scan of
    // addresses): the rules made a finding per worker and looked through the whole log for each
    // (71 CPU-s), merged a list per backend one after the other, and spread one argument per backend
    // (a RangeError past ~100,000 backends).
    const p = join(dir, 'many-workers.log');
    const lines = [];
    for (let i = 0; i < n(100000); i++) {
      const w = `w${i % 20000}`, ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, port = 8009 + (i % 500);
      const stamp = new Date(Date.UTC(2026, 10, 21, 8) + i * 37).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '[$1 $3 $2 $5.000 $4]');
      const pre = `${stamp} [${2000 + (i % 50)}:140536740562624] `;
      lines.push(
        [
          `${pre}[info] jk_open_socket::jk_connect.c (815): connect to ${ip}:${port} failed (errno=111)`,
          `${pre}[info] ajp_connect_to_endpoint::jk_ajp_common.c (1064): (${w}) Failed opening socket to (${ip}:${port}) (errno=111)`,
          `${pre}[error] ajp_get_reply::jk_ajp_common.c (2218): (${w}) Timeout with waiting reply from tomcat. Tomcat is down, stopped or network problems (errno=110)`,
          `${pre}[info] ajp_handle_cping_cpong::jk_ajp_common.c (1017): (${w}) awaited reply cpong, received 3 instead. Retrying next packet`,
          `${pre}[error] ajp_service::jk_ajp_common.c (2767): (${w}) sending request to tomcat failed (unrecoverable), because of reply timeout (attempt=1)`,
          `${pre}[info] ajp_process_callback::jk_ajp_common.c (2073): (${w}) Writing to client aborted or client network problems`,
        ][i % 6],
      );
    }
    writeFileSync(p, lines.join('\n') + '\n');
    return p;
  },
  'log-80k-httpd-lines-20k-backends': async () => {
    // mod_proxy_ajp's error_log across many backends: each AH00897 looked for a repeat among all the
    // others, each signal asked every backend's restart window (10 CPU-s at 80,000 lines).
    const p = join(dir, 'many-backends_error_log');
    const lines = [];
    for (let i = 0; i < n(80000); i++) {
      const j = i % 20000, ip = `10.${(j >> 16) & 255}.${(j >> 8) & 255}.${j & 255}`, hp = `${ip}:${8009 + (j % 500)}`;
      const d = new Date(Date.UTC(2026, 10, 21, 8) + i * 37);
      const stamp = d.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, `[$1 $3 $2 $5.${String(d.getUTCMilliseconds()).padStart(3, '0')}123 $4]`);
      const pre = `${stamp} `, pid = `[pid ${3000 + (i % 40)}:tid 1403${i % 100}]`, cl = `[client 192.0.2.${i % 250}:${40000 + (i % 20000)}]`;
      lines.push(
        [
          `${pre}[proxy:error] ${pid} (111)Connection refused: AH00957: AJP: attempt to connect to ${hp} (${ip}) failed`,
          `${pre}[proxy:error] ${pid} AH00959: ap_proxy_connect_backend disabling worker for (${ip}) for 60s`,
          `${pre}[proxy_ajp:error] ${pid} (70007)The timeout specified has expired: ${cl} AH00897: cping/cpong failed to ${hp} (${ip})`,
          `${pre}[proxy_ajp:error] ${pid} (70007)The timeout specified has expired: ${cl} AH00878: read response failed from ${hp} (${ip})`,
          `${pre}[proxy_ajp:error] ${pid} (104)Connection reset by peer: ${cl} AH01030: ajp_ilink_receive() can't receive header`,
          `${pre}[proxy_balancer:error] ${pid} ${cl} AH01167: balancer://c${j % 300}: All workers are in error state for route (r${j % 50})`,
        ][i % 6],
      );
    }
    writeFileSync(p, lines.join('\n') + '\n');
    return p;
  },
  'config-200k-connectors': async () => {
    // A generated (or pasted-twice-over) server.xml: the Service's children were searched once per
    // Connector (quadratic), and one finding per Connector went through the causal ordering.
    const p = join(dir, 'server.xml');
    const c = (i) => `<Connector port="${10000 + (i % 50000)}" protocol="AJP/1.3" redirectPort="8443" secretRequired="false" executor="ex"/>\n`;
    writeFileSync(p, `<Server port="8005">\n<Service name="Catalina">\n<Executor name="ex" maxThreads="200"/>\n${Array.from({ length: n(200000) }, (_, i) => c(i)).join('')}</Service>\n</Server>\n`);
    return p;
  },
  'config-8000-vhosts': async () => {
    // A hosting server's httpd configuration: a VirtualHost each with a JkMount and a ProxyPass. The
    // rules looked up a directive by walking every directive once per ProxyPass (quadratic: 5 s at
    // 8,000 hosts, 171 s at 37,000).
    const p = join(dir, 'httpd.conf');
    const v = (i) => `<VirtualHost *:80>\n  ServerName h${i}.example.com\n  DocumentRoot /var/www/h${i}\n  JkMount /app${i}/* w${i % 50}\n  ProxyPass /p${i}/ ajp://10.0.${(i >> 8) & 255}.${i & 255}:8009/p${i}/ timeout=30\n  ErrorLog logs/h${i}-error.log\n</VirtualHost>\n`;
    writeFileSync(p, `Listen 80\nLoadModule jk_module modules/mod_jk.so\n${Array.from({ length: n(8000) }, (_, i) => v(i)).join('')}`);
    return p;
  },
  'config-24000-workers': async () => {
    // workers.properties, server.xml and uriworkermap of one (generated) farm given together: every
    // worker was matched against every connector (8 s at 24,000 of each).
    const N = n(24000);
    const ip = (i) => `10.1.${(i >> 8) & 255}.${i & 255}`;
    const names = Array.from({ length: N }, (_, i) => `w${i}`);
    writeFileSync(join(dir, 'workers.properties'), `worker.list=lb\nworker.lb.type=lb\nworker.lb.balance_workers=${names.join(',')}\n${names.map((w, i) => `worker.${w}.type=ajp13\nworker.${w}.host=${ip(i)}\nworker.${w}.port=8009\n`).join('')}`);
    writeFileSync(join(dir, 'farm-server.xml'), `<Server port="8005">\n<Service name="Catalina">\n${names.map((_, i) => `<Connector port="${10000 + i}" protocol="AJP/1.3" address="${ip(i)}" secretRequired="false"/>\n`).join('')}<Engine name="Catalina" defaultHost="localhost" jvmRoute="r1"></Engine></Service></Server>\n`);
    writeFileSync(join(dir, 'uriworkermap.properties'), names.map((w, i) => `/app${i}/*=${w}\n`).join(''));
    return [join(dir, 'workers.properties'), join(dir, 'farm-server.xml'), join(dir, 'uriworkermap.properties')];
  },
};

const commandFor = (name, path) =>
  name.startsWith('log-')
    ? ['diagnose', path, '--log-tz', 'UTC']
    : name.startsWith('config-')
      ? ['config', path]
      : name.startsWith('mcmp')
        ? ['mcmp', path, '--mcmp-port', '6666']
        : [path, '--ajp-port', '8009'];

console.log(`adversarial inputs (scale ${scale}), ${dir}`);
console.log('case'.padEnd(24), 'input MB'.padStart(9), 'wall s'.padStart(8), 'peak RSS MB'.padStart(12), ' exit  stderr (first line)');
for (const [name, make] of Object.entries(cases)) {
  if (only && !only.includes(name)) continue;
  const made = await make();
  // (a case of several files given together: the first is the path the commands are made with, the others follow it)
  const paths = Array.isArray(made) ? made : [made];
  const path = paths[0];
  const size = paths.reduce((sum, p) => sum + statSync(p).size, 0);
  for (const extra of name.startsWith('log-') ? [[]] : name.startsWith('config-') ? [[], ['-T', 'json']] : [[], ['-T', 'json'], ['frames']]) {
    const argv = extra[0] === 'frames' ? ['frames', ...commandFor(name, path).filter((a) => a !== 'mcmp')] : [...commandFor(name, path), ...paths.slice(1), ...extra];
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, cli, ...argv], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'ignore', 'pipe'] });
    const lines = r.stderr.trim().split('\n');
    const [wall, rssKb] = (lines.pop() ?? '0 0').split(' ').map(Number);
    const label = `${name}${extra.length ? ' ' + extra.join(' ') : ''}`;
    console.log(label.padEnd(24), (size / 1048576).toFixed(1).padStart(9), wall.toFixed(2).padStart(8), (rssKb / 1024).toFixed(0).padStart(12), String(r.status).padStart(5), ' ', (lines.find((l) => l.trim() !== '' && !l.startsWith('Command exited')) ?? '').slice(0, 110));
  }
  if (!keep) for (const p of paths) rmSync(p, { force: true });
}
if (!keep) rmSync(dir, { recursive: true, force: true });
