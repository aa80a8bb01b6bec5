import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'workers/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores, but much of the suite waits on sockets, child processes and real time (the step-mode
    // pause test sleeps 3 minutes): three forks keep the cores busy while one of them waits.
    maxWorkers: 3,
  },
});
