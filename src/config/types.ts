/**
 * Configuration facts: what the parsers of config/ read out of workers.properties, uriworkermap,
 * httpd configuration, Tomcat server.xml, WildFly standalone.xml and isapi_redirect.properties, as
 * plain data with the file and line each value came from. The rules read these (like log events and
 * capture evidence); nothing here judges a value.
 */

/** What a configuration file is, decided by its content (never by its name). */
export type ConfigKind = 'workers' | 'uriworkermap' | 'httpd' | 'tomcat' | 'jboss' | 'isapi';

/** Each kind by the file people call it. */
export const CONFIG_KIND_NAMES: Readonly<Record<ConfigKind, string>> = {
  workers: 'workers.properties',
  uriworkermap: 'uriworkermap.properties',
  httpd: 'httpd configuration',
  tomcat: 'server.xml',
  jboss: 'standalone.xml',
  isapi: 'isapi_redirect.properties',
};

/** One value with where it was written. `line` is the first line of a continued entry. */
export interface Setting {
  path: string;
  line: number;
  /** The key as written (`worker.node1.port`, `ProxyTimeout`, `packetSize`). */
  key: string;
  value: string;
  /** For a value a worker inherited through `reference`: the template it came from. */
  via?: string;
}

/** A mod_jk worker from workers.properties (ajp13, ajp14, lb, status), `reference` resolved. */
export interface JkWorker {
  name: string;
  /** worker.<name>.type; mod_jk's default is ajp13. */
  type: string;
  /** Where the worker is first defined. */
  path: string;
  line: number;
  /** Effective directives, keyed by directive name in lower case (`connection_pool_timeout`). */
  settings: Map<string, Setting>;
  /** lb: balance_workers (or the deprecated balanced_workers), in order. */
  members: string[];
  /** In worker.list (only those can be mounted). */
  listed: boolean;
}

/** One workers.properties file. */
export interface JkWorkersFile {
  path: string;
  /** worker.list as mod_jk reads it (repeated keys appended). */
  list: string[];
  listSetting?: Setting;
  workers: Map<string, JkWorker>;
  /** Global keys (worker.maintain, …), by lower-case key. */
  globals: Map<string, Setting>;
  /** Every key as read, for the checks of removed or renamed directives. */
  entries: Setting[];
  /** The first reference mod_jk cannot resolve (a loop, a chain too deep, a template not found, one that grows): it refuses the file. */
  referenceFailure?: ReferenceFailure;
}

/**
 * `worker.X.reference` resolutions mod_jk refuses (tomcat-connectors native/common/jk_map.c
 * jk_map_resolve_references, jk_map_inherit_properties; config/workers.ts resolveReferences). `chain`:
 * the references followed, from the one the scan of the map met first; the last is the one that fails
 * (for `recursion`, up to the first that comes again in a loop, else the whole chain of 20).
 */
export type ReferenceFailure =
  /** A loop, or a chain of JK_MAP_RECURSION (20) references: "Recursion limit 20 for worker references with prefix '<prefix>' reached". */
  | { kind: 'recursion'; chain: Setting[]; loop: boolean; prefix: string }
  /**
   * No key starts with `from` (the value and a dot): "Reference '<from>' not found". `meant`: a
   * prefix keys do start with (and a dot) that the value differs from only by its trailing dots or
   * by case (mod_jk compares as written).
   */
  | { kind: 'not-found'; chain: Setting[]; from: string; meant?: { prefix: string; by: 'dots' | 'case' } }
  /** The worker is under `from` itself: every key copied is copied again, until memory runs out. */
  | { kind: 'grows'; chain: Setting[]; from: string };

/** A URL mapped to a worker: JkMount, uriworkermap.properties, or isapi's worker_mount_file. */
export interface JkMount {
  path: string;
  line: number;
  /** The URL pattern (`/app/*`). */
  uri: string;
  worker: string;
  /** JkUnMount / `!` in uriworkermap. */
  unmount: boolean;
  /** `<VirtualHost …>` the mount is in; undefined for the main server and mount files. */
  vhost?: string;
  from: 'JkMount' | 'uriworkermap';
}

/** One httpd directive as httpd reads it (continuations joined, Includes followed). */
export interface HttpdDirective {
  path: string;
  line: number;
  name: string;
  args: string[];
  /** Enclosing sections, outermost first, e.g. ['VirtualHost *:80', 'Location /jk-status']. */
  sections: readonly string[];
}

/** A mod_proxy_ajp backend: ProxyPass / ProxyPassMatch / BalancerMember with an ajp:// URL. */
export interface ProxyAjpWorker {
  path: string;
  line: number;
  directive: string;
  /** The URL path mapped (ProxyPass), undefined for BalancerMember. */
  mount?: string;
  url: string;
  host: string;
  port: number;
  /** key=value parameters (lower-case keys): secret, timeout, ttl, ping, keepalive, iobuffersize, route … */
  params: Map<string, Setting>;
  /** balancer://name for a BalancerMember. */
  balancer?: string;
  vhost?: string;
}

