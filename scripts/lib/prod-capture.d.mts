/** Types of prod-capture.mjs (the benches' production-like captures), for the tests that use it. */
export function pooled(file: string, targetBytes: number, samplesDir: string): { bytes: number; packets: number; copies: number };
export function manyOpen(file: string, connections: number, samplesDir: string): { bytes: number; packets: number; connections: number };
