/**
 * Which configuration a text is, by its content (the same file is called workers.properties,
 * workers2.properties, jk.conf, 00-proxy.conf, server.xml or standalone-ha.xml): counts of lines each
 * syntax would read, the best count wins. Undefined: not a configuration ajp-inspect reads.
 */
import type { ConfigKind } from './types.js';

/** httpd core / MPM / proxy / jk / cluster directives that open a line of httpd configuration. */
const HTTPD_WORDS = new Set(
  [
    'serverroot', 'listen', 'loadmodule', 'include', 'includeoptional', 'servername', 'documentroot', 'errorlog', 'customlog', 'loglevel',
    'user', 'group', 'timeout', 'keepalive', 'keepalivetimeout', 'maxkeepaliverequests', 'serverlimit', 'threadsperchild', 'maxrequestworkers',
    'maxclients', 'startservers', 'minsparethreads', 'maxsparethreads', 'minspareservers', 'maxspareservers', 'threadlimit', 'pidfile', 'mutex',
    'define', 'setenv', 'setenvif', 'alias', 'redirect', 'rewriteengine', 'rewriterule', 'rewritecond', 'require', 'allow', 'deny', 'order',
    'options', 'allowoverride', 'servertokens', 'serversignature', 'logformat', 'limitrequestfieldsize', 'limitrequestline', 'addtype',
    'directoryindex', 'header', 'requestheader', 'sslengine', 'sslcertificatefile', 'serveradmin', 'serveralias', 'namevirtualhost',
    'managerbalancername', 'createbalancers', 'enablemcmpreceive', 'serveradvertise', 'advertisefrequency', 'advertisegroup', 'maxcontext',
    'maxnode', 'maxhost', 'memmanagerfile', 'allowdisplay', 'usealias', 'lbstatusrecalctime', 'wsupgradeheader', 'ajpsecret',
  ],
);
const HTTPD_SECTION = /^<\/?(IfModule|IfDefine|IfVersion|VirtualHost|Location|LocationMatch|Directory|DirectoryMatch|Files|FilesMatch|Proxy|ProxyMatch|If|Else|ElseIf|Limit|LimitExcept|Macro)\b/i;
const TOMCAT_ELEMENT = /<(Server|Service|Connector|Engine|Executor|GlobalNamingResources|Listener)\b[^>]*/g;
const JBOSS_MARK = /urn:jboss:domain|<ajp-listener\b|<socket-binding-group\b/;
const ISAPI_KEYS = new Set(['extension_uri', 'worker_file', 'worker_mount_file', 'log_file', 'log_level', 'rewrite_rule_file', 'shm_size', 'uri_select', 'reject_unsafe', 'watchdog_interval', 'enable_chunked_encoding', 'error_page', 'auth_complete', 'collapse_slashes']);

export function detectConfigKind(text: string): ConfigKind | undefined {
  const body = text.replace(/^\uFEFF/, '');
  if (body.includes('\u0000')) return undefined;
  const trimmed = body.replace(/^(\s|<!--[\s\S]*?-->)*/, '');
  if (JBOSS_MARK.test(body) && trimmed.startsWith('<')) return 'jboss';
  let httpd = 0;
  let workers = 0;
  let uri = 0;
  let isapi = 0;
  let lines = 0;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!') || line.startsWith('<!--')) continue;
    lines++;
    const word = /^([A-Za-z][\w.]*)/.exec(line)?.[1]?.toLowerCase();
    if (/^worker\.[^\s=:]+\s*[=:]/i.test(line)) workers++;
    else if (/^[!-]?\/[^\s=]*\s*=\s*\S/.test(line)) uri++;
    else if (word !== undefined && ISAPI_KEYS.has(word) && /^[\w.]+\s*=/.test(line)) isapi++;
    else if (HTTPD_SECTION.test(line) || (word !== undefined && (HTTPD_WORDS.has(word) || /^(jk|proxy|balancer)[a-z]*$/.test(word)) && !/^[\w.]+\s*=/.test(line))) httpd++;
  }
  const tomcat = [...body.matchAll(TOMCAT_ELEMENT)].filter((m) => /\w+\s*=\s*["']/.test(m[0]) || m[1] === 'Server').length;
  if (tomcat > 0 && trimmed.startsWith('<') && !HTTPD_SECTION.test(trimmed)) return 'tomcat';
  const best = Math.max(httpd, workers, uri, isapi);
  if (best === 0 || best * 4 < lines) return undefined;
  if (best === workers) return 'workers';
  if (best === isapi) return 'isapi';
  if (best === uri) return 'uriworkermap';
  return 'httpd';
}
