import { defineRule, type SignalDef } from '../types.js';

/**
 * The web server cannot load the AJP connector module, so httpd (or IIS) does not start or serves
 * nothing through it. httpd prints `Cannot load <file> into server: <dlerror>` or `Can't locate API
 * module structure `<name>' in file <file>` (server/mod_so.c load_module()); IIS prints
 * `Calling LoadLibraryEx on ISAPI filter "<dll>" failed`. Only the modules of this field count:
 * mod_jk, mod_proxy_ajp, mod_proxy_cluster / mod_cluster (mod_manager, mod_cluster_slotmem,
 * mod_advertise), the ISAPI redirector.
 */
const moduleLoadFailed: SignalDef = {
  kind: 'module-load-failed',
  source: 'httpd',
  needles: ['Cannot load ', "Can't locate API module structure", 'undefined symbol', 'LoadLibraryEx on ISAPI filter'],
  re: /(?:Cannot load (\S*?(mod_jk|mod_proxy_ajp|mod_proxy_cluster|mod_cluster\w*|mod_manager|mod_advertise|mod_slotmem\w*)\.so) into server: (?:[^\n]*?undefined symbol: (\w+))?|Can't locate API module structure `(\w+)' in file (\S*?(mod_jk|mod_proxy_ajp|mod_proxy_cluster|mod_cluster\w*|mod_manager|mod_advertise)\.so)|(?<!\S)(\S*?(mod_jk|mod_proxy_ajp|mod_proxy_cluster|mod_cluster\w*|mod_manager|mod_advertise)\.so): undefined symbol: (\w+)|LoadLibraryEx on ISAPI filter "([^"]*isapi_redirect[^"]*)" failed)/,
  data: (m) => ({
    module: m[2] ?? m[6] ?? m[8] ?? (m[10] ? 'isapi_redirect' : undefined),
    symbol: m[3] ?? m[9],
    structure: m[4],
    file: m[1] ?? m[5] ?? m[7] ?? m[10],
  }),
};

/** What a missing symbol says about the build (httpd 2.2 ↔ 2.4 API, mod_proxy hooks of 2.4.47). */
function why(symbol: string | undefined, structure: string | undefined, module: string | undefined): string {
  if (structure !== undefined)
    return `the LoadModule line names the module structure "${structure}", which this file does not have: the module's name is different (mod_cluster 1.3+ and mod_proxy_cluster: cluster_slotmem_module, manager_module, proxy_cluster_module, advertise_module)`;
  if (module === 'isapi_redirect')
    return 'IIS could not load isapi_redirect.dll: the DLL is missing, of the other bitness than the application pool (32-bit DLL in a 64-bit pool or the reverse), or the pool identity may not read it (inherited permissions on its folder)';
  if (symbol === undefined) return 'the module file could not be loaded (missing, unreadable, or built for another httpd)';
  if (symbol === 'proxy_module' || /^ap_proxy_|^proxy_hook_|^proxy_run_(?!check_trans)/.test(symbol))
    return `the module needs mod_proxy, which is not loaded before it (undefined symbol ${symbol})`;
  if (symbol === 'proxy_run_check_trans') return 'mod_proxy_cluster 2.x needs the check_trans hook of mod_proxy, which exists in httpd 2.4.47 and later only (undefined symbol proxy_run_check_trans)';
  if (/^ap_unixd_config$|^ap_log_error_?$|^ap_log_rerror_?$|^unixd_config$|^ap_http_method$/.test(symbol))
    return `the module was built for another httpd API (httpd 2.2 and 2.4 differ: undefined symbol ${symbol}); it must be built against the httpd that loads it`;
  return `the module was built against a different httpd or APR than the one loading it (undefined symbol ${symbol})`;
}

