/**
 * MCMP (mod_cluster management protocol) values: HTTP/1.x requests with their own methods from an
 * application server node to httpd (mod_manager), and httpd's plain-text answers.
 * Everything here is plain data; bad bytes become values with a reason, never exceptions.
 */
import type { Endpoint } from '../tcp/types.js';

/** The three httpd-side implementations whose answers differ on the wire (see generations.ts). */
export type ServerGeneration = 'mod_cluster-1.3' | 'mod_proxy_cluster-2.x' | 'mod_proxy_cluster-main';

export type HttpHeader = [name: string, value: string];

/** Where a message's bytes came from. */
export interface WireSpan {
  stream: number;
  /** Capture time of the segment holding the message's first byte. */
  ts: number;
  /** Frames of every segment that carried a byte of the message (head and body). */
  frames: number[];
}

/** One `key=value` pair of a request body, decoded the way httpd's mod_manager does it. */
export interface McmpParam {
  /** Key as sent (after %XX decoding). */
  key: string;
  /**
   * Value after %XX decoding only: `+` stays `+`, as mod_manager's `decodeenc` leaves it
   * (mod_proxy_cluster native/mod_manager/mod_manager.c, decodeenc).
   */
  value: string;
  /** What a standard form decoder (`+` → space) would give, only when it differs from `value`. */
  formValue?: string;
  /** The raw, still encoded text of the pair. */
  raw: string;
}

export type ParamProblemKind =
  | 'missing-required'
  | 'too-long'
  | 'empty-value'
  | 'unknown-field'
  | 'illegal-character'
  | 'bad-value'
  | 'bad-escape'
  | 'pairing-shifted';

export interface ParamProblem {
  kind: ParamProblemKind;
  key?: string;
  /** One line for humans. */
  detail: string;
  /** For too-long: the length seen and the longest value httpd accepts. */
  length?: number;
  max?: number;
  /** Generations this problem applies to (a limit can differ between them). */
  generations?: ServerGeneration[];
}

export interface McmpRequest extends WireSpan {
  client: Endpoint;
  server: Endpoint;
  /** Method exactly as sent (case kept). */
  method: string;
  uri: string;
  httpVersion: string;
  /** `*` or a URI ending in `/*`: a node-wide command (mod_manager.c, NODE_COMMAND). */
  wildcard: boolean;
  headers: HttpHeader[];
  /** Body as text (latin1: one char per byte). */
  body: string;
  params: McmpParam[];
  problems: ParamProblem[];
  /** Generations whose mod_manager knows this method. Empty: no httpd answers it as MCMP. */
  knownBy: ServerGeneration[];
}

/** Fields of an `&`/`=` line such as `Type=STATUS-RSP&JVMRoute=node1&State=OK&id=...`. */
export interface AmpersandFields {
  format: 'ampersand';
  type?: string;
  fields: Array<[string, string]>;
}

export interface InfoNode {
  id: number;
  name: string;
  balancer: string;
  lbGroup: string;
  host: string;
  port: string;
  type: string;
  flushpackets: string;
  flushwait: string;
  ping: string;
  smax: string;
  ttl: string;
  elected: string;
  read: string;
  transfered: string;
  connected: string;
  load: string;
  /** Any field not in the list above, in order. */
  extra: Array<[string, string]>;
}
export interface InfoVhost {
  node: number;
  vhost: number;
  id: number;
  alias: string;
}
export interface InfoContext {
  node: number;
  vhost: number;
  id: number;
  path: string;
  status: string;
}

export interface DumpBalancer {
  id: number;
  name: string;
  line: string;
  fields: Record<string, string>;
}
export interface DumpNode {
  id: number;
  fields: Record<string, string>;
}
export interface DumpHost {
  id: number;
  alias: string;
  vhost: number;
  node: number;
}
export interface DumpContext {
  id: number;
  path: string;
  vhost: number;
  node: number;
  status: number;
}

