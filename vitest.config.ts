import { defineConfig } from 'vitest/config';

// Unit and integration tests run in Node: no Python, no browser. Browser end-to-end tests
// live in test/e2e and run with `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
