// A Gaussian mixture with full covariances, fitted by EM: the N2D recipe's last step
// (docs/analysis.md, "Clustering") on low-dimensional data such as a 10-D UMAP of the codes. It
// follows sklearn's GaussianMixture(covariance_type='full', init_params='kmeans'): responsibilities
// start one-hot from a single k-means run, reg_covar is added to every diagonal, and EM stops when
// the mean log-likelihood per row changes by less than tol.
import { setImmediate as nextTurn } from 'node:timers/promises'
import { kmeans } from './kmeans'

export interface GaussianMixtureOptions {
  k: number
  seed?: number
  /** EM iterations at most (sklearn's max_iter, 100) */
  maxIter?: number
  /** on the change of the mean log-likelihood per row (sklearn's tol, 1e-3) */
  tol?: number
  /** added to each covariance's diagonal so it stays invertible (sklearn's reg_covar) */
  regularisation?: number
  signal?: AbortSignal
  onProgress?: (fraction: number) => void
}

export interface GaussianMixture {
  /** the most probable component of each row */
  assignments: Int32Array
  /** probabilities[i * k + c] = P(component c | row i) */
  probabilities: Float32Array
  weights: Float32Array
  /** k × dim */
  means: Float32Array
  /** k × dim × dim */
  covariances: Float32Array
  /** mean log-likelihood per row of the final model */
  logLikelihood: number
  iterations: number
  converged: boolean
}

const halfLogTwoPi = 0.5 * Math.log(2 * Math.PI)

export async function gaussianMixture(
  data: Float32Array,
  n: number,
  dim: number,
  options: GaussianMixtureOptions,
): Promise<GaussianMixture> {
  const { k, seed = 0, maxIter = 100, tol = 1e-3, regularisation = 1e-6, signal } = options
  const start = await kmeans(data, n, dim, { k, nInit: 1, seed, signal, threads: 1 })
  const resp = new Float64Array(n * k)
  for (let i = 0; i < n; i++) resp[i * k + start.assignments[i]] = 1
  const model = new Parameters(k, dim)
  model.fit(data, n, resp, regularisation)
  let previous = -Infinity
  let iterations = 0
  let converged = false
  while (iterations < maxIter) {
    signal?.throwIfAborted()
    iterations++
    const current = model.responsibilities(data, n, resp)
    model.fit(data, n, resp, regularisation)
    options.onProgress?.(iterations / maxIter)
    if (Math.abs(current - previous) < tol) {
      converged = true
      break
    }
    previous = current
    // let abort and progress through between iterations
    await nextTurn()
  }
  // as sklearn: a last E-step so the labels agree with the final parameters
  const logLikelihood = model.responsibilities(data, n, resp)
  const assignments = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    let best = 0
    for (let c = 1; c < k; c++) if (resp[i * k + c] > resp[i * k + best]) best = c
    assignments[i] = best
  }
  options.onProgress?.(1)
  return {
    assignments,
    probabilities: Float32Array.from(resp),
    weights: Float32Array.from(model.weights),
    means: Float32Array.from(model.means),
    covariances: Float32Array.from(model.covariances),
    logLikelihood,
    iterations,
    converged,
  }
}

class Parameters {
  readonly weights: Float64Array
  readonly means: Float64Array
  readonly covariances: Float64Array
  /** lower Cholesky factor L of each covariance (Σ = L·Lᵀ) */
  readonly cholesky: Float64Array
  readonly logDeterminant: Float64Array

  constructor(
    readonly k: number,
    readonly dim: number,
  ) {
    this.weights = new Float64Array(k)
    this.means = new Float64Array(k * dim)
    this.covariances = new Float64Array(k * dim * dim)
    this.cholesky = new Float64Array(k * dim * dim)
    this.logDeterminant = new Float64Array(k)
  }

