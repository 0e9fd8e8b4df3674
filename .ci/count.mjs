// Prints "N passed, N failed" from vitest's JSON reporter output.
import { readFileSync, existsSync } from 'node:fs';
const file = process.argv[2];
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  process.exit(0);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const passed = r.numPassedTests ?? 0;
// Suites that failed to load count as failures too.
const failed = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0) + (r.success === false && (r.numFailedTests ?? 0) === 0 && (r.numFailedTestSuites ?? 0) > 0 ? r.numFailedTestSuites : 0);
console.log(`${passed} passed, ${failed} failed`);
