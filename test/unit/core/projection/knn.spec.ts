import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { nearestNeighbours } from '../../../../main/core/projection/knn'
import { seededRandom } from '../../../../main/core/shared/random'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function randomRows(n: number, dim: number, seed: number): Float32Array {
  const random = seededRandom(seed)
  return Float32Array.from({ length: n * dim }, () => random())
}

/** The k nearest rows of each row by brute force (itself first), and their distances. */
function bruteForce(x: Float32Array, n: number, dim: number, k: number, cosine = false) {
  const distance = (i: number, j: number) => {
    let dot = 0
    let ii = 0
    let jj = 0
    let sq = 0
    for (let c = 0; c < dim; c++) {
      const a = x[i * dim + c]
      const b = x[j * dim + c]
      dot += a * b
      ii += a * a
      jj += b * b
      sq += (a - b) ** 2
    }
    return cosine ? 1 - dot / Math.sqrt(ii * jj) : Math.sqrt(sq)
  }
  return Array.from({ length: n }, (_, i) => {
    const others = Array.from({ length: n }, (_, j) => j)
      .filter((j) => j !== i)
      .map((j) => ({ j, d: distance(i, j) }))
      .sort((p, q) => p.d - q.d)
      .slice(0, k - 1)
    return [{ j: i, d: 0 }, ...others]
  })
}

function rowsOf(graph: { indices: Int32Array; distances: Float32Array; k: number }, i: number) {
  const { k } = graph
  return Array.from({ length: k }, (_, c) => ({
    j: graph.indices[i * k + c],
    d: graph.distances[i * k + c],
  }))
}

describe('nearestNeighbours', () => {
  it('equals brute force on narrow data (searched exactly)', async () => {
    const [n, dim, k] = [300, 5, 8]
    const x = randomRows(n, dim, 1)
    const graph = await nearestNeighbours(x, n, dim, k)
    const truth = bruteForce(x, n, dim, k)
    for (let i = 0; i < n; i++) {
      const ours = rowsOf(graph, i)
      expect(ours.map((e) => e.j)).toEqual(truth[i].map((e) => e.j))
      ours.forEach((e, c) => expect(e.d).toBeCloseTo(truth[i][c].d, 4))
    }
  })

  it('equals brute force on wide data when every row is a candidate', async () => {
    // projected distances only bound the true ones from below: the exact re-ranking must recover
    const [n, dim, k] = [120, 40, 6]
    const x = randomRows(n, dim, 2)
    const graph = await nearestNeighbours(x, n, dim, k, { reducedDims: 4, candidates: n })
    const truth = bruteForce(x, n, dim, k)
    for (let i = 0; i < n; i++)
      expect(rowsOf(graph, i).map((e) => e.j)).toEqual(truth[i].map((e) => e.j))
  })

  it('finds the exact neighbours of wide data that lies near a low-dimensional subspace', async () => {
    const [n, dim, k, rank] = [400, 60, 10, 5]
    const random = seededRandom(3)
    const factors = randomRows(n, rank, 4)
    const mixing = Float32Array.from({ length: rank * dim }, () => random() - 0.5)
    const x = new Float32Array(n * dim)
    for (let i = 0; i < n; i++)
      for (let c = 0; c < dim; c++) {
        let sum = (random() - 0.5) * 1e-3
        for (let r = 0; r < rank; r++) sum += factors[i * rank + r] * mixing[r * dim + c]
        x[i * dim + c] = sum
      }
    const graph = await nearestNeighbours(x, n, dim, k, { reducedDims: 8 })
    const truth = bruteForce(x, n, dim, k)
    let hits = 0
    for (let i = 0; i < n; i++) {
      const expected = new Set(truth[i].map((e) => e.j))
      for (const e of rowsOf(graph, i)) if (expected.has(e.j)) hits++
    }
    expect(hits / (n * k)).toBeGreaterThan(0.99)
  })

  it('measures cosine distance as 1 − cos', async () => {
    const [n, dim, k] = [150, 6, 5]
    const x = randomRows(n, dim, 5).map((v) => v - 0.5)
    const graph = await nearestNeighbours(x, n, dim, k, { metric: 'cosine' })
    const truth = bruteForce(x, n, dim, k, true)
    for (let i = 0; i < n; i++) {
      const ours = rowsOf(graph, i)
      expect(ours.map((e) => e.j)).toEqual(truth[i].map((e) => e.j))
      ours.forEach((e, c) => expect(e.d).toBeCloseTo(truth[i][c].d, 4))
    }
  })

  it('gives the same neighbours with the rows split over a worker thread', async () => {
    const [n, dim, k] = [600, 70, 7]
    const x = randomRows(n, dim, 7)
    const alone = await nearestNeighbours(x, n, dim, k, { reducedDims: 16, threads: 1 })
    const split = await nearestNeighbours(x, n, dim, k, { reducedDims: 16, threads: 2 })
    expect(split.indices).toEqual(alone.indices)
    expect(split.distances).toEqual(alone.distances)
    expect(split.principalDims).toBe(16)
  })

  it('stops with an AbortError when cancelled', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(
      nearestNeighbours(randomRows(100, 3, 6), 100, 3, 5, { signal: controller.signal }),
    ).rejects.toThrow(/cancel|abort/i)
  })
})
