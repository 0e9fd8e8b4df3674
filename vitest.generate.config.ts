import { defineConfig } from 'vitest/config';

// Generators of committed fixtures (they need tshark); not part of `npm test`.
export default defineConfig({
  test: { include: ['test/**/*.generate.ts'], testTimeout: 120_000 },
});