/**
 * httpd 2.4 mod_proxy.c proxy_handler: `AH01144: No protocol handler was valid for the URL %s[ (scheme
 * '%s')]. If you are using a DSO version of mod_proxy, make sure the proxy submodules are included in
 * the configuration using LoadModule.` — for an ajp:// URL, mod_proxy_ajp is not loaded.
 */
const noProtocolHandler: SignalDef = {
  kind: 'httpd-no-protocol-handler',
  source: 'httpd',
  needles: ['No protocol handler was valid for the URL'],
  re: /No protocol handler was valid for the URL (\S+?)\.?(?: \(scheme '(\w+)'\))?[. ]/,
  data: (m) => ({ url: m[1], scheme: m[2] }),
};

export default defineRule({
  id: 'module-load-failure',
  title: 'The web server cannot load its AJP connector module',
  severity: 'error',
  needs: { logs: [moduleLoadFailed, noProtocolHandler] },
  docs: {
    summary:
      'httpd (or IIS) could not load mod_jk, mod_proxy_ajp, mod_proxy_cluster / mod_cluster or the ISAPI redirector: a dependency is not loaded first (mod_proxy), the module was built for another httpd version (2.2 vs 2.4, or older than 2.4.47 for mod_proxy_cluster 2.x), the LoadModule line uses a wrong module name, or IIS cannot load the DLL (bitness, permissions). httpd then refuses to start, or nothing is forwarded.',
    remedy: [
      'mod_proxy_ajp / mod_proxy_cluster: load mod_proxy first (LoadModule proxy_module modules/mod_proxy.so; Debian: a2enmod proxy proxy_ajp).',
      'mod_cluster 1.3+ / mod_proxy_cluster: use the module names of the release: LoadModule cluster_slotmem_module modules/mod_cluster_slotmem.so, manager_module modules/mod_manager.so, proxy_cluster_module modules/mod_proxy_cluster.so, advertise_module modules/mod_advertise.so; mod_proxy_cluster 2.x needs httpd 2.4.47 or later.',
      'A module built for another httpd: build it (mod_jk: ./configure --with-apxs=$(which apxs)) against the httpd that loads it, or install the distribution package that matches httpd.',
      'IIS: the isapi_redirect.dll must match the application pool bitness (Enable 32-Bit Applications), its folder must be readable by the pool identity, and the registry / isapi_redirect.properties must point at existing files.',
    ],
    references: [
      'httpd modules/core/mod_so.c load_module() ("Cannot load %s into server: %s", "Can\'t locate API module structure")',
      'https://github.com/modcluster/mod_proxy_cluster (httpd 2.4.47+ for 2.x)',
      'https://tomcat.apache.org/connectors-doc/webserver_howto/iis.html',
    ],
  },
  check(ctx) {
    const s = ctx.signals(moduleLoadFailed);
    // AH01144 for an ajp:// URL (or the scheme it names): mod_proxy_ajp is not loaded at all.
    const noHandler = ctx.signals(noProtocolHandler).filter((x) => x.d.scheme === 'ajp' || /^(?:proxy:)?ajp:\/\//i.test(String(x.d.url ?? '')));
    if (!s.length && noHandler.length)
      return [
        ctx.finding({
          confidence: 'likely',
          explanation: `httpd found no protocol handler for ${noHandler[0].d.url}: mod_proxy_ajp is not loaded (LoadModule proxy_ajp_module modules/mod_proxy_ajp.so, Debian: a2enmod proxy_ajp), so nothing is forwarded over AJP.`,
          evidence: noHandler,
          subject: { module: 'mod_proxy_ajp' },
        }),
      ];
    if (!s.length) return [];
    const first = s[0];
    return [
      ctx.finding({
        confidence: 'likely',
        explanation: `The web server could not load ${first.d.file ?? first.d.module}: ${why(first.d.symbol as string | undefined, first.d.structure as string | undefined, first.d.module as string | undefined)}.`,
        evidence: s,
        subject: first.d.module ? { module: String(first.d.module) } : {},
      }),
    ];
  },
});
