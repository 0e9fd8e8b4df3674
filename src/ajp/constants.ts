/**
 * AJP13 code tables. Spec: Apache Tomcat Connectors "AJPv13" (xdocs/ajp/ajpv13a.xml); values as in
 * Tomcat `java/org/apache/coyote/ajp/Constants.java`, mod_jk `native/common/jk_ajp_common.h` /
 * `jk_ajp13.h`, httpd `modules/proxy/ajp.h` / `ajp_header.h` (all three agree).
 */

/** Magic of a packet sent by the web server (mod_jk, mod_proxy_ajp) to the container. */
export const MAGIC_WEB_SERVER = 0x1234;
/** Magic of a packet sent by the container (Tomcat): "AB". */
export const MAGIC_CONTAINER = 0x4142;
/** AJP14 (mod_jk only, jk_ajp14.h) uses 0x1235 in both directions. */
export const MAGIC_AJP14 = 0x1235;

export const HEADER_LENGTH = 4;
/** Largest payload a 16-bit length can announce; the protocol caps packets at 65536 bytes overall. */
export const MAX_PAYLOAD = 0xffff;
/** Default packet size of Tomcat (packetSize), mod_jk (max_packet_size) and mod_proxy_ajp (ProxyIOBufferSize). */
export const DEFAULT_PACKET_SIZE = 8192;

export const Code = {
  FORWARD_REQUEST: 0x02,
  SEND_BODY_CHUNK: 0x03,
  SEND_HEADERS: 0x04,
  END_RESPONSE: 0x05,
  GET_BODY_CHUNK: 0x06,
  SHUTDOWN: 0x07,
  PING: 0x08,
  CPONG: 0x09,
  CPING: 0x0a,
} as const;

/** Frame type names of the report contract (ARCHITECTURE.md, `capture.ajp.frames`). */
export const FRAME_TYPES = [
  'FORWARD_REQUEST',
  'DATA',
  'SHUTDOWN',
  'PING',
  'CPING',
  'SEND_BODY_CHUNK',
  'SEND_HEADERS',
  'END_RESPONSE',
  'GET_BODY_CHUNK',
  'CPONG',
  'UNKNOWN',
  'MALFORMED',
] as const;
export type FrameType = (typeof FRAME_TYPES)[number];

/** AJP14 prefix codes (jk_ajp14.h:48-118), named so an UNKNOWN message says what it is. */
export const AJP14_CODES: Readonly<Record<number, string>> = {
  0x10: 'AJP14_LOGINIT',
  0x11: 'AJP14_LOGSEED',
  0x12: 'AJP14_LOGCOMP',
  0x13: 'AJP14_LOGOK',
  0x14: 'AJP14_LOGNOK',
  0x15: 'AJP14_CONTEXT_QRY',
  0x16: 'AJP14_CONTEXT_INFO',
  0x17: 'AJP14_CONTEXT_UPDATE',
  0x18: 'AJP14_STATUS',
  0x19: 'AJP14_SHUTDOWN',
  0x1a: 'AJP14_SHUTOK',
  0x1b: 'AJP14_SHUTNOK',
  0x1c: 'AJP14_CONTEXT_STATE',
  0x1d: 'AJP14_CONTEXT_STATE_REP',
  0x1e: 'AJP14_UNKNOWN_PACKET',
};

/**
 * HTTP method codes 1..27 (jk_ajp_common.h:129-156, ajp_header.h:98-125, Tomcat Constants.java:273-290).
 * Index = code. There is no code 28; 0xFF is SC_M_JK_STORED (real method in attribute 0x0D).
 */
export const METHODS: readonly (string | undefined)[] = [
  undefined,
  'OPTIONS',
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'TRACE',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'ACL',
  'REPORT',
  'VERSION-CONTROL',
  'CHECKIN',
  'CHECKOUT',
  'UNCHECKOUT',
  'SEARCH',
  'MKWORKSPACE',
  'UPDATE',
  'LABEL',
  'MERGE',
  'BASELINE-CONTROL',
  'MKACTIVITY',
];
export const METHOD_STORED = 0xff;

