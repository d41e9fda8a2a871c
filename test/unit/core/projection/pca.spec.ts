import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { pca } from '../../../../main/core/projection/pca'
import { symmetricEigen } from '../../../../main/core/shared/eigen'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** Points spread 10 : 3 : 1 along three orthogonal directions rotated into 6-D, plus a mean. */
function rotatedCloud(n: number) {
  const axes = [
    [1, 1, 0, 0, 0, 0].map((v) => v / Math.SQRT2),
    [0, 0, 1, -1, 0, 0].map((v) => v / Math.SQRT2),
    [0, 0, 0, 0, 1, 0],
  ]
  const scales = [10, 3, 1]
  const data = new Float32Array(n * 6)
  let state = 7
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1
  const latent: number[][] = []
  for (let i = 0; i < n; i++) {
    const t = scales.map((s) => s * random())
    latent.push(t)
    for (let j = 0; j < 6; j++)
      data[i * 6 + j] = 5 + t.reduce((sum, ti, a) => sum + ti * axes[a][j], 0)
  }
  return { data, latent }
}

describe('pca', () => {
  it('recovers the directions of largest variance, in order, with the variance they explain', async () => {
    const { data, latent } = rotatedCloud(2000)
    const { coords, explained } = await pca(data, 2000, 6, 2)
    expect(explained[0]).toBeGreaterThan(explained[1])
    expect(explained[0] + explained[1]).toBeGreaterThan(0.98)
    // each coordinate equals the hidden one up to sign
    for (const component of [0, 1]) {
      let dot = 0
      let a = 0
      let b = 0
      for (let i = 0; i < 2000; i++) {
        dot += coords[i * 2 + component] * latent[i][component]
        a += coords[i * 2 + component] ** 2
        b += latent[i][component] ** 2
      }
      expect(Math.abs(dot) / Math.sqrt(a * b)).toBeGreaterThan(0.999)
    }
  })

  it('is the same for the same seed, and stops when aborted', async () => {
    const { data } = rotatedCloud(500)
    const first = await pca(data, 500, 6, 3, { seed: 4 })
    const second = await pca(data, 500, 6, 3, { seed: 4 })
    expect(second.coords).toEqual(first.coords)
    const controller = new AbortController()
    controller.abort()
    await expect(pca(data, 500, 6, 3, { signal: controller.signal })).rejects.toThrow(/cancelled/)
  })
})

describe('symmetricEigen', () => {
  it('diagonalises a symmetric matrix', () => {
    const m = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5])
    const { values, vectors } = symmetricEigen(m, 3)
    for (let c = 0; c < 3; c++)
      for (let r = 0; r < 3; r++) {
        let mv = 0
        for (let i = 0; i < 3; i++) mv += m[r * 3 + i] * vectors[i * 3 + c]
        expect(mv).toBeCloseTo(values[c] * vectors[r * 3 + c], 10)
      }
    expect(values.reduce((a, b) => a + b)).toBeCloseTo(12, 10)
  })
})
