/**
 * rules/: the diagnosis engine and one rule per root cause (ids from root-causes.md).
 * Adding a cause = one file under causes/, its test, and one line in the list below.
 */
import type { DiagnoseInput, DiagnoseOptions, DiagnoseResult, Rule } from './types.js';
import { runRules } from './engine.js';
import cpingDesyncLeftoverPackets from './causes/cping-desync-leftover-packets.js';
import backendSendsAfterEndResponse from './causes/backend-sends-after-end-response.js';
import clientAbortDownload from './causes/client-abort-download.js';
import clientAbortUpload from './causes/client-abort-upload.js';
import lingeringCloseCpuSpike from './causes/lingering-close-cpu-spike.js';
import firewallIdleDrop from './causes/firewall-idle-drop.js';
import backendIdleCloseRace from './causes/backend-idle-close-race.js';
import backendRestart from './causes/backend-restart.js';
import backendDownOrWrongPort from './causes/backend-down-or-wrong-port.js';
import tomcatAjpHardeningDefaults from './causes/tomcat-ajp-hardening-defaults.js';
import ajpSecretMismatch from './causes/ajp-secret-mismatch.js';
import unknownRequestAttributeRejected from './causes/unknown-request-attribute-rejected.js';
import ghostcatProbe from './causes/ghostcat-probe.js';
import httpClientOnAjpPort from './causes/http-client-on-ajp-port.js';
import ajpWorkerPointsToNonAjpPort from './causes/ajp-worker-points-to-non-ajp-port.js';
import backendThreadExhaustion from './causes/backend-thread-exhaustion.js';
import slowBackendReplyTimeout from './causes/slow-backend-reply-timeout.js';
import jvmGcPause from './causes/jvm-gc-pause.js';
import socketTimeoutTooLow from './causes/socket-timeout-too-low.js';
import connectTimeoutUnreachable from './causes/connect-timeout-unreachable.js';
import requestExceedsPacketSize from './causes/request-exceeds-packet-size.js';
import packetSizeMismatch from './causes/packet-size-mismatch.js';
import lbAllMembersFailed from './causes/lb-all-members-failed.js';
import accessLogServerErrors from './causes/access-log-server-errors.js';
import lbErrorEscalation from './causes/lb-error-escalation.js';
import endpointPoolExhausted from './causes/endpoint-pool-exhausted.js';
import selinuxDeniesConnect from './causes/selinux-denies-connect.js';
import localhostAddressFamilyMismatch from './causes/localhost-address-family-mismatch.js';
import jkConfigUnknownWorker from './causes/jk-config-unknown-worker.js';
import contentLengthWithoutBody from './causes/content-length-without-body.js';
import modProxyAjpCpingFailure from './causes/mod-proxy-ajp-cping-failure.js';
import ajpConnectorPortInUse from './causes/ajp-connector-port-in-use.js';
import ajpConnectorBindAddress from './causes/ajp-connector-bind-address.js';
import websocketOverAjp from './causes/websocket-over-ajp.js';
import grizzlyAjpDefect from './causes/grizzly-ajp-defect.js';
import jkShmFailure from './causes/jk-shm-failure.js';
import jkDirectiveRejected from './causes/jk-directive-rejected.js';
import httpdShmFailure from './causes/httpd-shm-failure.js';
import httpdRequestLimit from './causes/httpd-request-limit.js';
import moduleLoadFailure from './causes/module-load-failure.js';
import modClusterProxyUnreachable from './causes/mod-cluster-proxy-unreachable.js';
import modClusterDuplicateNodeAddress from './causes/mod-cluster-duplicate-node-address.js';
import winstoneAjpRemoved from './causes/winstone-ajp-removed.js';
import responseHeaderExceedsPacketSize from './causes/response-header-exceeds-packet-size.js';
import modClusterUnsupportedLoadMetric from './causes/mod-cluster-unsupported-load-metric.js';
import ajpConnectorLegacyJkImplementation from './causes/ajp-connector-legacy-jk-implementation.js';
import jkWorkerHostUnresolvable from './causes/jk-worker-host-unresolvable.js';
import mcmpNodeNotOk from './causes/mcmp-node-not-ok.js';
import mcmpNodeRemoved from './causes/mcmp-node-removed.js';
import mcmpMemError from './causes/mcmp-mem-error.js';
import mcmpSyntaxError from './causes/mcmp-syntax-error.js';
import mcmpStatusUnanswered from './causes/mcmp-status-unanswered.js';
import mcmpHttpdRestart from './causes/mcmp-httpd-restart.js';
import configPacketSizeMismatch from './causes/config-packet-size-mismatch.js';
import configSecretMismatch from './causes/config-secret-mismatch.js';
import configAjpExposed from './causes/config-ajp-exposed.js';
import configMissingWorker from './causes/config-missing-worker.js';
import configPoolTimeoutVsTomcat from './causes/config-pool-timeout-vs-tomcat.js';
import configIdlePoolUnprotected from './causes/config-idle-pool-unprotected.js';
import configBackendThreads from './causes/config-backend-threads.js';
import configReplyTimeoutShort from './causes/config-reply-timeout-short.js';
import configHeaderExceedsPacket from './causes/config-header-exceeds-packet.js';
import configTimeoutUnits from './causes/config-timeout-units.js';
import configDeprecatedDirective from './causes/config-deprecated-directive.js';
import configStatusWorkerOpen from './causes/config-status-worker-open.js';
import configJvmrouteMismatch from './causes/config-jvmroute-mismatch.js';
import configHowtoTimeouts from './causes/config-howto-timeouts.js';
import configMountNotInherited from './causes/config-mount-not-inherited.js';
import configWorkerReferenceLoop from './causes/config-worker-reference-loop.js';
import configWorkerReferenceNotFound from './causes/config-worker-reference-not-found.js';
import jkWorkerReferenceFailed from './causes/jk-worker-reference-failed.js';

