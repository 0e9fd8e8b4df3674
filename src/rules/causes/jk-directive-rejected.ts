import { defineRule, type SignalDef } from '../types.js';
import { plural } from '../helpers.js';

/**
 * httpd reads its configuration and hands each mod_jk directive to mod_jk's command handler, which
 * returns an error string when it refuses it; httpd then prints `Syntax error on line N of FILE:`
 * (httpd 2.4: `AH00526: …`) followed by that string on a line of its own, and does not start (a
 * reload keeps the old configuration). The strings, tomcat-connectors native/apache-2.0/mod_jk.c
 * (jk/native/apache-2.0 up to 1.2.28; the same in 1.2.28 … 1.2.50): jk_set_worker_file `JkWorkersFile
 * only allowed once` (since 1.2.29 JkWorkersFile is global: a second one anywhere, a VirtualHost's
 * included, is refused), `JkWorkersFile file name invalid`, `JkWorkersFile: Can't find the workers
 * file specified`; jk_set_mount_file `JkMountFile file name invalid`, `JkMountFile: Can't find the
 * mount file specified`; jk_mount_context / jk_unmount_context `JkMount needs a path when not defined
 * in a location`, `JkMount can not have a path when defined in a location`, `JkMount context should
 * start with /` (and JkUnMount's); jk_set_mountcopy `JkMountCopy must be All, On or Off`; jk_set_options
 * `JkOptions: Illegal option '…'`; jk_set_worker_property `Invalid JkWorkerProperty …`; the others
 * (`JkLogFile file name invalid`, `JkShmFile file name invalid`, `JkStripSession must be On or Off`,
 * `Unrecognized JkRequestLogFormat directive %…`). httpd's own `Invalid command 'JkMount', perhaps
 * misspelled or defined by a module not included in the server configuration` (server/config.c
 * invoke_cmd / ap_walk_config) says mod_jk is not loaded where the directive is read.
 */
const jkDirectiveError: SignalDef = {
  kind: 'jk-directive-error',
  source: 'httpd',
  needles: [
    'only allowed once',
    'file name invalid',
    "Can't find the workers file specified",
    "Can't find the mount file specified",
    'needs a path when not defined in a location',
    'can not have a path when defined in a location',
    'context should start with /',
    'JkMountCopy must be',
    'JkOptions: Illegal option',
    'Invalid JkWorkerProperty',
    'JkStripSession must be',
    'Unrecognized JkRequestLogFormat directive',
    "Invalid command 'Jk",
  ],
  re: /\b(JkWorkersFile) only allowed once|\b(Jk\w+)(?::)? (?:file name invalid|Can't find the (?:workers|mount) file specified)|\b(Jk(?:Un)?Mount) (?:needs a path when not defined in a location|can not have a path when defined in a location|context should start with \/)|\b(JkMountCopy) must be All, On or Off|\b(JkOptions): Illegal option|Invalid (JkWorkerProperty)\b|\b(JkStripSession) must be On or Off|Unrecognized (JkRequestLogFormat) directive|Invalid command '(Jk\w+)', perhaps misspelled or defined by a module not included/,
  data: (m) => {
    const directive = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? m[7] ?? m[8] ?? m[9];
    return { directive, notLoaded: m[9] !== undefined ? 1 : undefined, once: m[1] !== undefined ? 1 : undefined, missing: /Can't find the/.test(m[0]) ? 1 : undefined, location: m[3] !== undefined ? 1 : undefined };
  },
};

/** httpd's `Syntax error on line N of FILE:` (2.4: AH00526) before the module's string: where the directive is. */
const httpdSyntaxError: SignalDef = {
  kind: 'httpd-syntax-error',
  source: 'httpd',
  needles: ['Syntax error on line'],
  re: /Syntax error on line (\d+) of (.+?):\s*$/,
  data: (m) => ({ line: Number(m[1]), file: m[2] }),
};

export default defineRule({
  id: 'jk-directive-rejected',
  title: 'httpd refuses a mod_jk directive of its configuration and does not start',
  severity: 'error',
  needs: { logs: [jkDirectiveError, httpdSyntaxError] },
  docs: {
    summary:
      "mod_jk refused one of its directives while httpd read its configuration (`Syntax error on line N of FILE:` and mod_jk's reason: JkWorkersFile given twice, a workers or mount file that is not there, a JkMount with or without a path in the wrong place, an illegal JkOptions), or the directive is read where mod_jk is not loaded (`Invalid command 'Jk…'`). httpd does not start (a graceful reload keeps the old configuration), so every request fails or the old mounts stay in effect.",
    remedy: [
      'JkWorkersFile only allowed once: keep a single JkWorkersFile, in the main server configuration; distributions already set one in their jk.conf / httpd-jk.conf (Debian, Ubuntu: /etc/apache2/mods-available/jk.conf), so remove the one a site or VirtualHost file adds (mod_jk 1.2.29+ makes it global).',
      "JkWorkersFile / JkMountFile: Can't find the … file specified: give the path of an existing file (absolute, or relative to ServerRoot) readable by the user httpd starts as.",
      'JkMount needs a path when not defined in a location / can not have a path when defined in a location: outside <Location> write JkMount /path/* worker; inside <Location /path> write JkMount worker.',
      "Invalid command 'Jk…': load mod_jk before the directive (LoadModule jk_module modules/mod_jk.so, Debian: a2enmod jk), or wrap the directives in <IfModule mod_jk.c>.",
      'Check with apachectl configtest (or httpd -t) before a restart.',
    ],
    references: [
      'https://tomcat.apache.org/connectors-doc/reference/apache.html (JkWorkersFile, JkMount, JkMountFile, JkOptions)',
      'tomcat-connectors native/apache-2.0/mod_jk.c jk_set_worker_file(), jk_set_mount_file(), jk_mount_context(), jk_set_options()',
      'httpd server/config.c ap_walk_config() (Invalid command …), server/main.c (AH00526 Syntax error on line …)',
    ],
  },
  check(ctx) {
    const errors = ctx.signals(jkDirectiveError);
    if (!errors.length) return [];
    const syntax = ctx.signals(httpdSyntaxError);
    // httpd prints the place on the line before the module's string
    const where = (e: (typeof errors)[number]): (typeof syntax)[number] | undefined => syntax.find((s) => s.ev.path === e.ev.path && s.seq < e.seq && e.ev.line - s.ev.line <= 1);
    const directives = [...new Set(errors.map((e) => String(e.d.directive)))];
    const places = errors.map(where).filter((s): s is NonNullable<typeof s> => s !== undefined);
    const place = places[0];
    const parts = [
      `httpd refused ${directives.join(', ')} ${plural(errors.length, 'time')}${place ? ` (line ${String(place.d.line)} of ${String(place.d.file)})` : ''}: it does not start with this configuration (a graceful reload keeps the old one).`,
    ];
    if (errors.some((e) => e.d.once)) parts.push('JkWorkersFile is set once for the whole server (mod_jk 1.2.29 and later): a second one, in a VirtualHost or an included site file, is refused; the distribution\'s jk.conf usually sets it already.');
    if (errors.some((e) => e.d.missing)) parts.push('The file the directive names does not exist where httpd looks (absolute, or relative to ServerRoot).');
    if (errors.some((e) => e.d.location)) parts.push('A JkMount inside <Location> takes the worker only; outside it takes the path and the worker.');
    if (errors.some((e) => e.d.notLoaded)) parts.push('The directive is read where mod_jk is not loaded: its LoadModule line is missing or comes after it.');
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: parts.join(' '),
        evidence: [...places, ...errors],
        subject: { directive: directives.join(',') },
      }),
    ];
  },
});
