import { defineRule } from '../types.js';
import { jkClientWriteError, jkLingering, jkVersion } from '../signals.js';
import { plural } from '../helpers.js';

export default defineRule({
  id: 'lingering-close-cpu-spike',
  title: 'mod_jk 1.2.31 busy-loops while draining lingering bytes',
  severity: 'warning',
  needs: { logs: [jkLingering, jkVersion, jkClientWriteError], debug: 'Shutdown socket … and read N lingering bytes in S sec.' },
  docs: {
    summary:
      'mod_jk 1.2.31 counted lingering bytes wrongly when a client aborted during a response write, spinning for up to 30 s per closed backend socket (httpd CPU spikes). Fixed in 1.2.32, which also caps the drain at 32 KiB / 2 s.',
    remedy: ['Upgrade mod_jk to 1.2.32 or later (bz 50839).'],
    references: ['https://bz.apache.org/bugzilla/show_bug.cgi?id=50839', 'https://tomcat.apache.org/connectors-doc/miscellaneous/changelog.html', 'tomcat-connectors native/common/jk_connect.c jk_shutdown_socket()'],
  },
  check(ctx) {
    const long = ctx.signals(jkLingering).filter((s) => Number(s.d.secs ?? 0) >= 10);
    const is1231 = ctx.jkVersion === '1.2.31';
    if (long.length) {
      return [
        ctx.finding({
          confidence: is1231 ? 'likely' : 'possible',
          explanation: `${plural(long.length, 'backend socket')} took ${long.map((s) => `${s.d.secs}s`).slice(0, 5).join(', ')} to close while draining lingering bytes${is1231 ? ' on mod_jk 1.2.31, the release with the lingering-close busy loop' : ''}; since 1.2.32 the drain stops after 2 s.`,
          evidence: long,
        }),
      ];
    }
    if (is1231 && ctx.signals(jkClientWriteError).length) {
      return [
        ctx.finding({
          confidence: 'possible',
          explanation: 'mod_jk 1.2.31 is in use and clients abort downloads: each abort can cost up to 30 s of CPU in the lingering close of the backend socket.',
          evidence: [...ctx.signals(jkVersion).slice(-1), ...ctx.signals(jkClientWriteError).slice(0, 5)],
          notes: ctx.jkDebug ? [] : ['raise JkLogLevel to debug to confirm: "Shutdown socket … and read N lingering bytes in 30 sec." shows the spin'],
        }),
      ];
    }
    return [];
  },
});
