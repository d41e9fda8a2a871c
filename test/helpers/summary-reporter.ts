import type { Reporter, TestModule } from 'vitest/node'

/**
 * Prints one plain closing line, `<suite>: N passed, N failed, N skipped`, that CI logs can read
 * whatever the runner; vitest's own summary stays above it.
 */
export default class SummaryReporter implements Reporter {
  constructor(private readonly suite = 'tests') {}

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 }
    for (const module of modules)
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') counts.passed++
        else if (state === 'failed') counts.failed++
        else counts.skipped++
      }
    process.stdout.write(
      `\n${this.suite}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
    )
  }
}
