/**
 * No published log shows these lines yet: they are built from the format strings of mod_jk 1.2.48's
 * native/common/jk_map.c (jk_map_inherit_properties: "Reference '%s' not found" at line 883, "Error
 * in string allocation for attribute '%s.%s'" at 863; jk_map_resolve_references: "Recursion limit %d
 * for worker references with prefix '%s' reached" at 830) and apache-2.0/mod_jk.c init_jk ("Error in
 * resolving configuration references", APLOG_EMERG), with the layout of the mod_jk 1.2.48 / httpd
 * 2.4.71 logs of samples/. The prefixes are those jk_map.c, built alone and fed the lines of
 * workers.properties quoted, printed.
 */
import { describe, expect, it } from 'vitest';
import { readConfigs } from '../../src/config/index.js';
import { diagnose } from '../../src/rules/index.js';
import { memFiles } from './config-harness.js';
import { parse, run, sample } from './harness.js';

const ID = 'jk-worker-reference-failed';
const JK = '[Sat Nov 21 10:46:05.057 2026] [10067:140536852891520] [error] ';
const EMERG = '[Sat Nov 21 10:46:05.058112 2026] [jk:emerg] [pid 10067:tid 140536852891520] Error in resolving configuration references';
const jkLog = (...lines: string[]) => ({ path: 'mod_jk.log', text: lines.map((l) => JK + l).join('\n') + '\n' });

describe(ID, () => {
  it('"Reference \'worker.template.\' not found" (reference=worker.template, no worker.template.* key): error, confirmed, with httpd\'s line', () => {
    const r = run(jkLog("jk_map_inherit_properties::jk_map.c (883): Reference 'worker.template.' not found"), { path: 'error_log', text: EMERG + '\n' });
    const f = r.get(ID);
    expect(f).toMatchObject({ severity: 'error', confidence: 'confirmed', subject: { reference: 'worker.template' } });
    expect(f!.explanation).toContain('found no key starting with worker.template. for a reference=worker.template');
    expect(f!.explanation).toContain('("Error in resolving configuration references") and httpd does not start');
    expect(f!.evidence.map((e) => ('line' in e ? `${e.path}:${e.line}` : ''))).toEqual(['mod_jk.log:1', 'error_log:1']);
  });

  it('the line pasted alone, without the log\'s prefix, is read too', () => {
    expect(run({ path: 'paste', text: "Reference 'worker.template.' not found\n" }).get(ID)?.subject).toEqual({ reference: 'worker.template' });
  });

  it('a value written with a trailing dot shows two ("Reference \'worker.template..\' not found"): the remedy drops it', () => {
    const f = run(jkLog("jk_map_inherit_properties::jk_map.c (883): Reference 'worker.template..' not found")).get(ID);
    expect(f?.explanation).toContain('The value ends with a dot (mod_jk adds its own): write reference=worker.template.');
    expect(f?.remedy).toMatch(/^reference=worker\.template\b/);
  });

  it('the same line after "Error in string allocation for attribute": the copy ran out of memory (a worker under its own template), likely', () => {
    const f = run(
      jkLog(
        "jk_map_inherit_properties::jk_map.c (863): Error in string allocation for attribute 'worker.t.sub..sub.sub.sub.port'",
        "jk_map_inherit_properties::jk_map.c (883): Reference 'worker.t.' not found",
      ),
    ).get(ID);
    expect(f?.confidence).toBe('likely');
    expect(f?.explanation).toMatch(/^mod_jk ran out of memory copying the settings under worker\.t\. .*a worker whose name is under it \(worker\.t\.<name>\.reference=worker\.t\)/);
    expect(f?.evidence).toHaveLength(2);
  });

  it('"Recursion limit 20 for worker references with prefix \'worker.node1\' reached": a loop or a chain of 20', () => {
    const f = run(jkLog("jk_map_resolve_references::jk_map.c (830): Recursion limit 20 for worker references with prefix 'worker.node1' reached")).get(ID);
    expect(f).toMatchObject({ confidence: 'confirmed', subject: { reference: 'worker.node1' } });
    expect(f!.explanation).toMatch(/^mod_jk followed the references 20 levels deep and gave up at worker\.node1/);
  });

  it('httpd\'s line alone: likely, pointing at the mod_jk log', () => {
    const f = run({ path: 'error_log', text: EMERG + '\n' }).get(ID);
    expect(f?.confidence).toBe('likely');
    expect(f?.explanation).toContain('The mod_jk log (JkLogFile) says which');
  });

  it('with the workers.properties that made it: config-worker-reference-not-found names the line and is confirmed by the incident', () => {
    const { events, summaries } = parse(jkLog("jk_map_inherit_properties::jk_map.c (883): Reference 'worker.tmpl.' not found"));
    const files = { '/c/workers.properties': 'worker.list=node1\nworker.node1.host=10.0.0.11\nworker.node1.reference=worker.tmpl\n' };
    const config = readConfigs(Object.entries(files).map(([path, text]) => ({ path, text })), memFiles(files));
    const res = diagnose({ events, summaries, config });
    const cfg = res.findings.find((x) => x.id === 'config-worker-reference-not-found');
    expect(cfg?.notes).toContain('Confirmed by the incident: jk-worker-reference-failed (mod_jk could not resolve a workers.properties reference (template not found, loop, chain of 20): httpd does not start).');
    expect(res.findings.map((x) => x.id)).toContain(ID);
  });

  it('stays quiet on the baseline sample (mod_jk 1.2.48 started fine)', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
    expect(run(jkLog("some_function::jk_util.c (100): Reference 'x' not found")).ids).not.toContain(ID);
  });
});