/** Coded request header names, index = low byte of 0xA0xx (jk_ajp_common.h:179-192). */
export const REQUEST_HEADERS: readonly (string | undefined)[] = [
  undefined,
  'accept',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'authorization',
  'connection',
  'content-type',
  'content-length',
  'cookie',
  'cookie2',
  'host',
  'pragma',
  'referer',
  'user-agent',
];

/** Coded response header names, index = low byte of 0xA0xx (Tomcat Constants.java:94-149). */
export const RESPONSE_HEADERS: readonly (string | undefined)[] = [
  undefined,
  'Content-Type',
  'Content-Language',
  'Content-Length',
  'Date',
  'Last-Modified',
  'Location',
  'Set-Cookie',
  'Set-Cookie2',
  'Servlet-Engine',
  'Status',
  'WWW-Authenticate',
];

/** Request attribute codes (jk_ajp_common.h:53-66, Tomcat Constants.java:156-240). */
export const Attr = {
  CONTEXT: 0x01,
  SERVLET_PATH: 0x02,
  REMOTE_USER: 0x03,
  AUTH_TYPE: 0x04,
  QUERY_STRING: 0x05,
  ROUTE: 0x06,
  SSL_CERT: 0x07,
  SSL_CIPHER: 0x08,
  SSL_SESSION: 0x09,
  REQ_ATTRIBUTE: 0x0a,
  SSL_KEY_SIZE: 0x0b,
  SECRET: 0x0c,
  STORED_METHOD: 0x0d,
  ARE_DONE: 0xff,
} as const;

export const ATTRIBUTE_NAMES: Readonly<Record<number, string>> = {
  0x01: 'context',
  0x02: 'servlet_path',
  0x03: 'remote_user',
  0x04: 'auth_type',
  0x05: 'query_string',
  0x06: 'route',
  0x07: 'ssl_cert',
  0x08: 'ssl_cipher',
  0x09: 'ssl_session',
  0x0a: 'req_attribute',
  0x0b: 'ssl_key_size',
  0x0c: 'secret',
  0x0d: 'stored_method',
};

/** Prefix codes a web server may send (used to judge a candidate header while resynchronising). */
export function isWebServerCode(code: number): boolean {
  return code === Code.FORWARD_REQUEST || code === Code.CPING || code === Code.SHUTDOWN || code === Code.PING;
}

/** Prefix codes a container may send. */
export function isContainerCode(code: number): boolean {
  return code >= Code.SEND_BODY_CHUNK && code <= Code.GET_BODY_CHUNK ? true : code === Code.CPONG;
}

/**
 * req_attribute names Tomcat accepts without `allowedRequestAttributesPattern` (AjpProcessor.prepareRequest,
 * Tomcat 9.0.31+ / 10 / 11; its `javaxAttributes` and `iisTlsAttributes` sets): the AJP_* and
 * JK_LB_ACTIVATION names, IIS client-certificate names and the javax/jakarta TLS request attributes. Anything else is answered 403 ("Rejecting request due to
 * unknown request attribute").
 */
const ACCEPTED_REQ_ATTRIBUTES = new Set([
  'AJP_LOCAL_ADDR',
  'AJP_REMOTE_PORT',
  'AJP_SSL_PROTOCOL',
  'JK_LB_ACTIVATION',
  'CERT_ISSUER',
  'CERT_SUBJECT',
  'CERT_COOKIE',
  'HTTPS_SERVER_SUBJECT',
  'CERT_FLAGS',
  'HTTPS_SECRETKEYSIZE',
  'CERT_SERIALNUMBER',
  'HTTPS_SERVER_ISSUER',
  'HTTPS_KEYSIZE',
]);

export function isAcceptedRequestAttribute(name: string): boolean {
  return (
    ACCEPTED_REQ_ATTRIBUTES.has(name) ||
    /^(javax|jakarta)\.servlet\.request\.(cipher_suite|key_size|ssl_session|X509Certificate)$/.test(name)
  );
}
