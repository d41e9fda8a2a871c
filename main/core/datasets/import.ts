// PLACEHOLDER until the import pipeline lands (being written now).
import type { ImportOptions } from '../contract'
import type { ImportProgress, ImportResult } from '../shared/types'
import type { DatasetsStore } from '../store/datasets-store'

export interface ImportJob {
  signal?: AbortSignal
  onProgress?: (progress: Omit<ImportProgress, 'jobId'>) => void
}

export async function importDataset(
  _store: DatasetsStore,
  _paths: string[],
  _options: ImportOptions,
  _job: ImportJob = {},
): Promise<ImportResult> {
  throw new Error('not written yet')
}
