/**
 * httpd error_log lines of mod_cluster's httpd modules (mod_manager, mod_proxy_cluster) and of httpd
 * itself that the MCMP root causes read. Wording as in samples/mcmp/error_log (mod_proxy_cluster at
 * 04194cd on httpd 2.4.71); mod_manager logs every refused message at error level as
 * `manager_handler <METHOD> error: <Mess>` (mod_manager.c, the same format in mod_cluster 1.3.x),
 * the rest is LogLevel debug.
 */
import type { SignalDef } from './types.js';

/** `manager_handler CONFIG error: SYNTAX: JVMRoute field too big` (and `PING Unsupported scheme: ftp`, Type SYNTAX). */
export const managerSyntaxError: SignalDef = {
  kind: 'mcmp-manager-syntax-error',
  source: 'httpd',
  needles: ['manager_handler'],
  re: /manager_handler ([A-Z][A-Z-]*) error: (?!MEM:)(.+)$/,
  data: (m) => ({ method: m[1], mess: m[2]!.trim() }),
};

/** `manager_handler STATUS error: MEM: Can't read node with "node9" JVMRoute`. */
export const managerMemError: SignalDef = {
  kind: 'mcmp-manager-mem-error',
  source: 'httpd',
  needles: ['error: MEM:'],
  re: /manager_handler ([A-Z][A-Z-]*) error: (MEM: .+?)(?: with "([^"]*)" JVMRoute)?\s*$/,
  data: (m) => ({ method: m[1], mess: m[2]!.trim(), node: m[3] }),
};

/** `process_node_cmd: status REMOVED processing node: 0` (REMOVE-APP /*, LogLevel debug). */
export const managerNodeRemoved: SignalDef = {
  kind: 'mcmp-manager-node-removed',
  source: 'httpd',
  needles: ['status REMOVED processing node'],
  re: /process_node_cmd: status REMOVED processing node: (\d+)/,
  data: (m) => ({ nodeId: Number(m[1]) }),
};

/** `proxy_cluster_isup: Node with id 0 is marked for removal.` (a STATUS for a removed node → NOTOK; debug). */
export const clusterNodeMarkedForRemoval: SignalDef = {
  kind: 'mcmp-node-marked-for-removal',
  source: 'httpd',
  needles: ['is marked for removal'],
  re: /proxy_cluster_isup: Node with id (\d+) is marked for removal/,
  data: (m) => ({ nodeId: Number(m[1]) }),
};

/** `manager_handler: STATUS (/) processing: "JVMRoute=node2&Load=-1"`: the node reports itself broken (debug). */
export const managerStatusBroken: SignalDef = {
  kind: 'mcmp-status-load-broken',
  source: 'httpd',
  needles: ['Load=-1'],
  re: /manager_handler: STATUS \([^)]*\) processing: "JVMRoute=([^&"]+)&Load=-1"/,
  data: (m) => ({ node: m[1] }),
};

/** `AH00484: server reached MaxRequestWorkers setting` — httpd has no worker left to answer MCMP either. */
export const httpdMaxRequestWorkers: SignalDef = {
  kind: 'httpd-max-request-workers',
  source: 'httpd',
  needles: ['reached MaxRequestWorkers'],
  re: /AH00484: server reached MaxRequestWorkers setting/,
};

/** httpd restarting: `AH00493: SIGUSR1 received.  Doing graceful restart`, `AH00494: SIGHUP received.  Attempting to restart`, `AH00171: Graceful restart requested`. */
export const httpdRestart: SignalDef = {
  kind: 'httpd-restart',
  source: 'httpd',
  needles: ['Doing graceful restart', 'Attempting to restart', 'Graceful restart requested'],
  re: /(AH00493|AH00494|AH00171):/,
  data: (m) => ({ code: m[1] }),
};

/**
 * mod_manager's error answer as the node logged it (mod_cluster core
 * DefaultMCMPHandler.sendRequest → ModClusterLogger.recoverableErrorResponse, id 42, the same text
 * in 1.2.x, 1.3.x, 1.4.x, 2.0.x and main): `MODCLUSTER000042: Error MEM sending STATUS command to
 * /10.0.0.5:6666, configuration will be reset: MEM: Can't read node with "node1" JVMRoute`. The first
 * %s is the answer's `Type` header, the last its `Mess`: the same data as managerMemError reads on
 * httpd's side.
 */
export const nodeMemAnswer: SignalDef = {
  kind: 'modcluster-mem-answer',
  source: 'tomcat',
  needles: ['MODCLUSTER000042'],
  re: /MODCLUSTER000042: Error MEM sending ([A-Z][A-Z-]*) command to (\S+?), configuration will be reset: (MEM: .+?)(?: with "([^"]*)" JVMRoute)?\s*$/,
  data: (m) => ({ method: m[1], proxy: m[2], mess: m[3]!.trim(), node: m[4] }),
};

/**
 * A SYNTAX answer as the node logged it (ModClusterLogger.unrecoverableErrorResponse, id 41, 1.2.x to
 * main): `MODCLUSTER000041: Unrecoverable syntax error SYNTAX sending CONFIG command to
 * /10.0.0.5:6666: SYNTAX: JVMRoute field too big`. The listener then sets that proxy DOWN.
 */
export const nodeSyntaxAnswer: SignalDef = {
  kind: 'modcluster-syntax-answer',
  source: 'tomcat',
  needles: ['MODCLUSTER000041'],
  re: /MODCLUSTER000041: Unrecoverable syntax error (\S+) sending ([A-Z][A-Z-]*) command to (\S+?): (.+?)\s*$/,
  data: (m) => ({ method: m[2], proxy: m[3], mess: m[4] }),
};
