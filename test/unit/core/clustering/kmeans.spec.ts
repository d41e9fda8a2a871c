import { describe, expect, it } from 'vitest'
import { ari, confusion } from '../../../../main/core/metrics/clusters'
import { assign, kmeans, kmeansPlusPlus } from '../../../../main/core/clustering/kmeans'
import {
  PlainDistances,
  SimdDistances,
  rowDistances,
} from '../../../../main/core/clustering/kmeans-distances'
import { kmeansRunSync } from '../../../../main/core/clustering/kmeans-run'
import { seededRandom } from '../../../../main/core/shared/random'

/**
 * Gaussian blobs from mulberry32 + Box–Muller. The sklearn reference values in these specs come
 * from the same generator in Python (/usr/bin/python3, scikit-learn 1.2.1):
 *
 *   def mulberry32(seed):
 *       s = seed & 0xffffffff
 *       def rnd():
 *           nonlocal s
 *           s = (s + 0x6d2b79f5) & 0xffffffff; t = s
 *           t = ((t ^ (t >> 15)) * (t | 1)) & 0xffffffff
 *           t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xffffffff)) & 0xffffffff
 *           return ((t ^ (t >> 14)) & 0xffffffff) / 4294967296
 *       return rnd
 *   def blobs(centres, per, spread, seed):
 *       r = mulberry32(seed); rows, labels = [], []
 *       for c, centre in enumerate(centres):
 *           for _ in range(per):
 *               rows.append([v + spread * math.sqrt(-2 * math.log(1 - r())) * math.cos(2 * math.pi * r())
 *                            for v in centre]); labels.append(c)
 *       return np.array(rows, dtype=np.float32), np.array(labels)
 *   x, y = blobs([[0,0,0],[6,0,0],[0,6,0],[0,0,6]], 50, 1.0, 7)
 *   KMeans(n_clusters=4, n_init=10, random_state=0).fit(x).inertia_   # 580.5120849609375
 */
function blobs(centres: number[][], perBlob: number, spread: number, seed: number) {
  const random = seededRandom(seed)
  const dim = centres[0].length
  const data = new Float32Array(centres.length * perBlob * dim)
  const labels = new Int32Array(centres.length * perBlob)
  let row = 0
  centres.forEach((centre, c) => {
    for (let p = 0; p < perBlob; p++, row++) {
      labels[row] = c
      centre.forEach((value, d) => {
        const [u1, u2] = [random(), random()]
        data[row * dim + d] =
          value + spread * Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2)
      })
    }
  })
  return { data, labels, n: row, dim }
}

const four = blobs([[0, 0, 0], [6, 0, 0], [0, 6, 0], [0, 0, 6]], 50, 1, 7) // prettier-ignore

/** Uniform noise: no structure, so k-means takes many iterations. */
function noise(n: number, dim: number, seed: number): Float32Array {
  const random = seededRandom(seed)
  return Float32Array.from({ length: n * dim }, () => random())
}