export type McmpResponseBody =
  | { kind: 'empty' }
  /** STATUS-RSP, PING-RSP, STOP-APP-RSP (classic): `Type=...&k=v...\n`. */
  | { kind: 'fields'; fields: AmpersandFields }
  /**
   * mod_proxy_cluster main's *-APP answers: `Type=ENABLE-APP-RSP\nJvmRoute=node1\nAlias=a Contexts=/x,/y\n\n`
   * (mod_manager.c, print_app_cmd_response).
   */
  | {
      kind: 'app-rsp';
      type: string;
      jvmRoute?: string;
      aliases: Array<{ alias: string; contexts: string[] }>;
    }
  | { kind: 'info'; nodes: InfoNode[]; vhosts: InfoVhost[]; contexts: InfoContext[]; unparsed: string[] }
  | {
      kind: 'dump';
      balancers: DumpBalancer[];
      nodes: DumpNode[];
      hosts: DumpHost[];
      contexts: DumpContext[];
      unparsed: string[];
    }
  | { kind: 'version'; release?: string; protocol?: string }
  | { kind: 'xml'; text: string }
  | { kind: 'html'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'unparsable'; reason: string; text: string };

/** The `Version`/`Type`/`Mess` headers mod_manager's process_error puts on a 500. */
export interface McmpError {
  version?: string;
  /** SYNTAX, MEM or GENERAL. */
  type?: string;
  mess?: string;
}

export type BodyFraming = 'chunked' | 'content-length' | 'close' | 'none';

export interface McmpResponse extends WireSpan {
  httpVersion: string;
  status: number;
  reason: string;
  headers: HttpHeader[];
  framing: BodyFraming;
  /** Value of the Connection header, if any. */
  connection?: string;
  contentType?: string;
  body: string;
  bodyLength: number;
  decoded: McmpResponseBody;
  error?: McmpError;
  /** Framing or decoding problems (e.g. body cut by the end of the capture). */
  problems: string[];
}

export interface ProbeCount {
  cping: number;
  cpong: number;
  /** httpd → node `OPTIONS *` (http nodes). */
  options: number;
  /** Server endpoints probed ("addr:port"). */
  targets: string[];
  /** Frames of the probes, for Wireshark. */
  frames: number[];
}

export interface McmpExchange {
  /** 1-based, in order of the request's first byte. */
  index: number;
  request: McmpRequest;
  response: McmpResponse;
  /** Probes httpd sent to a node while it handled this exchange (STATUS, PING). */
  probes: ProbeCount;
  /** When this request repeats an unanswered one written on a connection httpd had closed. */
  resendOf?: { stream: number; ts: number; client: Endpoint; frames: number[] };
}

export type UnansweredReason = 'keepalive-closed' | 'reset' | 'closed' | 'capture-ended' | 'answer-unreadable';

export interface McmpUnanswered {
  request: McmpRequest;
  reason: UnansweredReason;
  /** httpd's FIN (before the request) and RST (after it) on that connection. */
  serverFinTs: number[];
  serverRstTs: number[];
  /** Frames of the FIN/RST segments. */
  frames: number[];
  /** Index of the exchange that carried the same request again on a fresh connection. */
  resentAs?: number;
}

/** A plain HTTP request (GET /mod_cluster_manager, ...) seen on a connection to an MCMP server. */
export interface HttpSeen extends WireSpan {
  client: Endpoint;
  server: Endpoint;
  requestLine: string;
  userAgent?: string;
  status?: number;
}

/** A CPing / CPong (AJP) or OPTIONS probe seen on a connection httpd opened to a node. */
export interface ProbeEvent {
  kind: 'CPING' | 'CPONG' | 'OPTIONS' | 'OPTIONS-RESPONSE';
  stream: number;
  frame: number;
  ts: number;
  /** The node endpoint ("addr:port"). */
  target: string;
}
