import { describe, expect, it } from 'vitest';
import { paste, sample, run } from './harness.js';

const ID = 'grizzly-ajp-defect';

describe(ID, () => {
  it('finds it, first: gf-glassfish6-ajp-npe-large-response (real paste, as published)', () => {
    const r = run(paste('gf-glassfish6-ajp-npe-large-response'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('finds it, first: gf-grizzly-wrong-magic-iis-isapi (real paste, as published)', () => {
    const r = run(paste('gf-grizzly-wrong-magic-iis-isapi'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('finds it, first: gf-payara4-ajp-streaming-oome (real paste, as published)', () => {
    const r = run(paste('gf-payara4-ajp-streaming-oome'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('finds it, first: r2g-grizzly-cpong-npe-glassfish312 (real paste, as published)', () => {
    const r = run(paste('r2g-grizzly-cpong-npe-glassfish312'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('stays quiet on i18n-zh-bad-packet-signature-ide-browser', () => {
    expect(run(paste('i18n-zh-bad-packet-signature-ide-browser')).ids).not.toContain(ID);
  });
  it('stays quiet on jb-as423-ajp-readmessage-threads-harmless', () => {
    expect(run(paste('jb-as423-ajp-readmessage-threads-harmless')).ids).not.toContain(ID);
  });
  it('stays quiet on the baseline sample', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
