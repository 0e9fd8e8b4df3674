import { defineRule } from '../types.js';
import type { Finding } from '../finding.js';
import { atLine, where } from './config-util.js';

/**
 * mod_jk's mounts belong to the server they are written in: a <VirtualHost> gets the main server's
 * JkMounts only with `JkMountCopy On` in it, or `JkMountCopy All` in the main server (1.2.26+)
 * (apache-2.0/mod_jk.c merge_jk_config; reference/apache.html JkMountCopy). Without it, requests to
 * the virtual host for a mounted URL are served by httpd itself (404, or the raw files).
 */
export default defineRule({
  id: 'config-mount-not-inherited',
  title: 'JkMount in the main server is not used by the virtual hosts (no JkMountCopy)',
  severity: 'warning',
  needs: { logs: [], config: ['httpd'] },
  docs: {
    summary:
      'JkMount lines are written outside any <VirtualHost>, and a <VirtualHost> has neither `JkMountCopy On` nor the main server `JkMountCopy All` (mod_jk 1.2.26+): the mounts do not apply to that virtual host, whose requests for those URLs httpd answers itself (404, directory listings, or the JSP source). Virtual hosts defined in files not given are not seen.',
    remedy: ['Add `JkMountCopy On` inside each <VirtualHost> that should forward (or `JkMountCopy All` once in the main server, mod_jk 1.2.26+), or move the JkMount lines into the virtual hosts.'],
    references: ['https://tomcat.apache.org/connectors-doc/reference/apache.html (JkMountCopy)', 'tomcat-connectors native/apache-2.0/mod_jk.c merge_jk_config'],
  },
  check(ctx) {
    const out: Finding[] = [];
    const ds = ctx.config.httpd;
    const isVhost = (s: string): boolean => /^virtualhost\b/i.test(s);
    const main = ctx.config.mounts.filter((m) => m.from === 'JkMount' && !m.unmount && m.vhost === undefined);
    if (!main.length) return out;
    const copyAll = ds.some((d) => d.name.toLowerCase() === 'jkmountcopy' && !d.sections.some(isVhost) && /^all$/i.test(d.args[0] ?? ''));
    if (copyAll) return out;
    // Each <VirtualHost> once: the first directive inside it tells where it is.
    const vhosts = new Map<string, { path: string; line: number; copy: boolean }>();
    for (const d of ds) {
      const v = d.sections.find(isVhost);
      if (v === undefined) continue;
      const key = `${d.path}|${v}`;
      const e = vhosts.get(key) ?? { path: d.path, line: d.line, copy: false };
      if (d.name.toLowerCase() === 'jkmountcopy' && /^(on|all)$/i.test(d.args[0] ?? '')) e.copy = true;
      vhosts.set(key, e);
    }
    const bare = [...vhosts].filter(([, e]) => !e.copy);
    if (!bare.length) return out;
    const names = bare.map(([k]) => k.slice(k.indexOf('|') + 1).replace(/^virtualhost\s*/i, ''));
    out.push(
      ctx.finding({
        confidence: 'possible',
        explanation: `${main.length === 1 ? `JkMount ${main[0]!.uri} (${where(main[0]!)}) is` : `${main.length} JkMounts (first ${main[0]!.uri} at ${where(main[0]!)}) are`} in the main server, and ${bare.length === 1 ? `the virtual host ${names[0]}` : `${bare.length} virtual hosts (${names.slice(0, 3).join(', ')})`} ${bare.length === 1 ? 'has' : 'have'} no JkMountCopy: requests to ${bare.length === 1 ? 'it' : 'them'} for those URLs are not forwarded to Tomcat.`,
        evidence: [...main.slice(0, 3).map((m) => atLine(m.path, m.line, `JkMount ${m.uri} ${m.worker}`)), ...bare.slice(0, 3).map(([k, e]) => atLine(e.path, e.line, `<${k.slice(k.indexOf('|') + 1)}> without JkMountCopy`))],
        remedy: ['JkMountCopy On (inside each <VirtualHost>), or JkMountCopy All in the main server'],
      }),
    );
    return out;
  },
});
