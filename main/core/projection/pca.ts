// PCA to a few dimensions (docs/analysis.md, "Projections": the 3D scatter of codes with z > 3), by
// randomized subspace iteration on the centred data: two plain matMuls per round, never the d×d
// covariance. Why not a library: ml-pca forms the covariance and a full SVD in plain JS, which
// for 70,000 × 784 pixels is about 21 G multiply-adds; here it is about 1 G per round on tfjs.
import * as tf from '@tensorflow/tfjs-core'
import { orthonormalColumns, symmetricEigen } from '../shared/eigen'

export interface PcaResult {
  /** n × dims, row-major */
  coords: Float32Array
  /** fraction of the total variance each kept component explains */
  explained: number[]
}

export interface PcaOptions {
  seed?: number
  /** rounds of subspace iteration; 6–10 are plenty for the leading components */
  rounds?: number
  signal?: AbortSignal
  onProgress?: (fraction: number) => void
}

/** A tensor computed in tf.tidy, read back and freed. */
async function valuesOf(compute: () => tf.Tensor): Promise<Float32Array> {
  const tensor = tf.tidy(compute)
  try {
    return (await tensor.data()) as Float32Array
  } finally {
    tensor.dispose()
  }
}

/** The data (n × d, row-major) on its first `dims` principal components, signs made deterministic. */
export async function pca(
  data: Float32Array,
  n: number,
  d: number,
  dims: number,
  options: PcaOptions = {},
): Promise<PcaResult> {
  const { seed = 1, rounds = 8, signal, onProgress } = options
  const k = Math.min(d, dims + 6) // oversampling makes the leading components converge faster
  const mean = new Float64Array(d)
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j]
  for (let j = 0; j < d; j++) mean[j] /= n
  const x = tf.tidy(() => tf.sub(tf.tensor2d(data, [n, d]), tf.tensor1d(Float32Array.from(mean))))
  // a plain matMul of a materialised transpose is many times faster on wasm than transposeA
  const xT = tf.tidy(() => tf.transpose(x))
  // every read is asynchronous: WebGPU has no synchronous read in Node (docs/architecture.md, "Backends")
  let basis = await valuesOf(() => tf.randomNormal([d, k], 0, 1, 'float32', seed))
  try {
    for (let round = 0; round < rounds; round++) {
      if (signal?.aborted) throw new DOMException('The projection was cancelled.', 'AbortError')
      const next = await valuesOf(() => tf.matMul(xT, tf.matMul(x, tf.tensor2d(basis, [d, k]))))
      basis = orthonormalColumns(next, d, k)
      onProgress?.((round + 1) / (rounds + 1))
      await new Promise((resolve) => setImmediate(resolve))
    }
    // Rotate the subspace onto the principal axes: eigenvectors of (XV)ᵀ(XV) / n.
    const y = tf.tidy(() => tf.matMul(x, tf.tensor2d(basis, [d, k])))
    const gram = await valuesOf(() => tf.matMul(tf.transpose(y), y))
    const { values, vectors } = symmetricEigen(
      Float64Array.from(gram, (g) => g / n),
      k,
    )
    const order = values
      .map((_, i) => i)
      .sort((a, b) => values[b] - values[a])
      .slice(0, dims)
    const rotation = new Float32Array(k * dims)
    order.forEach((column, j) => {
      for (let i = 0; i < k; i++) rotation[i * dims + j] = vectors[i * k + column]
    })
    const coords = await valuesOf(() => tf.matMul(y, tf.tensor2d(rotation, [k, dims])))
    y.dispose()
    // a component's sign is arbitrary: make the largest-magnitude coordinate positive
    for (let j = 0; j < dims; j++) {
      let extreme = 0
      for (let i = 0; i < n; i++)
        if (Math.abs(coords[i * dims + j]) > Math.abs(extreme)) extreme = coords[i * dims + j]
      if (extreme < 0) for (let i = 0; i < n; i++) coords[i * dims + j] = -coords[i * dims + j]
    }
    let total = 0
    for (let i = 0; i < n * d; i++) total += (data[i] - mean[i % d]) ** 2
    total /= n
    onProgress?.(1)
    return { coords, explained: order.map((i) => (total > 0 ? values[i] / total : 0)) }
  } finally {
    x.dispose()
    xT.dispose()
  }
}
