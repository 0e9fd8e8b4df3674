/** Types of synth-log.mjs (the benches' log generator), for the tests that use it. */
export function writeLog(file: string, n: number, opts?: { noise?: boolean; outage?: boolean }): Promise<{ lines: number; bytes: number }>;
