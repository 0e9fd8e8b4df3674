/**
 * Every JSON document the CLI writes, checked against docs/report.schema.json: the report of the
 * default command (each sample capture and a few fixtures, with and without --log), of `mcmp` and of
 * `diagnose` (every sample log at once, stdin, --capture), and the other commands' documents (frames NDJSON,
 * timeline, rules) against their own $defs. Then the schema is shown to reject what it promises to
 * reject, and the redaction the docs promise is checked on real captures.
 *
 * Runs the built CLI (dist/, built by test/global-setup.ts) as a user would, a few at a time.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatErrors, lintSchema, validate, type Schema } from '../helpers/json-schema.js';
import { pool, root, runCliAsync, type CliRunAsync } from '../helpers/cli.js';

const schema = JSON.parse(readFileSync(join(root, 'docs', 'report.schema.json'), 'utf8')) as Schema & Record<string, unknown>;
const def = (name: string): Schema => ({ $ref: `#/$defs/${name}` });

type Run = CliRunAsync;
const cli = runCliAsync;

const samples = join(root, 'samples');
const scenarios = readdirSync(samples, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(samples, d.name, 'capture.pcap')))
  .map((d) => d.name)
  .sort();
/** Every capture of the corpus (capture.pcap, and capture-any.pcap / capture.pcapng where present). */
const captures = scenarios.flatMap((s) =>
  readdirSync(join(samples, s))
    .filter((f) => /^capture[^.]*\.(pcap|pcapng)$/.test(f))
    .map((f) => `samples/${s}/${f}`),
);
/** samples/mcmp/README.md: MCMP on 16666, AJP backends on 18009 (node1) and 18010 (node2); the rest: AJP on 18009. */
const portArgs = (capture: string): string[] =>
  capture.startsWith('samples/mcmp/') ? ['--ajp-port', '18009', '--ajp-port', '18010', '--mcmp-port', '16666'] : ['--ajp-port', '18009'];
const LOG_NAMES = ['mod_jk.log', 'error_log', 'catalina.out', 'access_log', 'tomcat_access_log.txt'];
const logsOf = (s: string): string[] => LOG_NAMES.filter((f) => existsSync(join(samples, s, f))).map((f) => `samples/${s}/${f}`);

const runs = new Map<string, Run>();
const key = (args: string[]): string => args.join(' ');
function got(args: string[]): Run {
  const r = runs.get(key(args));
  if (!r) throw new Error(`not run: ${key(args)}`);
  return r;
}
function json(args: string[]): unknown {
  const r = got(args);
  // 0 ok, 1 findings: both write the document; 2 would be a failure to analyse.
  expect([0, 1], `${key(args)} exited ${r.code}: ${r.stderr}`).toContain(r.code);
  return JSON.parse(r.stdout) as unknown;
}
function expectValid(value: unknown, s: Schema = schema, what = ''): void {
  const errors = validate(s, value, schema);
  expect(errors, `${what}\n${formatErrors(errors)}`).toEqual([]);
}

const inspectArgs = captures.map((c) => [c, ...portArgs(c), '-T', 'json']);
/** Fixture captures for what the samples lack: warnings (cut short), gzip, nanosecond pcap, IPv6. */
const fixtureArgs = ['lo-ether-truncated.pcap', 'lo-ether-truncated.pcapng', 'any-sll2.pcap.gz', 'lo-nano.pcap', 'synthetic/ipv6.pcap'].map((f) => [
  `test/fixtures/captures/${f}`,
  '-T',
  'json',
]);
const diagnoseNano = ['diagnose', 'samples/baseline/mod_jk.log', '--capture', 'test/fixtures/captures/lo-nano.pcap', '-T', 'json'];
/** One diagnose over every sample log (one process instead of one per scenario keeps the test fast). */
const allLogs = scenarios.flatMap(logsOf);
const diagnoseArgs = ['diagnose', ...allLogs, '-T', 'json'];
const withLog = ['samples/backend-down/capture.pcap', '--ajp-port', '18009', '--log', 'samples/backend-down/mod_jk.log', '--log', 'samples/backend-down/error_log', '-T', 'json'];
const diagnoseCapture = ['diagnose', 'samples/secret-mismatch/mod_jk.log', '--capture', 'samples/secret-mismatch/capture.pcap', '--ajp-port', '18009', '-T', 'json'];
const diagnoseStdin = ['diagnose', '-', '-T', 'json'];
const mcmpCmd = ['mcmp', 'samples/mcmp/capture.pcap', '-T', 'json'];
const framesArgs = ['baseline', 'ghostcat-probe', 'packet-size', 'proxy-ajp-faults'].map((s) => ['frames', `samples/${s}/capture.pcap`, '--ajp-port', '18009', '-T', 'json']);
const timelineArgs = ['timeline', 'samples/client-abort/capture.pcap', '--ajp-port', '18009', '-T', 'json'];
const rulesArgs = ['rules', '-T', 'json'];
const shown = {
  secret: ['samples/secret-mismatch/capture.pcap', '--ajp-port', '18009', '-T', 'json', '--show-secrets'],
  cookie: ['samples/packet-size/capture.pcap', '--ajp-port', '18009', '-T', 'json', '--show-secrets'],
  frames: ['frames', 'samples/packet-size/capture.pcap', '--ajp-port', '18009', '-T', 'json', '--show-secrets'],
};

