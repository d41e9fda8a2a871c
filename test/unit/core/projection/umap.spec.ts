import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { nearestNeighbours } from '../../../../main/core/projection/knn'
import { seededRandom } from '../../../../main/core/shared/random'
import { knnLeaveOneOut } from '../../../../main/core/metrics/neighbourhood'
import {
  fuzzySimplicialSet,
  umapLayout,
  type UmapParams,
} from '../../../../main/core/projection/umap'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** Three Gaussian blobs in 10-d, 80 points each, far apart; labels by blob. */
function blobs() {
  const [perBlob, dim] = [80, 10]
  const random = seededRandom(11)
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  const n = 3 * perBlob
  const x = new Float32Array(n * dim)
  const labels = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    labels[i] = Math.floor(i / perBlob)
    for (let c = 0; c < dim; c++) x[i * dim + c] = gaussian() + (c === labels[i] ? 20 : 0)
  }
  return { x, n, dim, labels }
}

const params: UmapParams = { neighbors: 10, minDist: 0.1, dims: 2, metric: 'euclidean', seed: 1 }

describe('umapLayout', () => {
  it('keeps well separated blobs separated', async () => {
    const { x, n, dim, labels } = blobs()
    const layout = await umapLayout(x, n, dim, { ...params, epochs: 150 })
    expect(layout.length).toBe(n * 2)
    expect(layout.every(Number.isFinite)).toBe(true)
    expect(await knnLeaveOneOut(layout, 2, labels)).toBe(1)
    // each blob's spread is small beside the gaps between blobs
    const centre = (b: number) =>
      [0, 1].map((c) => {
        let sum = 0
        for (let i = b * 80; i < (b + 1) * 80; i++) sum += layout[i * 2 + c]
        return sum / 80
      })
    const centres = [0, 1, 2].map(centre)
    let spread = 0
    for (let i = 0; i < n; i++) {
      const [cx, cy] = centres[labels[i]]
      spread = Math.max(spread, Math.hypot(layout[i * 2] - cx, layout[i * 2 + 1] - cy))
    }
    const gap = Math.min(
      ...[
        [0, 1],
        [0, 2],
        [1, 2],
      ].map(([p, q]) => Math.hypot(centres[p][0] - centres[q][0], centres[p][1] - centres[q][1])),
    )
    expect(gap).toBeGreaterThan(2 * spread)
  })

  it('gives the same layout for the same seed, another for another seed, in 3-D too', async () => {
    const { x, n, dim } = blobs()
    const three = { ...params, dims: 3 as const, epochs: 60 }
    const first = await umapLayout(x, n, dim, three)
    expect(first.length).toBe(n * 3)
    expect(await umapLayout(x, n, dim, three)).toEqual(first)
    expect(await umapLayout(x, n, dim, { ...three, seed: 2 })).not.toEqual(first)
  })

  it('reports progress by phase and shows the layout as it refines', async () => {
    const { x, n, dim } = blobs()
    const phases: string[] = []
    const epochsSeen: number[] = []
    await umapLayout(
      x,
      n,
      dim,
      { ...params, epochs: 400 },
      {
        layoutEveryMs: 0,
        onProgress: (phase, fraction) => {
          if (phases.at(-1) !== phase) phases.push(phase)
          expect(fraction).toBeGreaterThan(0)
          expect(fraction).toBeLessThanOrEqual(1)
        },
        onLayout: (embedding, epoch, epochs) => {
          expect(embedding.length).toBe(n * 2)
          expect(epochs).toBe(400)
          epochsSeen.push(epoch)
        },
      },
    )
    expect(phases).toEqual(['neighbors', 'layout'])
    expect(epochsSeen.at(-1)).toBe(400)
    expect([...epochsSeen].sort((p, q) => p - q)).toEqual(epochsSeen)
  })

  it('stops with an AbortError when cancelled during the layout', async () => {
    const { x, n, dim } = blobs()
    const controller = new AbortController()
    const run = umapLayout(
      x,
      n,
      dim,
      { ...params, epochs: 100_000 },
      { layoutEveryMs: 0, signal: controller.signal, onLayout: () => controller.abort() },
    )
    await expect(run).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('refuses fewer points than neighbours', async () => {
    await expect(umapLayout(new Float32Array(10), 5, 2, params)).rejects.toThrow(/neighbours/)
  })
})

describe('fuzzySimplicialSet', () => {
  it('gives each edge in both directions with one weight in (0, 1]', async () => {
    const { x, n, dim } = blobs()
    const graph = await nearestNeighbours(x, n, dim, 10)
    const { head, tail, weight } = fuzzySimplicialSet(graph, n, 200)
    const byPair = new Map<string, number>()
    for (let e = 0; e < head.length; e++) byPair.set(`${head[e]}:${tail[e]}`, weight[e])
    expect(byPair.size).toBe(head.length)
    for (let e = 0; e < head.length; e++) {
      expect(head[e]).not.toBe(tail[e])
      expect(weight[e]).toBeGreaterThan(0)
      expect(weight[e]).toBeLessThanOrEqual(1)
      expect(byPair.get(`${tail[e]}:${head[e]}`)).toBe(weight[e])
    }
    // every point's nearest neighbour gets full membership (ρ is its distance)
    for (let i = 0; i < n; i++) expect(byPair.get(`${i}:${graph.indices[i * 10 + 1]}`)).toBe(1)
  })
})
