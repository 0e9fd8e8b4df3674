import { describe, expect, it } from 'vitest';
import { run, sample } from './harness.js';
import { conversationEvidence, diagnoseWith, mcmpSampleEvidence } from './mcmp-harness.js';
import { chunked200, javaRequest } from '../mcmp/conversation.js';

const ID = 'mcmp-status-unanswered';
const node = { addr: '10.0.0.7', port: 40001 };
const httpd = { addr: '10.0.0.5', port: 6666 };

describe(ID, () => {
  it('stays quiet on the real capture: its 14 STATUS written into closed kept-alive connections were all resent and answered', async () => {
    const ev = await mcmpSampleEvidence();
    expect(ev.filter((e) => e.kind === 'mcmp-keepalive-closed' && e.fields?.method === 'STATUS').length).toBe(14);
    expect(diagnoseWith(ev).ids).not.toContain(ID);
  });
  it('finds a STATUS that httpd never answered (the connection reset after the request, no resend), with its frames', () => {
    const ev = conversationEvidence([
      {
        id: 0,
        client: node,
        server: httpd,
        turns: [
          { dir: 'c2s', data: javaRequest('STATUS', '/', 'JVMRoute=node1&Load=100'), ts: 10 },
          { dir: 's2c', data: chunked200('Type=STATUS-RSP&JVMRoute=node1&State=OK&id=1795256150940681\n'), ts: 10.002 },
          { dir: 'c2s', data: javaRequest('STATUS', '/', 'JVMRoute=node1&Load=90'), ts: 20 },
          { event: 'rst', dir: 's2c', ts: 40 },
        ],
        end: 'rst',
      },
    ]);
    const r = diagnoseWith(ev);
    const f = r.all(ID)[0];
    expect(f, r.ids.join(', ')).toBeDefined();
    expect(f!.confidence).toBe('confirmed');
    expect(f!.explanation).toMatch(/1 STATUS to httpd 10\.0\.0\.5:6666 got no answer/);
    expect(f!.evidence[0]!.source === 'capture' && f!.evidence[0]!.frames.length).toBeGreaterThan(0);
  });
  it('does not fire on logs alone (an AH00484 line says httpd was busy, not that a STATUS was lost)', () => {
    expect(run(sample('mcmp', ['error_log'])).ids).not.toContain(ID);
  });
});