beforeAll(async () => {
  const all: Array<[string[], string?]> = [
    ...[...inspectArgs, ...fixtureArgs, diagnoseNano, diagnoseArgs, withLog, diagnoseCapture, mcmpCmd, ...framesArgs, timelineArgs, rulesArgs, ...Object.values(shown)].map(
      (a): [string[]] => [a],
    ),
    [diagnoseStdin, readFileSync(join(samples, 'reply-timeout', 'mod_jk.log'), 'utf8')],
  ];
  const done = await pool(all.map(([a, stdin]) => () => cli(a, stdin)));
  for (const r of done) runs.set(key(r.args), r);
}, 60_000);

describe('docs/report.schema.json', () => {
  it('uses only what the test validator checks, and every $ref resolves', () => {
    expect(lintSchema(schema)).toEqual([]);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/^https:\/\/.+report\.v1\.json$/);
  });

  it('finds the sample captures it is meant to run on', () => {
    expect(scenarios).toEqual(expect.arrayContaining(['baseline', 'mcmp', 'secret-mismatch', 'packet-size']));
    expect(captures.length).toBeGreaterThanOrEqual(scenarios.length);
    expect(allLogs.length).toBeGreaterThanOrEqual(30);
  });
});

describe('default command -T json on every sample capture', () => {
  it.each(inspectArgs.map((a) => [a[0]!, a]))('%s', (_name, args) => {
    const report = json(args) as { capture: { ajp?: { connections: number }; mcmp?: { exchangeCount: number } }; findings: unknown[]; inputs: Array<{ path: string }> };
    expectValid(report, schema, key(args));
    // The sections the default command promises are there (the schema alone leaves them optional).
    expect(report.inputs[0]!.path).toBe(args[0]);
    expect(Array.isArray(report.findings)).toBe(true);
    expect(report.capture.mcmp).toBeDefined();
    expect(report.capture.ajp!.connections).toBeGreaterThan(0);
    if (args[0]!.startsWith('samples/mcmp/')) expect(report.capture.mcmp!.exchangeCount).toBeGreaterThan(0);
  });

  it.each(fixtureArgs.map((a) => [a[0]!, a]))('%s (fixture)', (_name, args) => {
    const r = json(args) as { warnings?: string[]; capture: { gzip: boolean; format: string } };
    expectValid(r, schema, key(args));
    if (args[0]!.includes('truncated')) expect(r.warnings?.[0]).toMatch(/^test\/fixtures\/captures\/lo-ether-truncated\.pcapn?g?: capture cut short/);
    else expect(r).not.toHaveProperty('warnings');
    expect(r.capture.gzip).toBe(args[0]!.endsWith('.gz'));
    if (args[0]!.includes('nano')) expect(r.capture.format).toBe('pcap-ns');
  });

  it('is reproducible: the same input gives the same bytes (no generatedAt by default)', async () => {
    const args = inspectArgs.find((a) => a[0] === 'samples/mcmp/capture.pcap')!;
    const again = await cli(args);
    expect(again.stdout).toBe(got(args).stdout);
    expect(json(args)).not.toHaveProperty('generatedAt');
  });

  it('with --log: inputs of both kinds, logs and findings with log evidence', () => {
    const r = json(withLog) as { inputs: Array<{ kind: string }>; logs: unknown; findings: Array<{ evidence: Array<{ source: string }> }> };
    expectValid(r, schema, key(withLog));
    expect(r.inputs.map((i) => i.kind)).toEqual(['capture', 'log', 'log']);
    expect(r.logs).toBeDefined();
    expect(r.findings.flatMap((f) => f.evidence).some((e) => e.source === 'log')).toBe(true);
  });
});

