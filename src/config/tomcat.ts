/**
 * The container side: Tomcat server.xml (<Connector> elements whose protocol is AJP — `AJP/1.3`,
 * `org.apache.coyote.ajp.Ajp{Nio,Nio2,Apr,}Protocol` —, the <Executor> a connector names, the
 * <Engine jvmRoute> of the <Service>) and JBoss/WildFly standalone.xml (undertow <ajp-listener>,
 * the legacy web subsystem's <connector protocol="AJP/1.3">, their socket-binding port and
 * interface address, the undertow instance-id that plays the jvmRoute part).
 */
import type { AjpConnector, Setting } from './types.js';
import { ancestor, findAll, localName, type XmlElement } from './xml.js';

function settings(e: XmlElement, path: string): Map<string, Setting> {
  const m = new Map<string, Setting>();
  for (const [k, v] of Object.entries(e.attrs)) m.set(k, { path, line: e.line, key: k, value: v });
  return m;
}

export function isAjpProtocol(protocol: string | undefined): boolean {
  return protocol !== undefined && /ajp/i.test(protocol);
}

/** `${name:default}` → default (WildFly expressions; Tomcat's ${name} without default stays). */
export function expressionDefault(v: string): string {
  return v.replace(/\$\{[^:}]+:([^}]*)\}/g, '$1');
}

/** Tomcat server.xml (or a fragment of it). */
/** A Service's Engine and Executors (the first of each name, as a search of its children finds them). */
interface ServiceParts {
  engine: XmlElement | undefined;
  executors: Map<string, XmlElement>;
}

/**
 * Read once per Service, not once per Connector: a server.xml of many Connectors (generated, or
 * damaged by a paste) made the search of the Service's children quadratic.
 */
function serviceParts(service: XmlElement, memo: Map<XmlElement, ServiceParts>): ServiceParts {
  let p = memo.get(service);
  if (p !== undefined) return p;
  p = { engine: service.children.find((x) => x.name === 'Engine'), executors: new Map() };
  for (const x of service.children) if (x.name === 'Executor' && x.attrs.name !== undefined && !p.executors.has(x.attrs.name)) p.executors.set(x.attrs.name, x);
  memo.set(service, p);
  return p;
}

export function tomcatFacts(root: XmlElement, path: string): { connectors: AjpConnector[]; jvmRoutes: Setting[]; engines: { path: string; line: number; jvmRoute?: string }[] } {
  const connectors: AjpConnector[] = [];
  const jvmRoutes: Setting[] = [];
  const engines: { path: string; line: number; jvmRoute?: string }[] = [];
  for (const eng of findAll(root, (e) => e.name === 'Engine')) {
    engines.push(eng.attrs.jvmRoute === undefined ? { path, line: eng.line } : { path, line: eng.line, jvmRoute: eng.attrs.jvmRoute });
    if (eng.attrs.jvmRoute !== undefined) jvmRoutes.push({ path, line: eng.line, key: 'jvmRoute', value: eng.attrs.jvmRoute });
  }
  const parts = new Map<XmlElement, ServiceParts>();
  for (const c of findAll(root, (e) => e.name === 'Connector')) {
    const protocol = c.attrs.protocol ?? 'HTTP/1.1';
    if (!isAjpProtocol(protocol)) continue;
    const conn: AjpConnector = { path, line: c.line, server: 'tomcat', attrs: settings(c, path), protocol };
    const port = Number(c.attrs.port);
    if (Number.isInteger(port)) conn.port = port;
    if (c.attrs.address !== undefined) conn.address = c.attrs.address;
    const service = ancestor(c, 'Service');
    if (service) {
      const { engine: eng, executors } = serviceParts(service, parts);
      if (eng?.attrs.jvmRoute !== undefined) conn.jvmRoute = { path, line: eng.line, key: 'jvmRoute', value: eng.attrs.jvmRoute };
      const exName = c.attrs.executor;
      const ex = exName === undefined ? undefined : executors.get(exName);
      if (ex) conn.executor = settings(ex, path);
    }
    connectors.push(conn);
  }
  return { connectors, jvmRoutes, engines };
}

/** JBoss EAP / WildFly standalone.xml (or domain.xml profile). */
export function jbossFacts(root: XmlElement, path: string): { connectors: AjpConnector[]; jvmRoutes: Setting[] } {
  const connectors: AjpConnector[] = [];
  const jvmRoutes: Setting[] = [];
  const bindings = new Map<string, XmlElement>();
  for (const b of findAll(root, (e) => localName(e.name) === 'socket-binding')) if (b.attrs.name !== undefined) bindings.set(b.attrs.name, b);
  const interfaces = new Map<string, string>();
  for (const i of findAll(root, (e) => localName(e.name) === 'interface')) {
    const inet = i.children.find((x) => localName(x.name) === 'inet-address');
    if (i.attrs.name !== undefined && inet?.attrs.value !== undefined) interfaces.set(i.attrs.name, expressionDefault(inet.attrs.value));
    else if (i.attrs.name !== undefined && i.children.some((x) => localName(x.name) === 'any-address')) interfaces.set(i.attrs.name, '0.0.0.0');
  }
  for (const s of findAll(root, (e) => localName(e.name) === 'subsystem' && /undertow/.test(e.attrs.xmlns ?? ''))) {
    if (s.attrs['instance-id'] !== undefined) jvmRoutes.push({ path, line: s.line, key: 'instance-id', value: expressionDefault(s.attrs['instance-id']) });
  }
  const listeners = findAll(root, (e) => localName(e.name) === 'ajp-listener' || (localName(e.name) === 'connector' && isAjpProtocol(e.attrs.protocol)));
  for (const l of listeners) {
    const conn: AjpConnector = { path, line: l.line, server: 'jboss', attrs: settings(l, path), protocol: 'AJP/1.3' };
    const binding = l.attrs['socket-binding'] === undefined ? undefined : bindings.get(l.attrs['socket-binding']);
    if (binding) {
      const port = Number(expressionDefault(binding.attrs.port ?? ''));
      if (Number.isInteger(port) && port > 0) conn.port = port;
      const group = binding.parent;
      const iface = binding.attrs.interface ?? group?.attrs['default-interface'];
      const addr = iface === undefined ? undefined : interfaces.get(iface);
      if (addr !== undefined) conn.address = addr;
    }
    const sub = ancestor(l, 'subsystem');
    if (sub?.attrs['instance-id'] !== undefined) conn.jvmRoute = { path, line: sub.line, key: 'instance-id', value: expressionDefault(sub.attrs['instance-id']) };
    connectors.push(conn);
  }
  return { connectors, jvmRoutes };
}
