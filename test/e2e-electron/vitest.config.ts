import { defineConfig } from 'vitest/config'
import SummaryReporter from '../helpers/summary-reporter.ts'

// The desktop app itself, through Playwright: `npx vitest run --config test/e2e-electron/vitest.config.ts`.
export default defineConfig({
  test: {
    root: `${import.meta.dirname}/../..`,
    include: ['test/e2e-electron/**/*.e2e.ts'],
    reporters: ['default', new SummaryReporter('e2e-electron')],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
})
