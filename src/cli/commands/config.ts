import { shown } from '../output.js';
import type { CliCommand } from '../command.js';
import { UserError } from '../exit-codes.js';
import { configRules, diagnose } from '../../rules/index.js';
import { buildReport, paint, renderFindingsText, verdictLine, type InputRef } from '../../report/index.js';
import { colorFor, textSources } from '../io.js';
import { CONFIG_OPTIONS } from '../options.js';
import { diagnoseExitCode } from '../findings.js';
import { readConfigFiles } from '../configs.js';
import type { ConfigFacts } from '../../config/index.js';

const KIND_NAME: Record<string, string> = { workers: 'workers.properties', uriworkermap: 'uriworkermap', httpd: 'httpd configuration', tomcat: 'Tomcat server.xml', jboss: 'WildFly / EAP standalone.xml', isapi: 'isapi_redirect.properties' };

/** What was read, for the text report: each file, its kind and what it holds. */
function readSummary(facts: ConfigFacts, color: boolean): string[] {
  const out = [paint(color, 'bold', 'Read:')];
  for (const f of facts.files) {
    const what: string[] = [];
    if (f.kind === 'workers') {
      const w = facts.workers.find((x) => x.path === f.path);
      if (w) what.push(`${w.workers.size} workers, worker.list=${w.list.join(',') || '(none)'}`);
    }
    if (f.kind === 'httpd') {
      const n = facts.httpd.filter((d) => d.path === f.path).length;
      what.push(`${n} directives`);
    }
    if (f.kind === 'tomcat' || f.kind === 'jboss') what.push(`${facts.connectors.filter((c) => c.path === f.path).length} AJP connectors`);
    const mounts = facts.mounts.filter((m) => m.path === f.path).length;
    if (mounts) what.push(`${mounts} mounts`);
    const proxies = facts.proxies.filter((p) => p.path === f.path).length;
    if (proxies) what.push(`${proxies} ajp:// proxies`);
    out.push(`  ${f.path}: ${KIND_NAME[f.kind] ?? f.kind}${what.length ? ` (${what.join(', ')})` : ''}`);
  }
  return out;
}

/** `ajp-inspect config FILE… | -`: audit workers.properties, uriworkermap, httpd, server.xml, standalone.xml, isapi_redirect.properties together. */
export const configCommand: CliCommand = {
  command: 'config <file> [more..]',
  describe: 'audit mod_jk / mod_proxy_ajp / Tomcat / WildFly configuration: each side against the Timeouts HowTo and the sides against each other',
  options: CONFIG_OPTIONS,
  builder: (y) =>
    y
      .positional('file', { type: 'string', describe: 'a configuration file (kind read from its content), or - for stdin' })
      .positional('more', { type: 'string', array: true, describe: 'more configuration files of the same setup, checked together' })
      .example('ajp-inspect config workers.properties /etc/httpd/conf/httpd.conf server.xml', 'both sides together: packet sizes, secrets, timeouts, mounts')
      .example('ajp-inspect config standalone.xml', 'a WildFly / EAP ajp-listener'),
  async run(argv, o, out) {
    const sources = textSources(argv.file, argv.more, 'configuration files');
    const facts = readConfigFiles(sources);
    const result = diagnose({ events: [], config: facts }, { rules: configRules });
    // Rules for other configuration kinds than those given are not worth listing.
    result.notEvaluated = [];
    const inputs: InputRef[] = facts.files.map((f) => ({ path: f.path, kind: 'config', format: f.kind }));
    const color = colorFor(argv, o.output);
    if (o.format === 'text') {
      const lines = [verdictLine(result.findings, color, 'no problem found in this configuration.'), ''];
      if (result.findings.length) lines.push(...renderFindingsText(shown(result.findings), { color, width: process.stdout.columns }));
      else lines.push('No problem found: the checks of `ajp-inspect rules` (config-*) found nothing to report in these files.', '');
      lines.push(...readSummary(facts, color));
      out.write(lines.join('\n') + '\n');
    } else if (o.format === 'json') {
      out.write(JSON.stringify(buildReport({ inputs, findings: result.findings }), null, 2) + '\n');
    } else throw new UserError(`-T ${o.format}: config writes text or json`);
    return diagnoseExitCode(result.findings, o.failOn);
  },
};
