// Plain data types shared by main/core and the renderer. No Node, no DOM.
import type { ImportOptions } from './import-options'

export type Channels = ImportOptions['channels']
export type Fit = ImportOptions['fit']
export type Background = ImportOptions['background']

export interface DatasetSummary {
  id: number
  name: string
  createdAt: string
  width: number
  height: number
  channels: Channels
  fit: Fit
  items: number
  skipped: number
  duplicates: number
  /** label name → count; empty when the data has no labels */
  labels: Record<string, number>
  /** items tagged with each set name (items.ts's itemSets: train, test); empty where none is */
  sets: Record<string, number>
  sources: string[]
}

export interface SkippedFile {
  path: string
  reason: string
}

export interface DuplicateFile {
  path: string
  sameAs: string
}

export interface ImportResult {
  datasetId: number
  items: number
  skipped: SkippedFile[]
  duplicates: DuplicateFile[]
  labels: Record<string, number>
  /** items per set, where the import held MNIST's train and test sets (tagged so); else empty */
  sets: Record<string, number>
  seconds: number
}

export interface ImportProgress {
  jobId: string
  phase: 'scanning' | 'decoding' | 'saving'
  done: number
  total: number
  skipped: number
  /** files per second over the decoding phase so far */
  rate: number
  /** seconds left at the current rate; null until a rate is known */
  eta: number | null
}

/** A page of a dataset's items, pixels as one typed array (row-major, HWC). */
export interface ItemPage {
  total: number
  offset: number
  width: number
  height: number
  channels: 1 | 3
  ids: Int32Array
  labels: (string | null)[]
  paths: string[]
  pixels: Uint8Array
}

/** Every item's label and folder (indices into the name lists, −1 for none) and path, in dataset order. */
export interface ItemFacets {
  labels: Int32Array
  labelNames: string[]
  folders: Int32Array
  folderNames: string[]
  paths: string[]
}

export interface AppInfo {
  version: string
  workspace: string
  shell: 'electron' | 'serve' | 'cli' | 'test'
  sampleAvailable: boolean
  /** why the workspace cannot be written (it opened read-only); null when it can */
  readOnly: { reason: string; advice: string } | null
}

/** One problem with a call's params: where it is (["config", "hidden", 0]) and what is wrong. */
export interface ParamIssue {
  path: (string | number)[]
  message: string
}

/** How errors cross every boundary: a code a program can test and a message a person can read. */
export interface StudioErrorData {
  code: string
  message: string
  /** bad-params: each problem with the params, for a form to show beside its field */
  issues?: ParamIssue[]
}
