// The silhouette: how tight and apart groups of rows are, with no labels needed.
import { seededRandom } from '../shared/random'
import { clusterSizes } from './clusters'
import { sampleRows } from './sample'

export interface Silhouette {
  /** mean silhouette coefficient, −1…1; null with fewer than 2 clusters among the rows used */
  score: number | null
  /** rows it was computed on: all of them, or a seeded random sample (silhouette is O(n²)) */
  sample: number
  of: number
}

/**
 * Mean silhouette (Rousseeuw 1987) (b − a) / max(a, b) with Euclidean distances, a a row's mean
 * distance to its own group, b to the nearest other group, as sklearn's silhouette_score; with
 * more rows than `sample`, on a seeded random sample of rows against each other (as sklearn's
 * sample_size does). A row alone in its group scores 0. The groups are clusters (a clustering's
 * silhouette) or labels (a projection's).
 */
export function silhouette(
  data: Float32Array,
  dim: number,
  /** each row's group: its cluster, or its label's index */
  assignments: ArrayLike<number>,
  options: { sample?: number; seed?: number } = {},
): Silhouette {
  const { sample = 5000, seed = 0 } = options
  const n = assignments.length
  const rows = sampleRows(n, sample, seededRandom(seed))
  const m = rows.length
  const sizes = clusterSizes(Array.from(rows, (row) => assignments[row]))
  const k = sizes.length
  if (sizes.filter((size) => size > 0).length < 2) return { score: null, sample: m, of: n }
  const label = Int32Array.from(rows, (row) => assignments[row])
  // sums[i * k + c]: total distance from sampled row i to the sampled rows of cluster c
  const sums = new Float64Array(m * k)
  for (let i = 0; i < m; i++) {
    const a = rows[i] * dim
    for (let j = i + 1; j < m; j++) {
      const b = rows[j] * dim
      let sum = 0
      for (let d = 0; d < dim; d++) {
        const diff = data[a + d] - data[b + d]
        sum += diff * diff
      }
      const distance = Math.sqrt(sum)
      sums[i * k + label[j]] += distance
      sums[j * k + label[i]] += distance
    }
  }
  let total = 0
  for (let i = 0; i < m; i++) {
    const own = label[i]
    if (sizes[own] < 2) continue
    const inside = sums[i * k + own] / (sizes[own] - 1)
    let nearest = Infinity
    for (let c = 0; c < k; c++)
      if (c !== own && sizes[c] > 0) nearest = Math.min(nearest, sums[i * k + c] / sizes[c])
    const larger = Math.max(inside, nearest)
    // duplicate rows: 0/0, which sklearn also turns into 0
    if (larger > 0) total += (nearest - inside) / larger
  }
  return { score: total / m, sample: m, of: n }
}
