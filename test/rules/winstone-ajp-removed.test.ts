import { describe, expect, it } from 'vitest';
import { paste, sample, run } from './harness.js';

const ID = 'winstone-ajp-removed';

describe(ID, () => {
  it('finds it, first: r2g-jenkins-chef-ajp-port-8009-winstone (real paste, as published)', () => {
    const r = run(paste('r2g-jenkins-chef-ajp-port-8009-winstone'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('finds it, first: r2g-jenkins-ath-unrecognized-ajp13port (real paste, as published)', () => {
    const r = run(paste('r2g-jenkins-ath-unrecognized-ajp13port'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('stays quiet on gh-winstone-second-jenkins-ajp13-listener-ellipsis', () => {
    expect(run(paste('gh-winstone-second-jenkins-ajp13-listener-ellipsis')).ids).not.toContain(ID);
  });
  it('stays quiet on the baseline sample', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});

describe('winstone-ajp-removed: the port option given an empty value', () => {
  it('gh-ansible-jenkins-52-winstone-ajp13-empty-port (real launcher output): the empty --ajp13Port and its fix, from the trace\'s NumberFormatException', () => {
    const f = run(paste('gh-ansible-jenkins-52-winstone-ajp13-empty-port')).get('winstone-ajp-removed');
    expect(f?.explanation).toMatch(/the AJP port it was given is empty/);
    expect(String(f?.remedy)).toMatch(/^Set JENKINS_AJP_PORT=-1/);
  });
});
