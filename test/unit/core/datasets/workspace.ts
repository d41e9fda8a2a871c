// A fresh workspace per test, and the options most import tests start from.
import type { ImportOptions } from '../../../../main/core/shared/import-options'
import { DatasetsStore } from '../../../../main/core/store/datasets-store'
import { openWorkspace } from '../../../../main/core/store/workspace'
import type { ImportProgress, ItemPage } from '../../../../main/core/shared/types'
import { onTestFinished } from 'vitest'
import { tempWorkspaceFile } from '../../../helpers/temp'

export const baseOptions: ImportOptions = {
  size: 8,
  channels: 'grey',
  fit: 'pad',
  background: 'black',
  maxPixels: 100_000_000,
}

export function openStore(): { store: DatasetsStore; db: ReturnType<typeof openWorkspace> } {
  const db = openWorkspace(tempWorkspaceFile())
  onTestFinished(() => {
    db.close()
  })
  return { store: new DatasetsStore(db), db }
}

/** Every item of a dataset. */
export function allItems(store: DatasetsStore, datasetId: number): ItemPage {
  return store.items(datasetId, 0, 5000)
}

/** The pixels of item `index` of a page. */
export function itemPixels(page: ItemPage, index: number): Uint8Array {
  const size = page.width * page.height * page.channels
  return page.pixels.subarray(index * size, (index + 1) * size)
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += values[i]
  return sum / values.length
}

export type Progress = Omit<ImportProgress, 'jobId'>
