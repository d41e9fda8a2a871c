// Choosing k for k-means: inertia and silhouette over a range of k, and a suggestion.
import { silhouette } from '../metrics/silhouette'
import { kmeans } from './kmeans'

export interface SweepOptions {
  from: number
  to: number
  seed?: number
  /** restarts per k (fewer than a final run's 10: the sweep only compares k) */
  nInit?: number
  /** rows the silhouette is computed on (it is O(n²)) */
  sample?: number
  signal?: AbortSignal
  onProgress?: (fraction: number) => void
}

export interface Sweep {
  k: number[]
  inertia: number[]
  /** null where it is undefined (k = 1) */
  silhouette: (number | null)[]
  /** rows each silhouette was computed on */
  sample: number
  suggested: number
}

/**
 * Runs k-means for every k in from…to. The suggestion is the k with the highest mean silhouette
 * (the smaller k on a tie): inertia always falls as k grows, so its "elbow" is a judgement call,
 * while the silhouette peaks where clusters are both tight and apart.
 */
export async function sweepK(
  data: Float32Array,
  n: number,
  dim: number,
  options: SweepOptions,
): Promise<Sweep> {
  const { from, to, seed = 0, nInit = 3, sample = 5000, signal, onProgress } = options
  if (!(from >= 1 && to >= from && to <= n))
    throw new Error(`k must range over 1…${n} (the number of rows), got ${from}…${to}`)
  const sweep: Sweep = {
    k: [],
    inertia: [],
    silhouette: [],
    sample: Math.min(sample, n),
    suggested: from,
  }
  let best = -Infinity
  const steps = to - from + 1
  for (let k = from; k <= to; k++) {
    const step = k - from
    const result = await kmeans(data, n, dim, {
      k,
      nInit,
      seed,
      signal,
      onProgress: (fraction) => onProgress?.((step + fraction * 0.9) / steps),
    })
    const score = k > 1 ? silhouette(data, dim, result.assignments, { sample, seed }).score : null
    sweep.k.push(k)
    sweep.inertia.push(result.inertia)
    sweep.silhouette.push(score)
    if (score !== null && score > best) {
      best = score
      sweep.suggested = k
    }
    onProgress?.((step + 1) / steps)
  }
  return sweep
}
