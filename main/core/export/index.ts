// PLACEHOLDER: being written (embeddings CSV/.npy/JSON, TensorBoard projector bundle, tfjs model).
import type { CheckedParamsOf } from '../contract'
import type { DatasetsStore } from '../store/datasets-store'
import type { RunsStore } from '../store/runs-store'

export interface ExportStores {
  runs: RunsStore
  datasets: DatasetsStore
}

export async function exportRun(
  _stores: ExportStores,
  _params: CheckedParamsOf<'runs.export'>,
): Promise<{ files: string[] }> {
  throw new Error('not written yet')
}
