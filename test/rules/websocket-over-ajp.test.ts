import { describe, expect, it } from 'vitest';
import { paste, sample, run } from './harness.js';

const ID = 'websocket-over-ajp';

describe(ID, () => {
  it('finds it, first: tc-vaadin-push-websocket-over-ajp (real paste, as published)', () => {
    const r = run(paste('tc-vaadin-push-websocket-over-ajp'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('finds it, first: i18n-ja-knowledge-wss-handshake-500-ajp (real paste, as published)', () => {
    const r = run(paste('i18n-ja-knowledge-wss-handshake-500-ajp'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(['error', 'warning']).toContain(r.findings[0].severity);
    for (const e of r.findings[0].evidence) if (e.source === 'log') expect(e.line).toBeGreaterThan(0);
  });
  it('stays quiet on tc-apdplat-ajp-nio-bind-in-use', () => {
    expect(run(paste('tc-apdplat-ajp-nio-bind-in-use')).ids).not.toContain(ID);
  });
  it('stays quiet on the baseline sample', () => {
    expect(run(sample('baseline')).ids).not.toContain(ID);
  });
});