/** Every rule, in root-causes.md order, then the mod_cluster ones. `response-not-flushed` has no log signature and no rule yet. */
export const rules: readonly Rule[] = [
  cpingDesyncLeftoverPackets,
  backendSendsAfterEndResponse,
  clientAbortDownload,
  clientAbortUpload,
  lingeringCloseCpuSpike,
  firewallIdleDrop,
  backendIdleCloseRace,
  backendRestart,
  backendDownOrWrongPort,
  tomcatAjpHardeningDefaults,
  ajpSecretMismatch,
  unknownRequestAttributeRejected,
  ghostcatProbe,
  httpClientOnAjpPort,
  ajpWorkerPointsToNonAjpPort,
  backendThreadExhaustion,
  slowBackendReplyTimeout,
  jvmGcPause,
  socketTimeoutTooLow,
  connectTimeoutUnreachable,
  requestExceedsPacketSize,
  packetSizeMismatch,
  lbAllMembersFailed,
  lbErrorEscalation,
  endpointPoolExhausted,
  selinuxDeniesConnect,
  localhostAddressFamilyMismatch,
  jkConfigUnknownWorker,
  contentLengthWithoutBody,
  modProxyAjpCpingFailure,
  // Grown from the corpus of real pastes (test/fixtures/logs/pastes/):
  ajpConnectorPortInUse,
  ajpConnectorBindAddress,
  websocketOverAjp,
  grizzlyAjpDefect,
  jkShmFailure,
  jkDirectiveRejected,
  httpdShmFailure,
  httpdRequestLimit,
  moduleLoadFailure,
  modClusterProxyUnreachable,
  modClusterDuplicateNodeAddress,
  winstoneAjpRemoved,
  responseHeaderExceedsPacketSize,
  modClusterUnsupportedLoadMetric,
  ajpConnectorLegacyJkImplementation,
  jkWorkerHostUnresolvable,
  jkWorkerReferenceFailed,
  // mod_cluster MCMP (issue 10): capture evidence from the MCMP vertical, httpd error_log lines.
  mcmpNodeNotOk,
  mcmpNodeRemoved,
  mcmpMemError,
  mcmpSyntaxError,
  mcmpStatusUnanswered,
  mcmpHttpdRestart,
  // Configuration checks (issue 13): config/ facts of workers.properties, httpd, server.xml, standalone.xml.
  configPacketSizeMismatch,
  configSecretMismatch,
  configAjpExposed,
  configMissingWorker,
  configPoolTimeoutVsTomcat,
  configIdlePoolUnprotected,
  configBackendThreads,
  configReplyTimeoutShort,
  configHeaderExceedsPacket,
  configTimeoutUnits,
  configDeprecatedDirective,
  configStatusWorkerOpen,
  configJvmrouteMismatch,
  configHowtoTimeouts,
  configMountNotInherited,
  configWorkerReferenceLoop,
  configWorkerReferenceNotFound,
  // Statistics as evidence (issue 11): the statuses clients got, from access logs and JkRequestLog.
  accessLogServerErrors,
];

/** The rules that read only configuration (`ajp-inspect config` runs these). */
export const configRules: readonly Rule[] = rules.filter((r) => r.needs.config?.length && !r.needs.logs.length && !r.needs.capture?.length);

/** Diagnoses log events (and optional capture evidence): findings most severe first, plus the rules that could not run. */
export function diagnose(input: DiagnoseInput, opts: DiagnoseOptions = {}): DiagnoseResult {
  return runRules(opts.rules ?? rules, input, opts);
}

export { runRules, classify, collectSignals } from './engine.js';
export { LogIntake } from './intake.js';
import { logIntake } from './engine.js';
import type { LogIntake, LogIntakeOptions } from './intake.js';

/** The intake of a run of the rules (`only`: these ids): push each log event as it is read, pass it as `DiagnoseInput.logs`. */
export function diagnosisIntake(only?: readonly string[], list: readonly Rule[] = rules, opts: LogIntakeOptions = {}): LogIntake {
  return logIntake(list, only, opts);
}
import { mentionsKnownMessage } from './engine.js';
import type { KnownMessage } from '../logs/index.js';

/**
 * Keeps a log fragment only when it names a message of the catalogue (see logs' LineContext.knownMessage).
 * Compiled at its first use, not at start-up: a capture alone never needs it.
 */
let knownTest: KnownMessage | undefined;
const known = (): KnownMessage => (knownTest ??= mentionsKnownMessage(rules));
export const knownMessage: KnownMessage = Object.assign((text: string): boolean => known()(text), {
  firstLook: (bytes: Uint8Array, from: number, to: number): boolean => known().firstLook?.(bytes, from, to) ?? true,
});
export { redact } from './redact.js';
export { renderRuleDoc, renderRulesIndex, describeNeeds } from './docs.js';
export * from './helpers.js';
export type {
  Rule,
  RuleContext,
  RuleDocs,
  RuleNeeds,
  Signal,
  SignalDef,
  SignalData,
  SignalSource,
  FindingInput,
  DiagnoseInput,
  DiagnoseOptions,
  DiagnoseResult,
  NotEvaluated,
} from './types.js';
export { defineRule } from './types.js';
export { failsOn, SEVERITY_RANK, type Finding, type Severity, type Confidence } from './finding.js';
