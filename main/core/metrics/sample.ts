// The rows a metric is computed on: a seeded sample (for the O(n²) metrics) or a fit/held-out
// split (for the probes), both drawn from the one random source (shared/random.ts).
import { shuffledIndices } from '../shared/random'

/** `size` distinct row numbers out of n, ascending, chosen by a partial Fisher–Yates shuffle. */
export function sampleRows(n: number, size: number, random: () => number): Int32Array {
  if (size >= n) return Int32Array.from({ length: n }, (_, i) => i)
  const order = Int32Array.from({ length: n }, (_, i) => i)
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (n - i))
    const swap = order[i]
    order[i] = order[j]
    order[j] = swap
  }
  return order.subarray(0, size).sort()
}

export interface Holdout {
  fit: number[]
  test: number[]
}

/** Rows split into `fraction` to fit and the rest held out, after a seeded shuffle. */
export function holdoutSplit(count: number, random: () => number, fraction = 0.8): Holdout {
  const order = Array.from(shuffledIndices(count, random))
  const cut = Math.floor(count * fraction)
  return { fit: order.slice(0, cut), test: order.slice(cut) }
}
