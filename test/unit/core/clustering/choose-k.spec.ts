import { describe, expect, it } from 'vitest'
import { sweepK } from '../../../../main/core/clustering/choose-k'
import { seededRandom } from '../../../../main/core/shared/random'

/** `count` tight square blobs of 60 rows along a line in 2-D. */
function squares(count: number, seed: number): Float32Array {
  const random = seededRandom(seed)
  const data = new Float32Array(count * 60 * 2)
  for (let i = 0; i < count * 60; i++) {
    data[i * 2] = 10 * Math.floor(i / 60) + random()
    data[i * 2 + 1] = random()
  }
  return data
}

describe('sweepK', () => {
  it('suggests the number of blobs there are', async () => {
    for (const blobs of [3, 5]) {
      const data = squares(blobs, blobs)
      const sweep = await sweepK(data, blobs * 60, 2, { from: 1, to: 7, seed: 1 })
      expect(sweep.k).toEqual([1, 2, 3, 4, 5, 6, 7])
      expect(sweep.suggested).toBe(blobs)
      expect(sweep.silhouette[0]).toBeNull()
      for (let i = 1; i < sweep.inertia.length; i++)
        expect(sweep.inertia[i]).toBeLessThan(sweep.inertia[i - 1])
    }
  })

  it('reports progress, is deterministic, and stops when aborted', async () => {
    const data = squares(4, 1)
    const fractions: number[] = []
    const a = await sweepK(data, 240, 2, {
      from: 2,
      to: 4,
      seed: 3,
      onProgress: (f) => fractions.push(f),
    })
    const b = await sweepK(data, 240, 2, { from: 2, to: 4, seed: 3 })
    expect(b).toEqual(a)
    expect(fractions.at(-1)).toBe(1)
    expect(fractions).toEqual([...fractions].sort((x, y) => x - y))
    const controller = new AbortController()
    const run = sweepK(data, 240, 2, {
      from: 2,
      to: 6,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    })
    await expect(run).rejects.toThrow(/abort/i)
    await expect(sweepK(data, 240, 2, { from: 3, to: 2 })).rejects.toThrow(/k must range/)
  })
})
