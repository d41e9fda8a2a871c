import { describe, expect, it } from 'vitest'
import { ProgressReporter } from '../../../../main/core/datasets/progress'
import type { Progress } from './workspace'

describe('ProgressReporter', () => {
  it('sends at most one event per interval, but always phase changes and forced ones', () => {
    let now = 0
    const events: Progress[] = []
    const reporter = new ProgressReporter(
      (p) => events.push(p),
      100,
      () => now,
    )
    reporter.report({ phase: 'scanning', done: 1, total: 0, skipped: 0 })
    now = 10
    reporter.report({ phase: 'scanning', done: 2, total: 0, skipped: 0 }) // dropped
    reporter.report({ phase: 'decoding', done: 0, total: 100, skipped: 0 }) // phase change
    for (now = 20; now <= 1020; now += 10)
      reporter.report({ phase: 'decoding', done: now / 20, total: 100, skipped: 0 })
    reporter.report({ phase: 'decoding', done: 51, total: 100, skipped: 0 }, true)
    const decoding = events.filter((e) => e.phase === 'decoding')
    expect(events[0]).toEqual({
      phase: 'scanning',
      done: 1,
      total: 0,
      skipped: 0,
      rate: 0,
      eta: null,
    })
    expect(decoding.length).toBeGreaterThanOrEqual(10)
    expect(decoding.length).toBeLessThanOrEqual(12)
    expect(decoding.at(-1)!.done).toBe(51)
  })

  it('measures the rate from the start of decoding, and the time left from it', () => {
    let now = 5000
    const events: Progress[] = []
    const reporter = new ProgressReporter(
      (p) => events.push(p),
      100,
      () => now,
    )
    reporter.report({ phase: 'decoding', done: 0, total: 300, skipped: 0 })
    now = 7000
    reporter.report({ phase: 'decoding', done: 100, total: 300, skipped: 0 })
    expect(events[1]).toMatchObject({ rate: 50, eta: 4 })
  })
})
