/**
 * Whole real excerpts (test/fixtures/logs/excerpts = real-log-excerpts.md code blocks, verbatim) and
 * the real logs of the sample corpus (samples/<scenario>: mod_jk 1.2.48, httpd 2.4.71, Tomcat 10.1.60).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLogText, type LogEvent } from '../../src/logs/index.js';

const DIR = join(import.meta.dirname, '../fixtures/logs/excerpts');
const read = (name: string) => {
  const f = readdirSync(DIR).find((n) => n.startsWith(name));
  if (!f) throw new Error(`no fixture ${name}`);
  return parseLogText(readFileSync(join(DIR, f), 'utf8'), { path: f, tz: 'UTC', now: Date.UTC(2026, 10, 21) });
};
const iso = (e: LogEvent) => (e.ts === undefined ? undefined : new Date(e.ts).toISOString());

describe('real excerpts parse completely', () => {
  for (const f of readdirSync(DIR)) {
    it(`${f}: every line recognised`, () => {
      const { summary, events } = parseLogText(readFileSync(join(DIR, f), 'utf8'), { path: f, tz: 'UTC' });
      expect(summary.unrecognised, JSON.stringify(summary.unrecognisedSamples)).toBe(0);
      expect(events.length).toBeGreaterThan(0);
    });
  }

  it('E01 (ISAPI 1.2.28, prefix cut by the article): levels, socket, lingering bytes, AJP type', () => {
    const { events } = read('E01');
    expect(events.map((e) => e.level)).toEqual(['warn', 'debug', 'debug', 'info', 'warn']);
    expect(events[0].fields.ajpType).toBe(6);
    expect(events[4].fields.ajpType).toBe(3);
    expect(events[4].message).toBe('awaited reply cpong, received 3 instead'); // trailing blank of the source dropped
    expect(events[2].fields).toMatchObject({ socket: 668, bytes: 306 });
    expect(events[3]).toMatchObject({ worker: 'worker1', fields: { socket: -1, errno: 0 } });
    expect(events[3].source).toEqual({ file: 'jk_ajp_common.c', line: 1442, fn: undefined });
    expect(events.every((e) => e.ts === undefined)).toBe(true);
  });

  it('E03 (httpd 2.2): AJP_ENO_HEADER and the (null) backend', () => {
    const { events } = read('E03');
    expect(events.map((e) => e.dialect)).toEqual(['httpd', 'httpd']);
    expect(events[0].message).toBe('ajp_read_header: ajp_ilink_receive failed');
    expect(events[1].fields).toMatchObject({ apr: 120006, host: 'localhost' });
    expect(events[1].fields.backend).toBeUndefined();
    expect(iso(events[1])).toBe('2009-03-29T04:05:33.000Z');
  });

  it('E06 ([Date] redacted): recognised, no ts, balancer and route', () => {
    const { events } = read('E06');
    expect(events).toHaveLength(3);
    expect(events[1].fields).toMatchObject({ apr: 70007, backend: 'IP_ADDRESS:8009', host: 'HOSTNAME' });
    expect(events[2].fields).toMatchObject({ balancer: 'balancer://envCluster', route: 'nodeName' });
  });

  it('E08 (mod_jk 1.2.23): pid:tid, two blanks, errno and backend, retries, Service error', () => {
    const { events, summary } = read('E08');
    expect(summary.byDialect).toEqual({ modjk: 12 });
    expect(events[0].version).toBe('mod_jk/1.2.23');
    expect(events[2].fields).toEqual({ backend: '127.0.0.1:8009', errno: 111 });
    expect(events[3].fields).toMatchObject({ backend: '127.0.0.1:8009', errno: 111 });
    expect(events[4]).toMatchObject({ worker: 'localhost', fields: { errno: 111 } });
    expect(events[5].fields.attempt).toBe(1);
    expect(events[9].fields.attempt).toBe(2);
    expect(events[10].level).toBe('error');
    expect(events[11].fields).toEqual({ serviceError: 0, worker: 'localhost' });
    expect(summary.levels).toEqual({ info: 11, error: 1 });
    expect(iso(events[0])).toBe('2008-01-11T14:14:12.000Z');
    expect(iso(events[11])).toBe(new Date(summary.lastTs as number).toISOString());
  });

  it('E12 (1.2.19 Windows, no function::): magic 0x4854 from the HTTP port', () => {
    const { events } = read('E12');
    expect(events[0].source).toEqual({ file: 'jk_ajp_common.c', line: 969, fn: undefined });
    expect(events[0].fields).toMatchObject({ magic: 0x4854, backend: '127.0.0.1:8090' });
    expect(events[2]).toMatchObject({ worker: 'jetty', fields: { attempt: 0 } });
    expect(events[9].fields).toEqual({ serviceError: 0, worker: 'jetty' });
  });

  it('E14 (httpd 2.4): AH codes, APR statuses, IPv6 client, referer, cut last line kept', () => {
    const { events } = read('E14');
    expect(events.map((e) => e.fields.ah)).toEqual(['AH01030', 'AH00992', 'AH00878', 'AH01030', 'AH00992', undefined]);
    expect(events[0].fields).toMatchObject({ apr: 104, errno: 104 });
    expect(events[2].fields).toMatchObject({ apr: 120006, client: '::1:43648', backend: '[::1]:8009', host: 'localhost', port: 8009 });
    expect(events[4].fields.referer).toBe('http://localhost/');
    expect(events[5].fields.apr).toBe(120006);
    expect(events.every((e) => e.module === 'proxy_ajp' && e.pid === 4337)).toBe(true);
    expect(iso(events[2])).toBe('2019-12-17T18:06:19.375Z');
    expect(events[2].ts).toBeCloseTo(Date.UTC(2019, 11, 17, 18, 6, 19) + 375.992, 3);
  });

  it('E15 (httpd 2.4 prefork, stamp cut): dialog failed, expecting bytes', () => {
    const { events } = read('E15');
    expect(events[2].fields).toMatchObject({ ah: 'AH00893', apr: 70007, backend: '[::1]:8009', host: 'localhost' });
    expect(events[3].fields).toMatchObject({ ah: 'AH00877', expected: 303 });
    expect(events[0].pid).toBe(30091);
    expect(events[0].tid).toBeUndefined();
  });

  it('E18/E19: worker names of the sample status mounts', () => {
    const e18 = read('E18').events;
    expect(e18[4].version).toBe('mod_jk/1.2.28');
    expect(e18[5].worker).toBe('jk-manager');
    expect(e18[6].worker).toBe('jk-status');
    expect(e18[3].fields).toEqual({ serviceError: 0, worker: 'loadbalancer' });
    const e19 = read('E19').events;
    expect(e19.map((e) => e.worker)).toEqual(['jk-manager', 'jk-status']);
    expect(e19[0].source).toEqual({ file: 'jk_uri_worker_map.c', line: 564, fn: 'extension_fix' });
  });

  it('E21 (message texts only, as quoted by the KB): worker from the prefix', () => {
    const { events } = read('E21');
    expect(events.map((e) => [e.dialect, e.worker, e.ts, e.level])).toEqual([
      ['modjk', 'ajp13', undefined, undefined],
      ['modjk', 'ajp13', undefined, undefined],
    ]);
  });

  it('E22/E24 (Tomcat): handler bind address, connector, stack trace joined', () => {
    const e22 = read('E22').events;
    expect(e22[1].fields).toMatchObject({ handler: 'ajp-nio-127.0.0.1-8009', host: '127.0.0.1', port: 8009 });
    const e24 = read('E24');
    expect(e24.events).toHaveLength(1);
    expect(e24.summary.lines).toBe(3);
    const ev = e24.events[0];
    expect(ev.level).toBe('error');
    expect(ev.fields).toMatchObject({ port: 8009, exception: 'java.lang.IllegalArgumentException' });
    expect(ev.message).toContain('secretRequired="true"');
    expect(ev.text.split('\n')).toHaveLength(3);
  });

  it('E25: httpd 2.2 and mod_jk lines in one paste, per-line detection', () => {
    const { events, summary } = read('E25');
    expect(summary.byDialect).toEqual({ httpd: 5, modjk: 2 });
    expect(events[2].fields).toMatchObject({ apr: 111, errno: 111, backend: '127.0.0.1:8009', host: 'localhost' });
    expect(events[4].fields).toMatchObject({ host: 'localhost' });
  });

  it('seed 000 (support article): the five quoted jk lines are found among the prose', () => {
    const text = readFileSync(join(import.meta.dirname, '../fixtures/logs/seed-000-isapi-cpong-article.txt'), 'utf8');
    const { events, summary } = parseLogText(text, { path: 'seed', tz: 'UTC' });
    expect(events.map((e) => e.message)).toEqual([
      'awaited reply cpong, received 6 instead',
      'About to shutdown socket 668',
      'Shutdown socket 668 and read 306 lingering bytes',
      '(worker1) failed sending request, socket -1 prepost cping/cpong failure (errno=0)',
      'awaited reply cpong, received 3 instead',
    ]);
    // prose is counted, never an error
    expect(summary.unrecognised).toBeGreaterThan(10);
    expect(summary.unrecognisedSamples.length).toBeLessThanOrEqual(5);
  });
});

describe('sample corpus logs (real mod_jk 1.2.48 / httpd 2.4.71 / Tomcat 10.1.60 runs)', () => {
  const SAMPLES = join(import.meta.dirname, '../../samples');
  const KNOWN = ['backend-down', 'baseline', 'client-abort', 'mcmp', 'reply-timeout', 'secret-mismatch'];
  const scenarios = readdirSync(SAMPLES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'make')
    .map((d) => d.name);
  for (const sc of scenarios) {
    for (const f of ['mod_jk.log', 'mod_jk-info.log', 'error_log', 'catalina.out', 'access_log', 'tomcat_access_log.txt']) {
      const p = join(SAMPLES, sc, f);
      let text: string;
      try {
        text = readFileSync(p, 'utf8');
      } catch {
        continue;
      }
      it(`${sc}/${f}: every line recognised and stamped`, () => {
        const { events, summary } = parseLogText(text, { path: p, tz: 'UTC' });
        if (KNOWN.includes(sc)) expect(summary.unrecognised, JSON.stringify(summary.unrecognisedSamples)).toBe(0);
        // scenarios added after this test was written: a gap shows, but only a large one fails
        else expect(summary.unrecognised, JSON.stringify(summary.unrecognisedSamples)).toBeLessThanOrEqual(summary.lines / 100);
        const want = f === 'error_log' ? 'httpd' : f === 'catalina.out' ? 'tomcat' : f.includes('access') ? 'access' : 'modjk';
        expect(Object.keys(summary.byDialect)).toEqual([want]);
        const stamped = events.filter((e) => e.ts !== undefined);
        expect(stamped.length).toBe(events.length);
        // One scenario run lasts minutes, not days.
        expect(summary.lastTs as number).toBeGreaterThanOrEqual(summary.firstTs as number);
        expect((summary.lastTs as number) - (summary.firstTs as number)).toBeLessThan(3_600_000);
      });
    }
  }

  it('client-abort/mod_jk-info.log: the client abort lines with their worker', () => {
    const p = join(SAMPLES, 'client-abort', 'mod_jk-info.log');
    const { events } = parseLogText(readFileSync(p, 'utf8'), { path: p, tz: 'UTC' });
    expect(events[0]).toMatchObject({ version: 'mod_jk/1.2.48', pid: 19617, tid: '140247676086144' });
    const abort = events.find((e) => e.message === 'Aborting connection for worker=node1');
    expect(abort?.worker).toBe('node1');
    expect(abort?.source).toEqual({ file: 'mod_jk.c', line: 2965, fn: 'jk_handler' });
  });
});
