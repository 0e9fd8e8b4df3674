import { describe, expect, it } from 'vitest';
import { evidenceText, paste, sample, run } from './harness.js';

const ID = 'ajp-connector-port-in-use';

describe(ID, () => {
  it('Tomcat 8.5 OneLineFormatter: end point of ["ajp-nio-8009"] not initialised, BindException on the next line', () => {
    const r = run(paste('tc-apdplat-ajp-nio-bind-in-use'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.severity).toBe('error');
    expect(f!.confidence).toBe('likely');
    expect(f!.subject).toEqual({ port: '8009' });
    expect(evidenceText(f).some((t) => t.includes('ProtocolHandler ["ajp-nio-8009"]'))).toBe(true);
    expect(r.findings[0].id).toBe(ID);
  });
  it('Tomcat 10 in a Markdown fence, only the init failure and a stack trace: possible (reason not shown)', () => {
    const r = run(paste('tc-modcluster-testsuite-ajp-port-offset'));
    const f = r.get(ID);
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.explanation).toMatch(/Address already in use|another process/);
  });
  it('Winstone (Jenkins) AJP13 listener, SimpleFormatter with the stamps replaced by an ellipsis', () => {
    const r = run(paste('gh-winstone-second-jenkins-ajp13-listener-ellipsis'));
    expect(r.findings[0]?.id, r.ids.join(', ')).toBe(ID);
    expect(r.get(ID)!.confidence).toBe('possible');
  });
  it('not for a connector refused for want of a secret (start phase), nor for an IPv6 bind', () => {
    expect(run(paste('tc-springboot-secretrequired-oneline')).ids).not.toContain(ID);
    expect(run(paste('tc-openequella-embedded-ajp-secret-log4j')).ids).not.toContain(ID);
    expect(run(paste('tc-ords-docker-ajp-ipv6-loopback-bind')).ids).not.toContain(ID);
  });
  it('stays quiet on a normal start (samples/baseline catalina.out)', () => {
    expect(run(sample('baseline', ['catalina.out'])).ids).not.toContain(ID);
  });
});
