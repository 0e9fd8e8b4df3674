import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

describe('config-missing-worker', () => {
  it('a JkMount to a worker not in worker.list, and an lb member never defined', () => {
    const f = auditConfig({
      '/c/workers.properties': 'worker.list=lb,jkstatus\nworker.lb.type=lb\nworker.lb.balance_workers=n1,n2\nworker.n1.host=a\nworker.jkstatus.type=status\n',
      '/c/jk.conf': 'JkWorkersFile /c/workers.properties\nJkMount /app/* lb\nJkMount /other/* ajp13w\n<Location /jkstatus>\n  JkMount jkstatus\n  Require ip 127.0.0.1\n</Location>\n',
    }).filter((x) => x.id === 'config-missing-worker');
    expect(f.map((x) => x.subject?.member ?? x.subject?.worker).sort()).toEqual(['ajp13w', 'n2']);
    expect(f.find((x) => x.subject?.worker === 'ajp13w')!.evidence[0]).toMatchObject({ path: '/c/jk.conf', line: 3 });
  });
  it('uriworkermap lines and worker.X.mount count; exclusions (!) do not need a worker', () => {
    const f = auditConfig({ '/c/workers.properties': 'worker.list=w\nworker.w.port=8009\n', '/c/uriworkermap.properties': '/app/*=w\n/admin/*=admin\n!/app/static/*=w\n' });
    expect(f.filter((x) => x.id === 'config-missing-worker').map((x) => x.subject?.worker)).toEqual(['admin']);
  });
  it('a worker with balance_workers but no type=lb is an ajp13 worker (ideaesb/configs)', () => {
    const f = auditConfig({ '/c/w.properties': 'worker.list=a,b,lb\nworker.a.port=8009\nworker.b.port=8010\nworker.lb.balance_workers=a,b\n' }).find((x) => x.id === 'config-missing-worker');
    expect(f?.remedy).toContain('worker.lb.type=lb');
  });
  it('without a workers file nothing is judged', () => {
    expect(auditConfig({ '/c/jk.conf': 'JkMount /app/* nothere\n' }).map((x) => x.id)).not.toContain('config-missing-worker');
  });
});

describe('a balance_workers line repeated many times (fuzz log:26006: 1,217 copies of a 4.8 KB line ran out of a 4 GB heap)', () => {
  it('each undefined member is one finding, and the joined value is quoted cut to MAX_EVIDENCE_TEXT', async () => {
    const { MAX_EVIDENCE_TEXT } = await import('../../src/rules/engine.js');
    // mod_jk joins the repeated lines of a list property (jk_map.c): one value naming the same member 1,000 times
    const line = `worker.lb.balance_workers=${'node1'.repeat(200)}`;
    const text = `worker.list=lb\nworker.lb.type=lb\n${Array.from({ length: 1000 }, () => line).join('\n')}\n`;
    const found = auditConfig({ '/c/workers.properties': text }).filter((x) => x.id === 'config-missing-worker');
    expect(found).toHaveLength(1);
    expect(found[0]!.subject?.member).toBe('node1'.repeat(200));
    const ev = found[0]!.evidence[0]!;
    expect(ev.source === 'config' && ev.text.length).toBe(MAX_EVIDENCE_TEXT + 1);
    expect(ev.source === 'config' && ev.text.endsWith('…')).toBe(true);
  });
});
