// Small dense linear algebra for PCA (a symmetric eigenproblem, Gram–Schmidt), in plain JS:
// the renderer uses it too.

/** Eigen-decomposition of a small symmetric matrix (row-major k×k) by cyclic Jacobi rotations. */
export function symmetricEigen(
  matrix: Float64Array,
  k: number,
): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(matrix)
  const v = new Float64Array(k * k)
  for (let i = 0; i < k; i++) v[i * k + i] = 1
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += a[p * k + q] ** 2
    if (off < 1e-22) break
    for (let p = 0; p < k; p++)
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q]
        if (Math.abs(apq) < 1e-300) continue
        const theta = (a[q * k + q] - a[p * k + p]) / (2 * apq)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p]
          const arq = a[r * k + q]
          a[r * k + p] = c * arp - s * arq
          a[r * k + q] = s * arp + c * arq
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r]
          const aqr = a[q * k + r]
          a[p * k + r] = c * apr - s * aqr
          a[q * k + r] = s * apr + c * aqr
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p]
          const vrq = v[r * k + q]
          v[r * k + p] = c * vrp - s * vrq
          v[r * k + q] = s * vrp + c * vrq
        }
      }
  }
  return { values: Array.from({ length: k }, (_, i) => a[i * k + i]), vectors: v }
}

/** Columns of `m` (rows × cols) made orthonormal, by modified Gram–Schmidt. */
export function orthonormalColumns(m: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const q = Float64Array.from(m)
  for (let j = 0; j < cols; j++) {
    for (let i = 0; i < j; i++) {
      let dot = 0
      for (let r = 0; r < rows; r++) dot += q[r * cols + i] * q[r * cols + j]
      for (let r = 0; r < rows; r++) q[r * cols + j] -= dot * q[r * cols + i]
    }
    let norm = 0
    for (let r = 0; r < rows; r++) norm += q[r * cols + j] ** 2
    norm = Math.sqrt(norm) || 1
    for (let r = 0; r < rows; r++) q[r * cols + j] /= norm
  }
  return Float32Array.from(q)
}
