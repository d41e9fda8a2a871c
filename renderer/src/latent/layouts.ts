// Coordinates for the 3D scatter from codes, in the renderer: codes with z ≤ 3 as they are, and
// the watched sample's codes of each epoch on one fixed PCA basis (the last epoch's), so what
// moves between epochs is the codes, not the axes. The full dataset's PCA and UMAP are computed
// by the core (projections.start); 5,000 × z here takes milliseconds.
import { symmetricEigen } from '@shared/eigen'

/** Codes with z ≤ 3 as n×3 positions (missing axes 0). */
export function padTo3(codes: Float32Array, n: number, dims: number): Float32Array {
  const out = new Float32Array(n * 3)
  const keep = Math.min(dims, 3)
  for (let i = 0; i < n; i++) for (let j = 0; j < keep; j++) out[i * 3 + j] = codes[i * dims + j]
  return out
}

export interface Basis {
  dims: number
  mean: Float64Array
  /** dims × 3, row-major: the three leading principal directions */
  axes: Float64Array
}

/** The three leading principal directions of n×dims codes. */
export function pcaBasis(codes: Float32Array, n: number, dims: number): Basis {
  const mean = new Float64Array(dims)
  for (let i = 0; i < n; i++) for (let j = 0; j < dims; j++) mean[j] += codes[i * dims + j] / n
  const cov = new Float64Array(dims * dims)
  const row = new Float64Array(dims)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dims; j++) row[j] = codes[i * dims + j] - mean[j]
    for (let a = 0; a < dims; a++) {
      const ra = row[a]
      for (let b = a; b < dims; b++) cov[a * dims + b] += ra * row[b]
    }
  }
  for (let a = 0; a < dims; a++) for (let b = 0; b < a; b++) cov[a * dims + b] = cov[b * dims + a]
  const { values, vectors } = symmetricEigen(cov, dims)
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a])
  const axes = new Float64Array(dims * 3)
  for (let k = 0; k < Math.min(3, dims); k++)
    for (let j = 0; j < dims; j++) axes[j * 3 + k] = vectors[j * dims + order[k]]
  return { dims, mean, axes }
}

/** n×dims codes on a basis, as n×3 positions. */
export function projectOn(codes: Float32Array, n: number, basis: Basis): Float32Array {
  const { dims, mean, axes } = basis
  const out = new Float32Array(n * 3)
  for (let i = 0; i < n; i++)
    for (let k = 0; k < 3; k++) {
      let sum = 0
      for (let j = 0; j < dims; j++) sum += (codes[i * dims + j] - mean[j]) * axes[j * 3 + k]
      out[i * 3 + k] = sum
    }
  return out
}

/** Centred and scaled to a root-mean-square radius of 1, in place: every layout frames alike. */
export function normalise(positions: Float32Array): Float32Array {
  const n = positions.length / 3
  if (!n) return positions
  const centre = [0, 0, 0]
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) centre[k] += positions[i * 3 + k] / n
  let sum = 0
  for (let i = 0; i < n; i++)
    for (let k = 0; k < 3; k++) sum += (positions[i * 3 + k] - centre[k]) ** 2
  const scale = 1 / (Math.sqrt(sum / n) || 1)
  for (let i = 0; i < n; i++)
    for (let k = 0; k < 3; k++) positions[i * 3 + k] = (positions[i * 3 + k] - centre[k]) * scale
  return positions
}

/** The k rows nearest to row `of` in code space (squared Euclidean), nearest first, itself left out. */
export function nearestRows(
  codes: Float32Array,
  dims: number,
  of: number,
  k: number,
  skip?: (row: number) => boolean,
): number[] {
  const n = codes.length / dims
  const best: { row: number; distance: number }[] = []
  for (let i = 0; i < n; i++) {
    if (i === of || skip?.(i)) continue
    let d = 0
    for (let j = 0; j < dims; j++) d += (codes[i * dims + j] - codes[of * dims + j]) ** 2
    if (best.length < k || d < best[best.length - 1].distance) {
      best.push({ row: i, distance: d })
      best.sort((a, b) => a.distance - b.distance)
      if (best.length > k) best.pop()
    }
  }
  return best.map((b) => b.row)
}