  /** M-step: weights, means and covariances from the responsibilities. */
  fit(data: Float32Array, n: number, resp: Float64Array, regularisation: number): void {
    const { k, dim, weights, means, covariances } = this
    const mass = new Float64Array(k).fill(10 * Number.EPSILON) // as sklearn, so no Nk is 0
    means.fill(0)
    covariances.fill(0)
    for (let i = 0; i < n; i++)
      for (let c = 0; c < k; c++) {
        const r = resp[i * k + c]
        if (r === 0) continue
        mass[c] += r
        for (let d = 0; d < dim; d++) means[c * dim + d] += r * data[i * dim + d]
      }
    for (let c = 0; c < k; c++) {
      weights[c] = mass[c] / n
      for (let d = 0; d < dim; d++) means[c * dim + d] /= mass[c]
    }
    const centred = new Float64Array(dim)
    for (let i = 0; i < n; i++)
      for (let c = 0; c < k; c++) {
        const r = resp[i * k + c]
        if (r < 1e-12) continue // too small to move a covariance; saves most of the work
        for (let d = 0; d < dim; d++) centred[d] = data[i * dim + d] - means[c * dim + d]
        const base = c * dim * dim
        for (let a = 0; a < dim; a++) {
          const ra = r * centred[a]
          for (let b = 0; b <= a; b++) covariances[base + a * dim + b] += ra * centred[b]
        }
      }
    for (let c = 0; c < k; c++) {
      const base = c * dim * dim
      for (let a = 0; a < dim; a++) {
        for (let b = 0; b <= a; b++) {
          const value = covariances[base + a * dim + b] / mass[c]
          covariances[base + a * dim + b] = value
          covariances[base + b * dim + a] = value
        }
        covariances[base + a * dim + a] += regularisation
      }
      this.factor(c)
    }
  }

  private factor(c: number): void {
    const { dim, covariances, cholesky } = this
    const base = c * dim * dim
    let logDet = 0
    for (let a = 0; a < dim; a++)
      for (let b = 0; b <= a; b++) {
        let sum = covariances[base + a * dim + b]
        for (let m = 0; m < b; m++)
          sum -= cholesky[base + a * dim + m] * cholesky[base + b * dim + m]
        if (a === b) {
          if (!(sum > 0))
            throw new Error(
              'The mixture could not be fitted: a component has an ill-defined covariance. ' +
                'Try fewer components, or more regularisation.',
            )
          cholesky[base + a * dim + a] = Math.sqrt(sum)
          logDet += Math.log(sum)
        } else cholesky[base + a * dim + b] = sum / cholesky[base + b * dim + b]
      }
    this.logDeterminant[c] = logDet
  }

  /** E-step: fills resp with P(c | x) and returns the mean log-likelihood per row. */
  responsibilities(data: Float32Array, n: number, resp: Float64Array): number {
    const { k, dim, weights, means, cholesky, logDeterminant } = this
    const y = new Float64Array(dim)
    const logWeights = Array.from(weights, Math.log)
    let total = 0
    for (let i = 0; i < n; i++) {
      let max = -Infinity
      for (let c = 0; c < k; c++) {
        // Mahalanobis distance by forward substitution: L·y = x − μ, then ‖y‖²
        const base = c * dim * dim
        let mahalanobis = 0
        for (let a = 0; a < dim; a++) {
          let sum = data[i * dim + a] - means[c * dim + a]
          for (let b = 0; b < a; b++) sum -= cholesky[base + a * dim + b] * y[b]
          y[a] = sum / cholesky[base + a * dim + a]
          mahalanobis += y[a] * y[a]
        }
        const log = logWeights[c] - dim * halfLogTwoPi - 0.5 * logDeterminant[c] - 0.5 * mahalanobis
        resp[i * k + c] = log
        if (log > max) max = log
      }
      let sum = 0
      for (let c = 0; c < k; c++) sum += Math.exp(resp[i * k + c] - max)
      const logNorm = max + Math.log(sum)
      total += logNorm
      for (let c = 0; c < k; c++) resp[i * k + c] = Math.exp(resp[i * k + c] - logNorm)
    }
    return total / n
  }
}
