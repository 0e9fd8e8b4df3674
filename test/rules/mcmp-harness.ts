/**
 * MCMP rule tests' inputs: the real mod_proxy_cluster capture of samples/mcmp through the analysis
 * seam (every vertical, as the CLI runs it), hand-written MCMP conversations through the MCMP
 * vertical's analyzer, and the diagnosis over them (with the sample's httpd error_log when asked).
 */
import { fileURLToPath } from 'node:url';
import { analyzeCapture } from '../../src/analyze/index.js';
import { McmpAnalyzer, buildAnalysis } from '../../src/mcmp/index.js';
import { diagnose } from '../../src/rules/index.js';
import type { Finding } from '../../src/rules/index.js';
import type { CaptureEvidence } from '../../src/util/evidence.js';
import { play, type Conversation } from '../mcmp/conversation.js';
import { parse, type LogInput } from './harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let sample: Promise<CaptureEvidence[]> | undefined;

/** Evidence of samples/mcmp/capture.pcap (AJP nodes on 18009 and 18010), read once per test file. */
export function mcmpSampleEvidence(): Promise<CaptureEvidence[]> {
  sample ??= analyzeCapture(`${ROOT}samples/mcmp/capture.pcap`, { ajpPorts: [18009, 18010] }).then((a) => a.evidence);
  return sample;
}

/** Evidence of hand-written MCMP conversations (test/mcmp/conversation.ts). */
export function conversationEvidence(conversations: Conversation[]): CaptureEvidence[] {
  const a = new McmpAnalyzer({ mcmpPorts: [] });
  play(a, conversations);
  return buildAnalysis(a.finish()).evidence;
}

export function diagnoseWith(capture: readonly CaptureEvidence[], logs: LogInput[] = []) {
  const { events, summaries } = parse(logs);
  const res = diagnose({ events, summaries, capture });
  return {
    ...res,
    ids: res.findings.map((f) => f.id),
    all: (id: string): Finding[] => res.findings.filter((f) => f.id === id),
  };
}