describe('mcmp and diagnose -T json', () => {
  it('mcmp: the report of the one analysis (capture.mcmp, the AJP sections, the same findings as the default command)', () => {
    const r = json(mcmpCmd) as { capture: Record<string, unknown>; findings: Array<{ id: string }> };
    expectValid(r, schema, key(mcmpCmd));
    expect(r.capture.mcmp).toBeDefined();
    expect(r.capture.ajp).toBeDefined();
    expect(r.findings.map((f) => f.id)).toContain('mcmp-syntax-error');
  });

  it('diagnose, every sample log at once: logs section, findings of many kinds', () => {
    const r = json(diagnoseArgs) as { capture?: unknown; logs: { files: unknown[] }; inputs: unknown[]; findings: Array<{ id: string }> };
    expectValid(r, schema, 'diagnose samples/*/logs');
    expect(r.capture).toBeUndefined();
    expect(r.logs.files.length).toBe(allLogs.length);
    expect(r.inputs.length).toBe(allLogs.length);
    expect(new Set(r.findings.map((f) => f.id)).size).toBeGreaterThanOrEqual(5);
  });

  it('diagnose --capture: a capture input, capture evidence in findings', () => {
    const r = json(diagnoseCapture) as { inputs: Array<{ kind: string }>; findings: Array<{ evidence: Array<{ source: string }> }> };
    expectValid(r, schema, key(diagnoseCapture));
    expect(r.inputs.map((i) => i.kind)).toEqual(['log', 'capture']);
    expect(r.findings.flatMap((f) => f.evidence).some((e) => e.source === 'capture')).toBe(true);
  });

  it('diagnose --capture of a nanosecond pcap', () => {
    const r = json(diagnoseNano) as { inputs: Array<{ kind: string; format: string }> };
    expectValid(r, schema, key(diagnoseNano));
    // Today "pcap-ns" (the capture section's name) where the default command writes "pcap": both valid.
    expect(['pcap', 'pcap-ns']).toContain(r.inputs.find((i) => i.kind === 'capture')!.format);
  });

  it('diagnose - (stdin): the input is named "stdin"', () => {
    const r = json(diagnoseStdin) as { inputs: Array<{ path: string }>; findings: unknown[] };
    expectValid(r, schema, 'diagnose -');
    expect(r.inputs).toEqual([{ path: 'stdin', kind: 'log', format: 'modjk' }]);
    expect(r.findings.length).toBeGreaterThan(0);
  });
});

describe('the other commands write their own documents', () => {
  it.each(framesArgs.map((a) => [a[1]!, a]))('frames %s: every NDJSON line is an ajpMessageLine, the last a framesSummaryLine', (_name, args) => {
    const r = got(args);
    expect([0, 1]).toContain(r.code);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    const last = lines.pop()!;
    lines.forEach((l, i) => expectValid(JSON.parse(l), def('ajpMessageLine'), `${key(args)} line ${i + 1}`));
    expectValid(JSON.parse(last), def('framesSummaryLine'), `${key(args)} last line`);
    // It is not the report: no core keys.
    expect(JSON.parse(lines[0]!)).not.toHaveProperty('schema');
  });

  it('timeline: {connections: [...]}, the capture.connections objects', () => {
    const doc = json(timelineArgs) as { connections: unknown[] };
    expectValid(doc, def('timelineDocument'), key(timelineArgs));
    expect(doc.connections.length).toBeGreaterThan(0);
    expect(validate(schema, doc).length).toBeGreaterThan(0); // not a report
  });

  it('rules: an array of rule descriptions', () => {
    const doc = json(rulesArgs) as unknown[];
    expectValid(doc, def('rulesDocument'), key(rulesArgs));
    expect(doc.length).toBeGreaterThan(20);
  });
});

