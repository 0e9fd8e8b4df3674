import { describe, expect, it } from 'vitest';
import { paste, sample, run } from './harness.js';

const ID = 'ajp-connector-legacy-jk-implementation';

describe(ID, () => {
  it('finds it, first: gh-blog-tomcat6-ajp-executor-jkcoyotehandler-date-placeholder (real paste, as published)', () => {
    const r = run(paste('gh-blog-tomcat6-ajp-executor-jkcoyotehandler-date-placeholder'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('stays quiet on i18n-zh-tomcat6-apr-https-ajp-healthy', () => {
    expect(run(paste('i18n-zh-tomcat6-apr-https-ajp-healthy')).ids).not.toContain(ID);
  });
  it('stays quiet on the baseline sample', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
