import { defineConfig } from 'vitest/config'
import SummaryReporter from './test/helpers/summary-reporter.ts'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.spec.ts', 'test/integration/**/*.spec.ts'],
    reporters: ['default', new SummaryReporter('unit and integration')],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
