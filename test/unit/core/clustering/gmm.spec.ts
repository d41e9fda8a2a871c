import { describe, expect, it } from 'vitest'
import { ari, confusion } from '../../../../main/core/metrics/clusters'
import { gaussianMixture } from '../../../../main/core/clustering/gmm'
import { seededRandom } from '../../../../main/core/shared/random'

/**
 * Three 2-D blobs of 100 (the generator of kmeans.spec.ts, seed 11), then blob 0 stretched by
 * (3, 0.5) and blob 1 sheared (x, y) → (x, 0.8x + y): clusters k-means cuts wrongly but a
 * full-covariance mixture fits. In Python, with blobs() from kmeans.spec.ts:
 *   x, y = blobs([[0,0],[8,0],[0,8]], 100, 1.0, 11); x = x.astype(np.float64)
 *   x[y==0] *= [3, 0.5]; x[y==1] = x[y==1] @ np.array([[1, 0.8], [0, 1]]); x = x.astype(np.float32)
 *   gm = GaussianMixture(n_components=3, covariance_type='full', random_state=0).fit(x)
 *   gm.score(x)  # -4.047767947867539; adjusted_rand_score(y, gm.predict(x)) = 1.0
 */
function stretchedBlobs() {
  const random = seededRandom(11)
  const centres = [[0, 0], [8, 0], [0, 8]] // prettier-ignore
  const data = new Float32Array(300 * 2)
  const labels = new Int32Array(300)
  for (let row = 0; row < 300; row++) {
    const c = Math.floor(row / 100)
    labels[row] = c
    const [x, y] = centres[c].map((value) => {
      const [u1, u2] = [random(), random()]
      return Math.fround(value + Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2))
    })
    const moved = c === 0 ? [x * 3, y * 0.5] : c === 1 ? [x, 0.8 * x + y] : [x, y]
    data.set(moved, row * 2)
  }
  return { data, labels }
}

describe('gaussianMixture', () => {
  const { data, labels } = stretchedBlobs()

  it('fits stretched clusters to the likelihood sklearn reaches', async () => {
    expect(Array.from(data.subarray(0, 4))).toEqual([
      -3.5280866622924805, -0.5774912238121033, -5.68543815612793, -0.20047825574874878,
    ])
    const fit = await gaussianMixture(data, 300, 2, { k: 3, seed: 0 })
    expect(fit.logLikelihood).toBeCloseTo(-4.047767947867539, 4)
    expect(ari(confusion(fit.assignments, labels))).toBe(1)
    expect(fit.converged).toBe(true)
    for (const weight of fit.weights) expect(weight).toBeCloseTo(1 / 3, 4)
    // rows of probabilities sum to 1, and the assignment is the most probable component
    for (let i = 0; i < 300; i++) {
      const row = Array.from(fit.probabilities.subarray(i * 3, i * 3 + 3))
      expect(row.reduce((a, b) => a + b)).toBeCloseTo(1, 5)
      expect(row.indexOf(Math.max(...row))).toBe(fit.assignments[i])
    }
    // the stretched blob's covariance is about diag(9, 0.25)
    const stretched = fit.assignments[0]
    const cov = fit.covariances.subarray(stretched * 4, stretched * 4 + 4)
    expect(cov[0]).toBeGreaterThan(6)
    expect(cov[3]).toBeLessThan(0.4)
    expect(cov[1]).toBeCloseTo(cov[2], 6)
  })

  it('is deterministic for a seed, and stops when aborted', async () => {
    const a = await gaussianMixture(data, 300, 2, { k: 4, seed: 5 })
    const b = await gaussianMixture(data, 300, 2, { k: 4, seed: 5 })
    expect(b.probabilities).toEqual(a.probabilities)
    const controller = new AbortController()
    const run = gaussianMixture(data, 300, 2, {
      k: 4,
      seed: 5,
      tol: 0,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    })
    await expect(run).rejects.toThrow(/abort/i)
  })

  it('says when a component cannot be fitted', async () => {
    // three identical points in 2-D: a zero covariance that no regularisation rescues
    const flat = Float32Array.from([1, 1, 1, 1, 1, 1, 2, 2, 3, 3])
    await expect(gaussianMixture(flat, 5, 2, { k: 2, regularisation: 0 })).rejects.toThrow(
      /ill-defined covariance/,
    )
  })
})