/** An AJP listener on the container side: a Tomcat <Connector> or a WildFly <ajp-listener>. */
export interface AjpConnector {
  path: string;
  line: number;
  server: 'tomcat' | 'jboss';
  /** Attributes by name (as written; XML attribute names are case-sensitive). */
  attrs: Map<string, Setting>;
  protocol: string;
  port?: number;
  /** The address attribute, or the interface's address (jboss); undefined when not set. */
  address?: string;
  /** Executor's settings when the connector names one (maxThreads lives there then). */
  executor?: Map<string, Setting>;
  /** The <Engine jvmRoute> (Tomcat) or undertow instance-id (jboss) of the service. */
  jvmRoute?: Setting;
  /** The file says which Tomcat major version it is for (a comment or namespace); rarely known. */
}

/** What an httpd configuration's Includes held (read with it, beside the file itself). */
export interface IncludedFiles {
  files: string[];
  directives: number;
  mounts: number;
  proxies: number;
}

/** The facts of all the files given together. */
export interface ConfigFacts {
  /**
   * The files given (and those they name), each with the files it included (httpd Include: not listed
   * on their own); `quoted`: configuration quoted in a text read as a log (a paste), on these lines.
   */
  files: { path: string; kind: ConfigKind; included?: IncludedFiles; quoted?: { first: number; last: number } }[];
  workers: JkWorkersFile[];
  mounts: JkMount[];
  httpd: HttpdDirective[];
  proxies: ProxyAjpWorker[];
  connectors: AjpConnector[];
  /** <Engine jvmRoute> / instance-id values, even on servers without an AJP connector. */
  jvmRoutes: Setting[];
  /** Every <Engine> (Tomcat), with or without jvmRoute. */
  engines: { path: string; line: number; jvmRoute?: string }[];
  /** isapi_redirect.properties keys (lower case). */
  isapi: Map<string, Setting>;
}

export function emptyFacts(): ConfigFacts {
  return { files: [], workers: [], mounts: [], httpd: [], proxies: [], connectors: [], jvmRoutes: [], engines: [], isapi: new Map() };
}

/** A configuration input that cannot be read as one: one line for the user. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Configuration text one run reads at most: the files given, what they include (httpd Include) and
 * what they name (JkWorkersFile, worker_file…), together. A hosting server's httpd configuration of
 * 37,000 virtual hosts is 8 MB; the facts take ~20 times their text in memory (a 58 MB server.xml
 * took 1 GB), so a bound keeps a run's memory bounded whatever it is given (issue 14).
 */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/**
 * What one file read costs against MAX_CONFIG_BYTES at least, whatever its size. httpd reads a file
 * each time an Include names it (server/core.c include_config → ap_process_fnmatch_configs: only
 * nesting past AP_MAX_INCLUDE_DEPTH, 128, is refused), so counting characters alone let an Include tree of tiny files that doubles per
 * level cost nothing: 19 files, 18 levels, 2^18 reads took 23 s. A read (file-system calls, the
 * directives' words) costs ~30 µs, about what 200 bytes of directives cost, so the bound allows at most
 * 65,536 reads (~2 s); one small virtual host per file (~140 bytes each) still fits 37,000 of them.
 */
export const MIN_READ_BYTES = 256;

/**
 * Directory entries the Include wildcards and folders of one run look at, in all. httpd walks what
 * a wildcard names (server/config.c ap_process_fnmatch_configs, a folder per wildcard segment, any
 * number of segments), and the walk was outside MAX_CONFIG_BYTES: a wildcard in each segment of a path
 * from the root read every folder of the disk. An entry costs ~1 µs and its path ~100 bytes while it is kept;
 * 2^20 of them stay within seconds and the memory MAX_CONFIG_BYTES allows, and a hosting server's
 * 37,000 virtual-host files, looked at once per wildcard naming them, fit many times over.
 */
export const MAX_INCLUDE_ENTRIES = 1 << 20;

/** The one line for Include wildcards and folders that look at more than `limit` entries, `where` the pattern or folder that went past. */
export function tooManyEntries(where: string, limit = MAX_INCLUDE_ENTRIES): string {
  return `${where}: Include wildcards and folders look at more than ${limit.toLocaleString('en-US')} directory entries in all (every folder a wildcard names is read): name the folder that holds the configuration (conf.d/*.conf), not a walk of the disk`;
}

/**
 * The one line for configuration past `limit` bytes, `path` the file that went past it; `reads`:
 * the files read when it is their number (MIN_READ_BYTES each) rather than their text that went past.
 */
export function tooMuchConfig(path: string, limit = MAX_CONFIG_BYTES, reads?: number): string {
  const what = reads === undefined ? '' : `, here ${reads} files read: a file counts as ${MIN_READ_BYTES} bytes at least, and is read each time an Include names it`;
  return `${path}: more configuration than one run reads (${+(limit / 1048576).toFixed(1)} MiB of text in all, with what the files include and name${what}): give the files that set up AJP (workers.properties, uriworkermap, the httpd files with JkMount or ProxyPass, server.xml, standalone.xml)`;
}
