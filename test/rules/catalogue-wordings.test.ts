/**
 * Older and sibling wordings of messages the rules read, built from the format strings of the
 * versions named (tomcat-connectors jk_ajp_common.c / jk_lb_worker.c / jk_isapi_plugin.c, httpd
 * mod_proxy.c / proxy_util.c): one line each, pasted alone.
 */
import { describe, expect, it } from 'vitest';
import { run } from './harness.js';

const one = (text: string) => run({ path: 'paste', text: `${text}\n` });

describe('wordings of every version', () => {
  it('mod_jk 1.2.0–1.2.25 "Error connecting to tomcat. Tomcat is probably not started…" is backend-down-or-wrong-port', () => {
    const r = one('[Thu Mar 02 10:00:00 2006] [error] ajp_service::jk_ajp_common.c (1579): Error connecting to tomcat. Tomcat is probably not started or is listening on the wrong port. worker=ajp13 failed errno = 111');
    expect(r.findings[0]?.id, r.ids.join()).toBe('backend-down-or-wrong-port');
  });
  it('mod_jk before 1.2.21 "ERROR sending data to client. Connection aborted or network problems" is a client abort (info)', () => {
    const r = one('[Thu Mar 02 10:00:00 2006] [error] ajp_process_callback::jk_ajp_common.c (1087): ERROR sending data to client. Connection aborted or network problems');
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([['client-abort-download', 'info']]);
  });
  it('mod_jk 1.2.0–1.2.8 "No more workers left, can not submit the request" is lb-all-members-failed', () => {
    expect(one('[error] In jk_endpoint_t::service, No more workers left, can not submit the request').findings[0]?.id).toBe('lb-all-members-failed');
  });
  it('ISAPI "Unable to read worker file %s. (errno=%d, err=%s)" (1.2.33+) is jk-config-unknown-worker', () => {
    const r = one('[Thu Mar 09 16:41:25.123 2023] [2188:4452] [emerg] init_jk::jk_isapi_plugin.c (2870): Unable to read worker file C:\\tomcat\\conf\\workers.properties. (errno=2, err=No such file or directory)');
    expect(r.findings[0]).toMatchObject({ id: 'jk-config-unknown-worker', subject: { file: 'C:\\tomcat\\conf\\workers.properties' } });
  });
  it('httpd AH00934 "all workers are busy.  Unable to serve" is endpoint-pool-exhausted', () => {
    const r = one('[Wed Oct 11 14:32:52.123456 2023] [proxy:error] [pid 123:tid 456] AH00934: all workers are busy.  Unable to serve ajp://10.0.0.5:8009');
    expect(r.findings[0]?.id, r.ids.join()).toBe('endpoint-pool-exhausted');
    expect(r.findings[0].explanation).toMatch(/max=/);
  });
  it('httpd AH01144 for an ajp:// URL is module-load-failure (mod_proxy_ajp not loaded)', () => {
    const r = one("[Wed Oct 11 14:32:52.123456 2023] [proxy:warn] [pid 123:tid 456] [client 1.2.3.4:5555] AH01144: No protocol handler was valid for the URL /app/ (scheme 'ajp'). If you are using a DSO version of mod_proxy, make sure the proxy submodules are included in the configuration using LoadModule.");
    expect(r.findings[0]).toMatchObject({ id: 'module-load-failure', subject: { module: 'mod_proxy_ajp' } });
    expect(one("AH01144: No protocol handler was valid for the URL /x (scheme 'http').").ids).not.toContain('module-load-failure');
  });
  it('a line retyped with another case is still read (a quote that starts a sentence: "Connecting to backend failed…")', () => {
    const r = one('Connecting to backend failed. Tomcat is probably not started or is listening on the wrong port (errno=111)');
    expect(r.findings[0]?.id, r.ids.join()).toBe('backend-down-or-wrong-port');
  });
});
