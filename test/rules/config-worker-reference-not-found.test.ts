import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

const ID = 'config-worker-reference-not-found';
const real = (rel: string): string => readFileSync(fileURLToPath(new URL(`../fixtures/configs/real/${rel}`, import.meta.url)), 'utf8');

/** https://github.com/Heesun-Yang/Lab2/blob/59eaded2e26b373c83dc268b1076e837d1c071e7/workers.properties: node1 (line 28) references worker.template. */
const LAB2 = real('heesun-yang-lab2/workers.properties');
const PATH = '/etc/httpd/conf/workers.properties';
/** LAB2 with node1's reference written `value` instead. */
const withReference = (value: string): string => {
  expect(LAB2).toContain('\nworker.node1.reference=worker.template\n');
  return LAB2.replace('\nworker.node1.reference=worker.template\n', `\nworker.node1.reference=${value}\n`);
};
const finding = (text: string) => auditConfig({ [PATH]: text }).find((x) => x.id === ID);

describe(ID, () => {
  it('a template no key is written under: error, with mod_jk\'s line (jk_map.c jk_map_inherit_properties) and the reference', () => {
    const f = finding(withReference('worker.templat'));
    expect(f?.severity).toBe('error');
    expect(f?.confidence).toBe('confirmed');
    expect(f?.explanation).toMatch(/^\/etc\/httpd\/conf\/workers\.properties:28: worker\.node1\.reference=worker\.templat: no key of .* starts with 'worker\.templat\.'/);
    expect(f?.explanation).toContain(`"Reference 'worker.templat.' not found" and "Error in resolving configuration references"`);
    expect(f?.evidence).toEqual([{ source: 'config', path: PATH, line: 28, text: 'worker.node1.reference=worker.templat' }]);
    expect(f?.subject).toEqual({ worker: 'node1' });
  });

  it('a trailing dot: mod_jk looks under worker.template.. ("Reference \'worker.template..\' not found"); the remedy drops the dot', () => {
    const f = finding(withReference('worker.template.'));
    expect(f?.explanation).toContain(`"Reference 'worker.template..' not found"`);
    expect(f?.explanation).toContain("The value ends with a dot: mod_jk adds its own, so it looks under 'worker.template..', not under 'worker.template.' where the template is.");
    expect(f?.remedy).toMatch(/^worker\.node1\.reference=worker\.template\b/);
  });

  it('another case: jk_map.c compares as written', () => {
    const f = finding(withReference('worker.Template'));
    expect(f?.explanation).toContain(`"Reference 'worker.Template.' not found"`);
    expect(f?.explanation).toContain("The keys are written 'worker.template.…'");
    expect(f?.remedy).toMatch(/^worker\.node1\.reference=worker\.template\b/);
  });

  it('through a template that references a missing one: the chain, and the prefix mod_jk names', () => {
    const f = finding(LAB2 + 'worker.template.reference=worker.base\n');
    expect(f?.explanation).toMatch(/:48: worker\.template\.reference=worker\.base: no key of .* starts with 'worker\.base\.' \(reached from .*:28: worker\.node1\.reference=worker\.template → worker\.template\.reference=worker\.base\)/);
    expect(f?.explanation).toContain(`"Reference 'worker.base.' not found"`);
    expect(f?.evidence.map((e) => ('line' in e ? e.line : 0))).toEqual([28, 48]);
  });

  it('quiet on the file as published, on a template of another prefix (ivanOKman/troubleshooting: reference=worker-template) and on a template whose only key is its own reference', () => {
    expect(finding(LAB2)).toBeUndefined();
    // https://github.com/ivanOKman/troubleshooting/blob/d9079af09148367f6567f45cd8305d0077e7633f/workers.properties
    expect(finding(real('ivanokman-troubleshooting/workers.properties'))).toBeUndefined();
    expect(finding(LAB2 + 'worker.t2.reference=worker.template\nworker.node2.reference=worker.t2\n')).toBeUndefined();
  });
});
