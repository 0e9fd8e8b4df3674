import { describe, expect, it } from 'vitest';
import { auditConfig } from './config-harness.js';

const TEMPLATES = `# templates (https://tomcat.apache.org/connectors-doc/reference/workers.html, reference)
worker.list=loadbalancer,jkstatus
worker.template.type=ajp13
worker.template.port=8009
worker.template.socket_keepalive=true
worker.template.connection_pool_timeout=600
worker.template.ping_mode=A
worker.loadbalancer.type=lb
worker.loadbalancer.balance_workers=node1,node2
worker.jkstatus.type=status
worker.node1.reference=worker.template
worker.node1.host=10.0.0.11
worker.node2.reference=worker.template
worker.node2.host=10.0.0.12
`;

describe('config-worker-reference-loop', () => {
  it('a template referencing a worker that references it: error, with the chain', () => {
    const f = auditConfig({ '/etc/httpd/conf/workers.properties': TEMPLATES + 'worker.template.reference=worker.node1\n' }).find((x) => x.id === 'config-worker-reference-loop');
    expect(f?.severity).toBe('error');
    expect(f?.explanation).toContain('form a loop (worker.node1.reference=worker.template → worker.template.reference=worker.node1, from /etc/httpd/conf/workers.properties:11)');
    expect(f?.explanation).toContain('Error in resolving configuration references');
    expect(f?.evidence.map((e) => ('line' in e ? e.line : 0))).toEqual([11, 15]);
  });
  it('a worker under its own template (worker.template.node3.reference=worker.template): error, the copy never ends', () => {
    // jk_map.c built alone and fed these lines grows its map until an allocation fails:
    // "Error in string allocation for attribute 'worker.template.node3..node3.node3.…'", then "Reference 'worker.template.' not found"
    const f = auditConfig({ '/c/workers.properties': TEMPLATES + 'worker.template.node3.reference=worker.template\nworker.template.node3.host=10.0.0.13\n' }).find((x) => x.id === 'config-worker-reference-loop');
    expect(f?.severity).toBe('error');
    expect(f?.explanation).toMatch(/^\/c\/workers\.properties:15: worker\.template\.node3\.reference=worker\.template: worker\.template\.node3 is under the template it references \(worker\.template\.\)/);
    expect(f?.explanation).toContain(`"Reference 'worker.template.' not found" and "Error in resolving configuration references", or crashes`);
    expect(f?.remedy).toMatch(/^give the template a name that is no prefix of worker\.template\.node3: its keys as worker\.template_tmpl\.\* \(not worker\.template\.\*\), and worker\.template\.node3\.reference=worker\.template_tmpl/);
    // reached through a chain: the worker referencing a worker under its own template
    const via = auditConfig({ '/c/workers.properties': TEMPLATES + 'worker.node4.reference=worker.template.node3\nworker.template.node3.reference=worker.template\n' }).find((x) => x.id === 'config-worker-reference-loop');
    expect(via?.explanation).toContain('(Reached from /c/workers.properties:15: worker.node4.reference=worker.template.node3 → worker.template.node3.reference=worker.template.)');
    expect(via?.explanation).toContain('/c/workers.properties:16: worker.template.node3.reference=worker.template: worker.template.node3 is under');
  });
  it('a chain of 20 templates: error; 19, or ordinary templates: quiet', () => {
    const chain = (n: number): string => TEMPLATES.replace('worker.node1.reference=worker.template', 'worker.node1.reference=worker.t1') + [...Array(n - 1).keys()].map((i) => `worker.t${i + 1}.reference=worker.${i + 2 === n ? 'template' : `t${i + 2}`}`).join('\n') + '\n';
    const deep = auditConfig({ '/c/workers.properties': chain(20) }).find((x) => x.id === 'config-worker-reference-loop');
    expect(deep?.explanation).toMatch(/^\/c\/workers\.properties:11: the references from worker\.node1\.reference go 20 levels deep, past mod_jk's limit of 20 \(to worker\.template\)/);
    expect(auditConfig({ '/c/workers.properties': chain(19) }).map((x) => x.id)).not.toContain('config-worker-reference-loop');
    expect(auditConfig({ '/c/workers.properties': TEMPLATES }).map((x) => x.id)).not.toContain('config-worker-reference-loop');
  });
});
