// Prints "N passed, N failed" from vitest's JSON reporter output. A test file that fails to load
// (syntax error, failing import) has no test results of its own, so it counts as one failure.
import { readFileSync, existsSync } from 'node:fs';
const file = process.argv[2];
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  process.exit(0);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
let passed = 0;
let failed = 0;
for (const suite of r.testResults ?? []) {
  const results = suite.assertionResults ?? [];
  for (const a of results) {
    if (a.status === 'passed') passed++;
    else if (a.status === 'failed') failed++;
  }
  if (results.length === 0 && suite.status === 'failed') failed++;
}
console.log(`${passed} passed, ${failed} failed`);
