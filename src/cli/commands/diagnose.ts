import { shown } from '../output.js';
import type { CliCommand } from '../command.js';
import { UsageError, UserError } from '../exit-codes.js';
import { rules } from '../../rules/index.js';
import { buildReport, captureInput, rendererFor, type InputRef } from '../../report/index.js';
import { colorFor, textSources } from '../io.js';
import { DIAGNOSE_OPTIONS } from '../options.js';
import { diagnoseExitCode, logsSection, mainDialect, readLogInput } from '../findings.js';
import type { CaptureAnalysis } from '../../analyze/index.js';
import { analysisOptions, analyzeWhereAjpIs, captureName, diagnoseAnalysis, printWarnings } from '../analysis.js';
import { bothFacts, configInputs, isConfigInput, readConfigFiles } from '../configs.js';


/** `ajp-inspect diagnose FILE… | -`: name the root causes in mod_jk / ISAPI / httpd / Tomcat logs. */
export const diagnoseCommand: CliCommand = {
  // `<log> [more..]` rather than `<logs..>`: yargs-parser drops a lone '-' from array positionals.
  command: 'diagnose <log> [more..]',
  describe: 'diagnose mod_jk / ISAPI redirector / httpd error_log / Tomcat logs: root causes, evidence, remedy',
  options: DIAGNOSE_OPTIONS,
  reads: 'log',
  builder: (y) =>
    y
      .positional('log', { type: 'string', describe: 'log file (.gz allowed), or - for stdin (a paste)' })
      .positional('more', { type: 'string', array: true, describe: 'more log files, read together with the first' })
      // (not an array option: `--rule ID LOG` took the log as a second id; repeated or a comma list instead)
      .option('rule', { type: 'string', describe: 'run only this rule id (repeatable, or a comma list; see `ajp-inspect rules`)' })
      .option('max-evidence', { type: 'number', default: 12, describe: 'evidence lines kept per finding [default: 12]' })
      .example('ajp-inspect diagnose mod_jk.log error_log catalina.out', 'diagnose several logs together')
      .example('pbpaste | ajp-inspect diagnose - --log-tz Europe/Berlin', 'diagnose a paste')
      .example('ajp-inspect diagnose mod_jk.log --capture web1.pcap --ajp-port 8009', 'logs and a capture of the same incident')
      .example('ajp-inspect diagnose mod_jk.log workers.properties server.xml', 'logs with the configuration: findings quote the settings they concern'),
  async run(argv, o, out) {
    const sources = textSources(argv.log, argv.more, 'log files');
    const { format, output, failOn } = o;
    const maxEvidence = Number(argv['max-evidence'] ?? 12);
    if (!Number.isInteger(maxEvidence) || maxEvidence < 1) throw new UserError(`--max-evidence must be a positive integer, not ${String(argv['max-evidence'])}`);
    const only = ruleIds(argv.rule);
    const tz = o.logTz;

    // Configuration files may be given among the logs (kind by content) or with --config; a paste
    // that holds log lines is read as a log, and the configuration it quotes besides (configs.ts).
    const asConfig = sources.map((s) => isConfigInput(s));
    const configPaths = [...sources.filter((_, i) => asConfig[i]), ...o.configs];
    const logPaths = sources.filter((_, i) => !asConfig[i]);
    const given = configPaths.length ? readConfigFiles(configPaths) : undefined;
    // The log events go into the rules' intake as they are read; only those that match are kept.
    const { intake, summaries, quoted } = await readLogInput(logPaths, tz, only);
    const config = bothFacts(given, quoted);

    // --capture runs the same analysis as `ajp-inspect CAPTURE --log …` (every vertical, the same
    // options), so the same inputs give the same findings through either command.
    let analysis: CaptureAnalysis | undefined;
    let captureRef: InputRef | undefined;
    const capturePaths = o.captures;
    if (capturePaths.length > 0) {
      analysis = await analyzeWhereAjpIs(capturePaths, o, analysisOptions(o));
      const name = captureName(capturePaths);
      printWarnings(analysis, name);
      captureRef = captureInput(analysis.run, name);
    }
    // The same rules and warnings as every capture command (with this command's --rule and --max-evidence).
    const result = diagnoseAnalysis(analysis, { intake, summaries }, config, { only, maxEvidence });
    const inputs: InputRef[] = summaries.map((s) => ({ path: s.path === '-' ? 'stdin' : s.path, kind: 'log', format: mainDialect(s) }));
    if (captureRef !== undefined) inputs.push(captureRef);
    inputs.push(...configInputs(config));
    const report = buildReport({ inputs, findings: result.findings, logs: logsSection(summaries, result, intake.count) });

    const renderer = rendererFor(format);
    const ro = { color: colorFor(argv, output), width: process.stdout.columns };
    // Streamed when the renderer can (JSON): a large report is never one string.
    if (renderer.writeDiagnosis !== undefined) renderer.writeDiagnosis({ report, result, summaries }, ro, (t) => out.write(t));
    else out.write(renderer.diagnosis(shown({ report, result, summaries }), ro));
    return diagnoseExitCode(result.findings, failOn);
  },
};

/** `--rule` values (repeated, comma lists) as rule ids, each checked; undefined when not given. */
function ruleIds(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const ids = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).map((v) => v.trim());
  if (ids.some((id) => id === '')) throw new UsageError('--rule needs a rule id (see ajp-inspect rules)');
  for (const id of ids) if (!rules.some((r) => r.id === id)) throw new UserError(`unknown rule id ${id} (see ajp-inspect rules)`);
  return ids;
}