describe('the schema rejects what it should', () => {
  type Obj = Record<string, unknown>;
  const DELETE = Symbol('delete');
  /** A copy of the report with the value at a JSON Pointer replaced (or deleted). */
  const changed = (pointer: string, value: unknown): Obj => {
    const r = structuredClone(json(withLog)) as Obj;
    const keys = pointer.split('/').slice(1);
    const last = keys.pop()!;
    let o = r;
    for (const k of keys) o = o[k] as Obj;
    expect(o, pointer).toBeTypeOf('object');
    if (value === DELETE) {
      expect(o, pointer).toHaveProperty([last]);
      delete o[last];
    } else o[last] = value;
    return r;
  };
  const rejects = (pointer: string, value: unknown, at: string, message: RegExp): void => {
    const errors = validate(schema, changed(pointer, value));
    expect(errors.some((e) => e.path === at && message.test(e.message)), `${pointer}\n${formatErrors(errors)}`).toBe(true);
  };
  /** Pointer of the first log / capture evidence in the findings. */
  const evidencePointer = (source: string): string => {
    const r = json(withLog) as { findings: Array<{ evidence: Array<{ source: string }> }> };
    for (const [i, f] of r.findings.entries()) {
      const j = f.evidence.findIndex((e) => e.source === source);
      if (j >= 0) return `/findings/${i}/evidence/${j}`;
    }
    throw new Error(`no ${source} evidence in ${key(withLog)}`);
  };

  it('accepts the unmodified report and fields a minor version may add', () => {
    expectValid(json(withLog));
    expectValid(changed('/newSection', { anything: 1 }));
    expectValid(changed('/capture/newField', [1]));
    expectValid(changed('/findings/0/newField', 'x'));
  });

  it('a missing core key, a wrong schema or version', () => {
    rejects('/schemaVersion', DELETE, '', /missing required property "schemaVersion"/);
    rejects('/inputs', DELETE, '', /missing required property "inputs"/);
    rejects('/tool/version', DELETE, '/tool', /missing required property "version"/);
    rejects('/schemaVersion', 2, '/schemaVersion', /expected 1/);
    rejects('/schema', 'ajp-inspect/other', '/schema', /expected "ajp-inspect\/report"/);
    rejects('/tool/name', 'other', '/tool/name', /expected "ajp-inspect"/);
    rejects('/inputs/0/kind', 'pcap', '/inputs/0', /0 of the 3 oneOf/);
  });

  it('a wrong severity, confidence or finding id', () => {
    rejects('/findings/0/severity', 'fatal', '/findings/0/severity', /not one of "error", "warning", "info"/);
    rejects('/findings/0/confidence', 'certain', '/findings/0/confidence', /not one of "confirmed", "likely", "possible"/);
    rejects('/findings/0/id', 'Backend Down', '/findings/0/id', /does not match/);
    rejects('/findings/0/remedy', DELETE, '/findings/0', /missing required property "remedy"/);
  });

  it('evidence that is neither a log line, a capture fact nor a configuration line', () => {
    const log = evidencePointer('log');
    rejects(`${log}/line`, DELETE, log, /0 of the 3 oneOf/);
    rejects(`${log}/line`, '12', log, /0 of the 3 oneOf/);
    rejects(`${log}/source`, 'pcap', log, /0 of the 3 oneOf/);
    rejects(`${log}/source`, 'capture', log, /0 of the 3 oneOf/);
  });

  it('AJP frame counts: every type name present, no negative count; other enums and types', () => {
    rejects('/capture/ajp/frames/CPONG', DELETE, '/capture/ajp/frames', /missing required property "CPONG"/);
    rejects('/capture/ajp/frames/CPING', -1, '/capture/ajp/frames/CPING', /below the minimum 0/);
    rejects('/capture/connections/0/end', 'closed', '/capture/connections/0/end', /not one of/);
    rejects('/capture/streams/0/packets/c2s', '7', '/capture/streams/0/packets/c2s', /expected integer/);
    rejects('/capture/streams/0/packets/both', 7, '/capture/streams/0/packets/both', /not allowed/);
    const line = JSON.parse(got(framesArgs[0]!).stdout.split('\n')[0]!) as Obj;
    expectValid(line, def('ajpMessageLine'));
    expect(validate(def('ajpMessageLine'), { ...line, type: 'CPING_REPLY' }, schema).length).toBeGreaterThan(0);
    expect(validate(def('ajpMessageLine'), { ...line, side: 'client' }, schema).length).toBeGreaterThan(0);
  });
});

describe('redaction (docs/report.md): credentials only with --show-secrets', () => {
  // samples/secret-mismatch/workers.properties and server-connector.xml; the ~10 kB cookie of samples/packet-size.
  const SECRETS = ['s3cr3t-of-tomcat', 'not-the-tomcat-secret'];
  const COOKIE = 'big=j+8ckRSwxaiFqXlYclx';
  const plain = (s: string) => got(inspectArgs.find((a) => a[0] === `samples/${s}/capture.pcap`)!).stdout;

  it('the AJP secret attribute', () => {
    const out = plain('secret-mismatch');
    for (const s of SECRETS) expect(out).not.toContain(s);
    expect(out).toContain('"value": "[redacted]"');
    const revealed = json(shown.secret) as { capture: { connections: Array<{ secret: { values?: string[] } }> } };
    expectValid(revealed);
    const values = new Set(revealed.capture.connections.flatMap((c) => c.secret.values ?? []));
    expect([...values].sort()).toEqual([...SECRETS].sort());
  });

  it('Cookie header values, in the report and in frames', () => {
    expect(plain('packet-size')).not.toContain(COOKIE);
    expect(plain('packet-size')).toMatch(/"value": "\[redacted, \d+ bytes\]"/);
    expect(got(framesArgs.find((a) => a[1] === 'samples/packet-size/capture.pcap')!).stdout).not.toContain(COOKIE);
    expect(got(shown.cookie).stdout).toContain(COOKIE);
    expect(got(shown.frames).stdout).toContain(COOKIE);
  });
});
