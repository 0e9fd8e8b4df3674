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
