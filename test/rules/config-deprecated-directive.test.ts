import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

describe('config-deprecated-directive', () => {
  it('cachesize, cache_timeout, balanced_workers, local_worker and type=jni, each with its replacement', () => {
    const f = auditConfig({ '/c/w.properties': 'worker.list=lb\nworker.lb.type=lb\nworker.lb.balanced_workers=a\nworker.a.cachesize=10\nworker.a.cache_timeout=600\nworker.a.local_worker=1\nworker.j.type=jni\n' }).filter((x) => x.id === 'config-deprecated-directive');
    const text = f.map((x) => x.explanation).join('\n');
    expect(text).toContain('connection_pool_size');
    expect(text).toContain('balance_workers');
    expect(text).toContain('JNI worker was removed');
    expect(f.find((x) => x.explanation.includes('local_worker'))?.severity).toBe('warning');
    expect(f.find((x) => x.explanation.includes('cachesize'))?.severity).toBe('info');
  });
  it('a cache_timeout still counts as the pool timeout (mod_jk maps it)', () => {
    expect(auditConfig({ '/c/w.properties': 'worker.list=a\nworker.a.host=10.0.0.1\nworker.a.cache_timeout=600\n' }).map((x) => x.id)).not.toContain('config-idle-pool-unprotected');
  });
});
