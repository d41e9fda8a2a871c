import { defineConfig } from 'vitest/config'
import SummaryReporter from './test/helpers/summary-reporter.ts'

export default defineConfig({
  // the renderer's modules import main/core/shared through this alias, as electron.vite.config.ts sets it
  resolve: { alias: { '@shared': `${import.meta.dirname}/main/core/shared` } },
  test: {
    include: ['test/unit/**/*.spec.ts', 'test/integration/**/*.spec.ts'],
    reporters: ['default', new SummaryReporter('unit and integration')],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
