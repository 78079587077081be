import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Dawn (npm `webgpu`) and better-sqlite3 are native addons: isolate them in forked processes.
    pool: 'forks',
    include: ['electron/**/*.test.ts', 'src/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/engine/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