describe('kmeans', () => {
  it('recovers well-separated blobs with the inertia sklearn finds', async () => {
    // the Python port of blobs() gives the same first row
    expect(Array.from(four.data.subarray(0, 3))).toEqual([
      0.1419704407453537, -0.864253044128418, -1.0063663721084595,
    ])
    const result = await kmeans(four.data, four.n, four.dim, { k: 4, seed: 1 })
    // sklearn's inertia on the same rows (see blobs() above)
    expect(result.inertia).toBeCloseTo(580.5120849609375, 2)
    expect(ari(confusion(result.assignments, four.labels))).toBe(1)
    expect(result.centroids).toHaveLength(4 * 3)
    for (let i = 0; i < four.n; i++) {
      const c = result.assignments[i]
      let sum = 0
      for (let d = 0; d < 3; d++) sum += (four.data[i * 3 + d] - result.centroids[c * 3 + d]) ** 2
      expect(result.distances[i]).toBeCloseTo(Math.sqrt(sum), 4)
    }
  })

  it('gives the same result for the same seed, on one thread or several', async () => {
    const data = noise(8000, 16, 3)
    const options = { k: 8, nInit: 4, seed: 42 }
    const one = await kmeans(data, 8000, 16, { ...options, threads: 1 })
    const again = await kmeans(data, 8000, 16, { ...options, threads: 1 })
    const two = await kmeans(data, 8000, 16, { ...options, threads: 2 })
    expect(again.assignments).toEqual(one.assignments)
    expect(two.assignments).toEqual(one.assignments)
    expect(two.centroids).toEqual(one.centroids)
    expect(two.inertia).toBe(one.inertia)
    const other = await kmeans(data, 8000, 16, { ...options, seed: 43, threads: 1 })
    expect(other.inertia).not.toBe(one.inertia)
  })

  it('keeps the best restart and assigns every row to its nearest centroid', async () => {
    const data = noise(3000, 4, 5)
    const best = await kmeans(data, 3000, 4, { k: 6, nInit: 5, seed: 9, threads: 1 })
    // restart 0 of the five is this single run
    const single = await kmeans(data, 3000, 4, { k: 6, nInit: 1, seed: 9, threads: 1 })
    expect(best.inertia).toBeLessThanOrEqual(single.inertia)
    const nearest = assign(data, 3000, 4, best.centroids)
    expect(nearest.assignments).toEqual(best.assignments)
    expect(nearest.inertia).toBeCloseTo(best.inertia, 3)
  })

  it('reports progress up to 1', async () => {
    const fractions: number[] = []
    await kmeans(four.data, four.n, four.dim, {
      k: 4,
      nInit: 5,
      onProgress: (f) => fractions.push(f),
    })
    expect(fractions).toEqual([0.2, 0.4, 0.6, 0.8, 1])
  })

  it('stops when aborted, on the main thread and in workers', async () => {
    const data = noise(20_000, 16, 1)
    for (const threads of [1, 2]) {
      const controller = new AbortController()
      let progress = 0
      const run = kmeans(data, 20_000, 16, {
        k: 8,
        nInit: 10,
        threads,
        signal: controller.signal,
        onProgress: () => {
          progress++
          controller.abort()
        },
      })
      await expect(run).rejects.toThrow(/abort/i)
      expect(progress).toBeLessThan(10)
    }
    const aborted = AbortSignal.abort()
    await expect(kmeans(data, 20_000, 16, { k: 2, signal: aborted })).rejects.toThrow(/abort/i)
  })

  it('handles duplicate rows (clusters that could come out empty)', async () => {
    const data = Float32Array.from([0, 0, 0, 0, 5, 5, 5, 5, 9, 9, 9, 9, 9, 9])
    const result = await kmeans(data, 14, 1, { k: 3, seed: 2 })
    expect(result.inertia).toBe(0)
    expect(new Set(result.assignments).size).toBe(3)
    await expect(kmeans(data, 14, 1, { k: 15 })).rejects.toThrow(/k must be/)
  })

  it('seeds with k-means++ on rows of the data', () => {
    const centroids = kmeansPlusPlus(four.data, four.n, four.dim, 4, seededRandom(0))
    const chosen = new Set<number>()
    for (let c = 0; c < 4; c++) {
      const row = four.labels.findIndex((_, i) =>
        [0, 1, 2].every((d) => four.data[i * 3 + d] === centroids[c * 3 + d]),
      )
      expect(row).toBeGreaterThanOrEqual(0)
      chosen.add(four.labels[row])
    }
    // D² sampling all but always lands one seed in each well-separated blob
    expect(chosen.size).toBe(4)
  })

  it('computes the same distances in WebAssembly SIMD as in plain JavaScript', () => {
    for (const dim of [1, 3, 8, 32, 37]) {
      const n = 50
      const data = noise(n * dim, 1, dim).map((v) => v * 20 - 10)
      const simd = rowDistances(data, n, dim, 6)
      const plain = new PlainDistances(data, dim, 6)
      // Node has WebAssembly SIMD, so the fast kernel is the one under test
      expect(simd).toBeInstanceOf(SimdDistances)
      for (let slot = 0; slot < 6; slot++) {
        const centre = Float32Array.from(noise(dim, 1, 100 + slot), (v) => v * 20 - 10)
        simd.setCentre(slot, centre, 0)
        plain.setCentre(slot, centre, 0)
      }
      for (let row = 0; row < n; row++) {
        // a run of slots that does not start at the first, as a restart's own-centroid check asks
        simd.compute(row, 2, 4)
        plain.compute(row, 2, 4)
        for (let j = 0; j < 4; j++)
          expect(simd.out[j]).toBeCloseTo(plain.out[j], 3 - Math.ceil(Math.log10(plain.out[j])))
      }
    }
  })

  it('finds the same clusters with either distance kernel', () => {
    const settings = { k: 4, maxIter: 300, tolerance: 1e-8, seed: 5 }
    const simd = kmeansRunSync(four.data, four.n, four.dim, settings)
    const plain = kmeansRunSync(
      four.data,
      four.n,
      four.dim,
      settings,
      new PlainDistances(four.data, four.dim, 4),
    )
    expect(plain.assignments).toEqual(simd.assignments)
    expect(plain.inertia).toBeCloseTo(simd.inertia, 3)
  })
})
