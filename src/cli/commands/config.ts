import { shown } from '../output.js';
import type { CliCommand } from '../command.js';
import { configRules, diagnose } from '../../rules/index.js';
import { buildReport, paint, renderFindingsText, verdictLine, type InputRef } from '../../report/index.js';
import { colorFor, textSources } from '../io.js';
import { CONFIG_OPTIONS, textOrJson, TEXT_OR_JSON } from '../options.js';
import { diagnoseExitCode } from '../findings.js';
import { readConfigFiles } from '../configs.js';
import type { ConfigFacts } from '../../config/index.js';

const KIND_NAME: Record<string, string> = { workers: 'workers.properties', uriworkermap: 'uriworkermap', httpd: 'httpd configuration', tomcat: 'Tomcat server.xml', jboss: 'WildFly / EAP standalone.xml', isapi: 'isapi_redirect.properties' };

/** What was read, for the text report: each file, its kind and what it holds (with what it included). */
function readSummary(facts: ConfigFacts, color: boolean): string[] {
  const out = [paint(color, 'bold', 'Read:')];
  // counts by file, in one pass each (a hosting configuration includes thousands of files)
  const count = <T extends { path: string }>(items: readonly T[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const it of items) m.set(it.path, (m.get(it.path) ?? 0) + 1);
    return m;
  };
  const directives = count(facts.httpd);
  const connectors = count(facts.connectors);
  const mounts = count(facts.mounts);
  const proxies = count(facts.proxies);
  const sum = (m: Map<string, number>, paths: readonly string[]): number => paths.reduce((n, p) => n + (m.get(p) ?? 0), 0);
  const many = (n: number, one: string, more = `${one}s`): string => `${n} ${n === 1 ? one : more}`;
  for (const f of facts.files) {
    const what: string[] = [];
    if (f.kind === 'workers') {
      const w = facts.workers.find((x) => x.path === f.path);
      if (w) what.push(`${many(w.workers.size, 'worker')}, worker.list=${w.list.join(',') || '(none)'}`);
    }
    const own = [f.path];
    if (f.kind === 'httpd') what.push(many(sum(directives, own), 'directive'));
    if (f.kind === 'tomcat' || f.kind === 'jboss') what.push(many(sum(connectors, own), 'AJP connector'));
    if (sum(mounts, own)) what.push(many(sum(mounts, own), 'mount'));
    if (sum(proxies, own)) what.push(many(sum(proxies, own), 'ajp:// proxy', 'ajp:// proxies'));
    const inc = f.included;
    if (inc !== undefined) {
      const also = [many(inc.directives, 'directive')];
      if (inc.mounts) also.push(many(inc.mounts, 'mount'));
      if (inc.proxies) also.push(many(inc.proxies, 'ajp:// proxy', 'ajp:// proxies'));
      what.push(`and ${inc.files.length === 1 ? `1 included file (${inc.files[0]})` : `${inc.files.length} included files`}: ${also.join(', ')}`);
    }
    // (configuration quoted in a text that holds more: its lines there)
    const lines = f.quoted === undefined ? '' : f.quoted.first === f.quoted.last ? ` line ${f.quoted.first}` : ` lines ${f.quoted.first}-${f.quoted.last}`;
    out.push(`  ${f.path}${lines}: ${KIND_NAME[f.kind] ?? f.kind}${what.length ? ` (${what.join(', ')})` : ''}`);
  }
  return out;
}

/** `ajp-inspect config FILE… | -`: audit workers.properties, uriworkermap, httpd, server.xml, standalone.xml, isapi_redirect.properties together. */
export const configCommand: CliCommand = {
  command: 'config <file> [more..]',
  describe: 'audit mod_jk / mod_proxy_ajp / Tomcat / WildFly configuration: each side against the Timeouts HowTo and the sides against each other',
  options: CONFIG_OPTIONS,
  formats: TEXT_OR_JSON,
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
    } else textOrJson(o.format, 'config');
    return diagnoseExitCode(result.findings, o.failOn);
  },
};
