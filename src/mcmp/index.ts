/** mcmp/: mod_cluster MCMP decoding, exchanges, the cluster view they imply, and evidence. */
export type * from './types.js';
export { McmpAnalyzer, MAX_UNANSWERED_LISTED, type McmpAnalyzerOptions, type McmpCollected, type UnansweredTally } from './analyzer.js';
export { HttpReader, headerValue, parseRequestLine, type HttpHead, type HttpMessage, type HttpReaderOptions } from './http.js';
export { parseBody, decodePercent, checkRequest, param } from './params.js';
export { decodeBody, parseAmpersand, parseInfo, parseDump, parseInfoXml, parseDumpXml, parseVersion, mcmpError, fieldValue } from './responses.js';
export { MCMP_METHODS, JAVA_METHODS, HTTP_METHODS, knownBy, limitsFor, ALL_GENERATIONS } from './methods.js';
export { GenerationClues, guessGeneration, type GenerationGuess } from './generations.js';
export { AjpDirectionWalker, ProbeWalker, startsLikeAjpToContainer } from './ajp-probes.js';
export {
  buildAnalysis,
  ClusterReplay,
  MAX_EXCHANGES_LISTED,
  LOAD_HEAD,
  LOAD_TAIL,
  MCMP_EVIDENCE_KINDS,
  type McmpAnalysis,
  type McmpTally,
  type ClusterView,
  type ClusterNode,
  type ClusterContext,
  type ClusterBalancer,
  type ClusterChange,
  type LoadPoint,
  type NodeLifecycle,
} from './cluster.js';
export { mcmpSection, messagesByMethod, summarizeAnswer, MCMP_EVIDENCE_SEVERITY, type McmpSection } from './report.js';
export { renderMcmpText, renderMcmpSummary, keyParams, type McmpTextOptions } from './render.js';
