import { defineConfig } from 'vitest/config'
import SummaryReporter from '../helpers/summary-reporter.ts'

export default defineConfig({
  test: {
    root: `${import.meta.dirname}/../..`,
    include: ['test/e2e/**/*.e2e.ts'],
    reporters: ['default', new SummaryReporter('e2e')],
    // One browser at a time: this machine has two cores.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
})
