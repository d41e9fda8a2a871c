import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { knnLeaveOneOut, trustworthiness } from '../../../../main/core/metrics/neighbourhood'
import { holdoutSplit, sampleRows } from '../../../../main/core/metrics/sample'
import { silhouette } from '../../../../main/core/metrics/silhouette'
import { seededRandom } from '../../../../main/core/shared/random'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** 40 points in 4-d and a distorted 2-d picture of them, the same as in the sklearn check below. */
function fixture() {
  const n = 40
  const x = new Float32Array(n * 4)
  const y = new Float32Array(n * 2)
  for (let i = 0; i < n; i++) {
    x.set([Math.sin(i * 0.7), Math.cos(i * 1.3), (i % 7) / 7, i / 40], i * 4)
    y.set([x[i * 4] + 0.5 * Math.cos(i * 2.1), x[i * 4 + 3] * 2 + 0.3 * Math.sin(i * 0.9)], i * 2)
  }
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3)
  return { n, x, y, labels }
}

// /usr/bin/python3 (scikit-learn 1.2.1), float32 arrays built as in fixture():
//   i = np.arange(40)
//   X = np.stack([np.sin(i*.7), np.cos(i*1.3), (i % 7)/7, i/40], 1).astype(np.float32)
//   Y = np.stack([X[:,0] + .5*np.cos(i*2.1), X[:,3]*2 + .3*np.sin(i*.9)], 1).astype(np.float32)
//   trustworthiness(X, Y, n_neighbors=5)  → 0.7290625
//   trustworthiness(X, Y, n_neighbors=10) → 0.7395918367346939
//   silhouette_score(Y, i % 3) → -0.04095856;  silhouette_score(X, i % 3) → -0.05009959
describe('trustworthiness', () => {
  it('equals sklearn.manifold.trustworthiness on a small case', async () => {
    const { n, x, y } = fixture()
    expect(await trustworthiness(x, 4, y, 2, n, { k: 5 })).toBeCloseTo(0.7290625, 6)
    expect(await trustworthiness(x, 4, y, 2, n, { k: 10 })).toBeCloseTo(0.7395918367346939, 6)
  })

  it('is 1 for a layout that keeps every neighbourhood', async () => {
    const { n, x } = fixture()
    const scaled = x.map((value) => value * 3)
    expect(await trustworthiness(x, 4, scaled, 4, n, { k: 5 })).toBeCloseTo(1, 6)
  })

  it('computes on a sample of the rows when asked', async () => {
    const { n, x, y } = fixture()
    const all = await trustworthiness(x, 4, y, 2, n, { k: 5 })
    const part = await trustworthiness(x, 4, y, 2, n, { k: 5, sample: 30, seed: 3 })
    expect(part).not.toBe(all)
    expect(await trustworthiness(x, 4, y, 2, n, { k: 5, sample: 30, seed: 3 })).toBe(part)
  })
})

describe('silhouette of labels', () => {
  it('equals sklearn.metrics.silhouette_score', () => {
    const { x, y, labels } = fixture()
    expect(silhouette(y, 2, labels).score).toBeCloseTo(-0.04095856, 5)
    expect(silhouette(x, 4, labels).score).toBeCloseTo(-0.05009959, 5)
  })

  it('is near 1 for tight, distant groups', () => {
    const points = Float32Array.from({ length: 20 }, (_, i) => (i < 10 ? i * 0.01 : 100 + i * 0.01))
    const labels = Int32Array.from({ length: 20 }, (_, i) => (i < 10 ? 0 : 1))
    expect(silhouette(points, 1, labels).score).toBeGreaterThan(0.99)
  })
})

describe('kNN accuracy, leave-one-out', () => {
  it('is 1 on separated labelled groups and near chance when the labels are shuffled', async () => {
    const n = 200
    const points = new Float32Array(n * 2)
    for (let i = 0; i < n; i++) points.set([(i % 2) * 50 + Math.sin(i), Math.cos(i * 3)], i * 2)
    const labels = Int32Array.from({ length: n }, (_, i) => i % 2)
    expect(await knnLeaveOneOut(points, 2, labels)).toBe(1)
    const shuffled = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 2) % 2)
    const chance = await knnLeaveOneOut(points, 2, shuffled)
    expect(chance).toBeGreaterThan(0.25)
    expect(chance).toBeLessThan(0.75)
  })
})

describe('sampleRows', () => {
  it('picks distinct rows, ascending, the same for a seed', () => {
    const rows = sampleRows(1000, 50, seededRandom(7))
    expect(new Set(rows).size).toBe(50)
    expect([...rows]).toEqual([...rows].sort((p, q) => p - q))
    expect(sampleRows(1000, 50, seededRandom(7))).toEqual(rows)
    expect(sampleRows(1000, 50, seededRandom(8))).not.toEqual(rows)
    expect(sampleRows(10, 50, seededRandom(7))).toEqual(
      Int32Array.from({ length: 10 }, (_, i) => i),
    )
  })
})

describe('holdoutSplit', () => {
  it('splits every row once, 80% to fit, the same for a seed', () => {
    const split = holdoutSplit(101, seededRandom(5))
    expect(split.fit).toHaveLength(80)
    expect(split.test).toHaveLength(21)
    expect([...split.fit, ...split.test].sort((p, q) => p - q)).toEqual(
      Array.from({ length: 101 }, (_, i) => i),
    )
    expect(holdoutSplit(101, seededRandom(5))).toEqual(split)
    expect(holdoutSplit(101, seededRandom(6)).test).not.toEqual(split.test)
  })
})
