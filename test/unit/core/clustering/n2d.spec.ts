// The N2D recipe (clustering/n2d.ts) spreads its runs over threads: the answer must not depend on
// how many, and cancelling must stop the worker's runs as well as this thread's.
import { describe, expect, it } from 'vitest'
import { ari, confusion } from '../../../../main/core/metrics/clusters'
import { n2d } from '../../../../main/core/clustering/n2d'
import { seededRandom } from '../../../../main/core/shared/random'

/** Five 8-D Gaussian blobs of 160 rows, centres 6 apart on the axes, unit spread. */
function blobs() {
  const random = seededRandom(5)
  const groups = 5
  const dims = 8
  const rows = groups * 160
  const codes = new Float32Array(rows * dims)
  const labels = new Int32Array(rows)
  for (let row = 0; row < rows; row++) {
    labels[row] = row % groups
    for (let d = 0; d < dims; d++) {
      const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
      codes[row * dims + d] = normal + (d === labels[row] ? 6 : 0)
    }
  }
  return { codes, labels, rows, dims }
}

describe('n2d', () => {
  const { codes, labels, rows, dims } = blobs()
  const params = { k: 5, seed: 3, runs: 3 }
  const signal = () => new AbortController().signal

  it('gives the same runs and answer on two threads as on one', async () => {
    const one = await n2d(codes, rows, dims, params, signal(), () => {}, { threads: 1 })
    const fractions: number[] = []
    const two = await n2d(codes, rows, dims, params, signal(), (f) => fractions.push(f), {
      threads: 2,
    })
    expect(two.members.map((m) => Array.from(m))).toEqual(one.members.map((m) => Array.from(m)))
    expect(Array.from(two.assignments)).toEqual(Array.from(one.assignments))
    expect(Array.from(two.distances)).toEqual(Array.from(one.distances))
    expect(Array.from(two.certainty)).toEqual(Array.from(one.certainty))
    // the runs differ from each other (each has its own seed), and the blobs are found
    expect(Array.from(one.members[1])).not.toEqual(Array.from(one.members[0]))
    expect(ari(confusion(one.assignments, labels))).toBeGreaterThan(0.95)
    // the worker's runs count in the progress, which only rises
    expect(fractions.some((f) => f > 0.5 && f < 0.9)).toBe(true)
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1])).toBe(true)
  })

  it('is less certain where its runs disagree', async () => {
    // four clusters of five equidistant blobs: which two a run merges is up to its seed
    const found = await n2d(codes, rows, dims, { k: 4, seed: 3, runs: 5 }, signal(), () => {})
    // the runs did part: not every one merged the same two blobs
    expect(found.members.some((m) => ari(confusion(m, found.members[0])) < 0.99)).toBe(true)
    expect(found.certainty.every((c) => c >= 0 && c <= 1)).toBe(true)
    // per blob, its mean certainty: low for a blob the runs put with different partners, high
    // for one they all agree on
    const blobCertainty = Array.from({ length: 5 }, (_, b) => {
      let sum = 0
      for (let i = b; i < rows; i += 5) sum += found.certainty[i]
      return sum / (rows / 5)
    })
    expect(Math.min(...blobCertainty)).toBeLessThan(0.9)
    expect(Math.max(...blobCertainty)).toBeGreaterThan(0.95)
  })

  it('stops its runs on both threads when cancelled', async () => {
    const controller = new AbortController()
    let calls = 0
    const running = n2d(
      codes,
      rows,
      dims,
      params,
      controller.signal,
      (f) => {
        calls++
        if (f > 0.3) controller.abort()
      },
      { threads: 2 },
    )
    await expect(running).rejects.toMatchObject({ name: 'AbortError' })
    // nothing reports progress any more: the worker was stopped, not left running
    const after = calls
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(calls).toBe(after)
  })
})
