// Synthetic embeddings: k Gaussian blobs with known members, seeded. For the scatter's
// benchmark and end-to-end test, and for trying the view without a trained model.
import { seededRandom } from '@shared/random'

export interface Blobs {
  positions: Float32Array
  categories: Uint16Array
  /** n*3 blob centres, blob c at 3c */
  centers: Float32Array
}

/**
 * `count` points in `clusters` blobs (point i in blob i % clusters) with centres on a circle of
 * radius 1 (2D: z = 0) or spread over a sphere (3D), each blob a Gaussian of sd `spread`.
 */
export function gaussianBlobs(
  count: number,
  clusters = 10,
  { dims = 3, spread = 0.08, seed = 1 }: { dims?: 2 | 3; spread?: number; seed?: number } = {},
): Blobs {
  const next = seededRandom(seed)
  const centers = new Float32Array(clusters * 3)
  for (let c = 0; c < clusters; c++) {
    const angle = (2 * Math.PI * c) / clusters
    // 3D: a helix around the sphere, so no two blobs line up from the default view
    const z = dims === 3 ? Math.cos((Math.PI * (c + 0.5)) / clusters) : 0
    const ring = dims === 3 ? Math.sqrt(1 - z * z) : 1
    centers[c * 3] = Math.cos(angle) * ring
    centers[c * 3 + 1] = Math.sin(angle) * ring
    centers[c * 3 + 2] = z
  }
  const positions = new Float32Array(count * 3)
  const categories = new Uint16Array(count)
  for (let i = 0; i < count; i++) {
    const c = i % clusters
    categories[i] = c
    for (let k = 0; k < dims; k++) {
      // Box–Muller
      const g = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())
      positions[i * 3 + k] = centers[c * 3 + k] + g * spread
    }
  }
  return { positions, categories, centers }
}
