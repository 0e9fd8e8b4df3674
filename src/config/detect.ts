/**
 * Which configuration a text is, by its content (the same file is called workers.properties,
 * workers2.properties, jk.conf, 00-proxy.conf, server.xml or standalone-ha.xml): counts of lines each
 * syntax would read, the best count wins. Undefined: not a configuration ajp-inspect reads.
 */
import type { ConfigKind } from './types.js';
import { configLineKind, HTTPD_SECTION } from './fragments.js';

const TOMCAT_ELEMENT = /<(Server|Service|Connector|Engine|Executor|GlobalNamingResources|Listener)\b[^>]*/g;
const JBOSS_MARK = /urn:jboss:domain|<ajp-listener\b|<socket-binding-group\b/;

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
    const k = configLineKind(line);
    if (k === 'workers') workers++;
    else if (k === 'uriworkermap') uri++;
    else if (k === 'isapi') isapi++;
    else if (k === 'httpd') httpd++;
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
