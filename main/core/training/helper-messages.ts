// What the training process's main thread and its helper threads (train.worker.ts) say to each
// other, and the shared-memory layout they agree on (data-parallel.ts builds and reads it).
import type { Shape3 } from '../models/conv'
import type { DeepClusteringMethod } from '../shared/clustering-methods'
import type { BackendName } from './backend'
import type { TrainConfig } from '../shared/train-config'

/** Where each variable sits in a flat buffer of all of them, and which ones each thread updates. */
export interface Layout {
  offsets: number[]
  sizes: number[]
  total: number
  /** per thread, the variables [from, to) whose optimiser step it takes */
  parts: [number, number][]
}

/** What a helper returns for its share: its gradients are in shared memory. */
export interface HelperOutcome {
  total: number
  terms: Record<string, number>
  rows: number
  /** with DCN's distance term: the share's codes and their nearest centres */
  code?: Float32Array
  assigned?: Int32Array
}

/** Deep clustering's refinement on the helpers (clustering/deep-cluster.ts). */
export interface HelperDeep {
  method: DeepClusteringMethod
  weight: number
  k: number
}

/** A share's part of deep clustering's step: P's rows (DEC, IDEC) or the centres (DCN). */
export interface HelperCluster {
  target: Float32Array | null
  centres: Float32Array | null
}

export interface HelperSetup {
  backend: BackendName
  config: TrainConfig
  image: Shape3
  /** bytes per image */
  size: number
  /** every image, shared with the main thread */
  pixels: Uint8Array
  /** the current weights; each thread writes the part it steps */
  weights: SharedArrayBuffer
  /** each thread's gradients of the current step, the main thread's first */
  gradients: SharedArrayBuffer[]
  layout: Layout
  /** this helper's number: its share, its part and its gradients */
  thread: number
  /** deep clustering's refinement, or null for training */
  deep: HelperDeep | null
}

export type HelperRequest =
  | {
      type: 'step'
      /** the images of this helper's share */
      rows: Int32Array
      /** the step's seed; the helper's noise is drawn from it and its thread number */
      seed: number
      /** deep clustering's part of the step for this share */
      cluster: HelperCluster | null
    }
  | {
      type: 'update'
      /** each thread's share of the batch's rows */
      weights: number[]
    }

export type HelperReply = HelperOutcome | { updated: true } | { error: string }
