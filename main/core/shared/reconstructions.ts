// What the reconstruction views ask of the decoder, and what they get back. Plain types: the
// renderer imports this file.

/** Images as one byte array, count × height × width × channels. */
export interface ImageBatch {
  count: number
  width: number
  height: number
  channels: 1 | 3
  images: Uint8Array
}

/** A page of the reconstruction gallery: originals, reconstructions and difference heatmaps. */
export interface GalleryPage {
  /** images in the whole ordering (after the label filter) */
  total: number
  offset: number
  width: number
  height: number
  channels: 1 | 3
  /** dataset positions, in gallery order */
  positions: Int32Array
  errors: Float32Array
  paths: string[]
  labels: (string | null)[]
  originals: Uint8Array
  reconstructions: Uint8Array
  /** RGBA, width × height × 4 each: reconstruction − original, blue lost, red added */
  heatmaps: Uint8Array
}

export type NoiseKind = 'mask' | 'gaussian' | 'salt-pepper'

export type DecodeRequest =
  | {
      op: 'page'
      runId: number
      order: 'worst' | 'best'
      /** only this label (null: the unlabelled); absent: every image */
      label?: string | null
      /** only the members of one cluster */
      cluster?: { clusteringId: number; index: number }
      /** only these positions (an items filter's), and a key that names them */
      kept?: { positions: Int32Array; key: string }
      offset: number
      limit: number
    }
  | {
      op: 'denoise'
      runId: number
      positions: number[]
      kind: NoiseKind
      level: number
      seed: number
    }
  | { op: 'interpolate'; runId: number; from: number; to: number; steps: number }
  | { op: 'samples'; runId: number; count: number; seed: number }
  | { op: 'manifold'; runId: number; size: number; dims: [number, number]; base: number | null }
  | { op: 'sweep'; runId: number; position: number; dim: number; steps: number }
  | { op: 'filters'; runId: number }
  | { op: 'topActivating'; runId: number; unit: number; count: number }
  /** a run that ended without codes (interrupted): compute and store them from its checkpoint */
  | { op: 'embed'; runId: number }

export interface DenoiseResult {
  originals: ImageBatch
  corrupted: ImageBatch
  reconstructions: ImageBatch
}
