// The clustering terms that deep clustering adds to the objective
// (docs/models.md, "Clustering terms"), as functions of the code: their value and their gradient
// with respect to the code (and to the centres, where those are trained), on tfjs; and the same
// values in float64 for the gradient check (reference.ts).
//   distance (DCN's joint objective, Yang et al., 2017): λ·(1/B)·Σ_i ‖z_i − c(z_i)‖², c the nearest
//     centre, held fixed in the step (the centres move by their own update between steps).
//   kl (DEC, IDEC): γ·(1/B)·Σ_i KL(P_i ‖ Q_i), Q the Student-t soft assignment (α = 1)
//     q_ij ∝ (1 + ‖z_i − μ_j‖²)⁻¹ and P the sharpened target, fixed in the step.
import * as tf from '@tensorflow/tfjs-core'

export type ClusterTerm =
  | {
      kind: 'distance'
      weight: number
      /** k × z */
      centroids: tf.Tensor
    }
  | {
      kind: 'kl'
      weight: number
      /** k × z; a variable when the centres are trained with the network */
      centroids: tf.Tensor
      /** B × k, each row summing to 1 */
      target: tf.Tensor
    }

export interface ClusterTermOutcome {
  loss: tf.Tensor
  dCode: tf.Tensor
  /** ∂loss/∂centres, for the kl term */
  dCentroids: tf.Tensor | null
  /** each row's nearest centre (distance) or most likely cluster (kl), int32 */
  assignments: tf.Tensor
}

/**
 * ‖z_i − μ_j‖² for every row and centre, B × k. The product is taken against μ transposed
 * once (k × z is tiny): a transposed matMul runs far slower than a plain one on wasm.
 */
export function squaredDistances(code: tf.Tensor, centroids: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const rows = tf.sum(tf.square(code), 1, true)
    const centres = tf.reshape(tf.sum(tf.square(centroids), 1), [1, -1])
    const cross = tf.matMul(code, tf.transpose(centroids))
    return tf.relu(tf.sub(tf.add(rows, centres), tf.mul(cross, 2)))
  })
}

/** DEC's soft assignment: q_ij = (1 + d²_ij)⁻¹ / Σ_j' (1 + d²_ij')⁻¹, and the kernel w. */
export function softAssignment(code: tf.Tensor, centroids: tf.Tensor) {
  const kernel = tf.reciprocal(tf.add(squaredDistances(code, centroids), 1))
  return { kernel, q: tf.div(kernel, tf.sum(kernel, 1, true)) }
}

/**
 * DEC's target distribution: p_ij = (q_ij² / f_j) / Σ_j' (q_ij'² / f_j'), with f_j = Σ_i q_ij
 * the soft cluster frequencies over the whole dataset (`frequencies`, length k).
 */
export function targetDistribution(
  q: Float32Array,
  rows: number,
  k: number,
  frequencies: Float64Array,
): Float32Array {
  const p = new Float32Array(rows * k)
  for (let i = 0; i < rows; i++) {
    let sum = 0
    for (let j = 0; j < k; j++) {
      const value = (q[i * k + j] * q[i * k + j]) / Math.max(frequencies[j], 1e-12)
      p[i * k + j] = value
      sum += value
    }
    for (let j = 0; j < k; j++) p[i * k + j] /= sum
  }
  return p
}

/**
 * How much larger our reconstruction term is than the papers' (a mean over the image's `values`):
 * ½·Σ (x − x̂)² is values/2 times the mean squared error, Σ BCE is values times the mean BCE.
 * A clustering weight given on the papers' scale is multiplied by this.
 */
export function reconstructionScale(reconstruction: 'mse' | 'bce', values: number): number {
  return reconstruction === 'mse' ? values / 2 : values
}

/** The term's value and gradients for a batch of codes (B × z). Call inside tf.tidy. */
export function clusterTerm(code: tf.Tensor, term: ClusterTerm): ClusterTermOutcome {
  const batch = code.shape[0]
  if (term.kind === 'distance') {
    const assignments = tf.argMin(squaredDistances(code, term.centroids), 1)
    const shift = tf.sub(code, tf.gather(term.centroids, assignments))
    return {
      loss: tf.mul(tf.sum(tf.square(shift)), term.weight / batch),
      dCode: tf.mul(shift, (2 * term.weight) / batch),
      dCentroids: null,
      assignments,
    }
  }
  const { kernel, q } = softAssignment(code, term.centroids)
  const p = term.target
  const logRatio = tf.log(tf.div(tf.maximum(p, 1e-12), tf.maximum(q, 1e-12)))
  const loss = tf.mul(tf.sum(tf.mul(p, logRatio)), term.weight / batch)
  // ∂/∂z_i = 2 Σ_j w_ij (p_ij − q_ij)(z_i − μ_j);  ∂/∂μ_j = −2 Σ_i w_ij (p_ij − q_ij)(z_i − μ_j)
  const m = tf.mul(kernel, tf.sub(p, q))
  const scale = (2 * term.weight) / batch
  const dCode = tf.mul(
    tf.sub(tf.mul(tf.sum(m, 1, true), code), tf.matMul(m, term.centroids)),
    scale,
  )
  const dCentroids = tf.mul(
    tf.sub(
      tf.mul(tf.reshape(tf.sum(m, 0), [-1, 1]), term.centroids),
      tf.matMul(tf.transpose(m), code),
    ),
    scale,
  )
  return { loss, dCode, dCentroids, assignments: tf.argMax(q, 1) }
}

/** The same term in float64 for the gradient check: the centres and target as plain arrays. */
export interface ReferenceClusterTerm {
  kind: 'distance' | 'kl'
  weight: number
  centroids: Float64Array
  k: number
  target: Float64Array | null
}

export function referenceClusterLoss(
  code: Float64Array,
  batch: number,
  width: number,
  term: ReferenceClusterTerm,
): number {
  const { k, centroids } = term
  const d2 = new Float64Array(k)
  let total = 0
  for (let i = 0; i < batch; i++) {
    for (let j = 0; j < k; j++) {
      let sum = 0
      for (let c = 0; c < width; c++) sum += (code[i * width + c] - centroids[j * width + c]) ** 2
      d2[j] = sum
    }
    if (term.kind === 'distance') total += Math.min(...d2)
    else {
      let norm = 0
      for (let j = 0; j < k; j++) norm += 1 / (1 + d2[j])
      for (let j = 0; j < k; j++) {
        const p = term.target![i * k + j]
        const q = 1 / (1 + d2[j]) / norm
        if (p > 0) total += p * Math.log(p / q)
      }
    }
  }
  return (term.weight * total) / batch
}
