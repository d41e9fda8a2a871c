// A run's embeddings joined with its dataset's items, page by page in dataset order, so an export
// of a million items never holds more than one page of paths and pixels.
import { StudioError } from '../errors'
import type { ItemPage } from '../shared/types'
import type { DatasetsStore } from '../store/datasets-store'
import type { Embeddings } from '../store/runs-store'

export interface EmbeddedPage {
  /** the items, with paths, labels and H·W·C pixels */
  items: ItemPage
  /** the embeddings row of each item */
  rows: Int32Array
}

const pageSize = 2048

/**
 * An item's path as an export writes it: under `studio serve`'s upload folder, the path inside
 * the folder the user dropped (`digits/3/a.png`), not the server's copy; elsewhere as it is.
 */
export function shownPath(path: string, uploadsDir: string | undefined): string {
  if (!uploadsDir) return path
  const root = uploadsDir.replace(/[\\/]+$/, '')
  if (!path.startsWith(root) || !/[\\/]/.test(path.charAt(root.length))) return path
  const [, ...inside] = path.slice(root.length + 1).split(/[\\/]+/)
  return inside.length > 0 ? inside.join('/') : path
}

export async function* embeddedPages(
  datasets: DatasetsStore,
  datasetId: number,
  embeddings: Embeddings,
  runId: number,
  uploadsDir?: string,
): AsyncGenerator<EmbeddedPage> {
  const rowOfItem = new Map<number, number>()
  embeddings.itemIds.forEach((id, row) => rowOfItem.set(id, row))
  const mismatch = () =>
    new StudioError(
      'internal',
      `The embeddings of run ${runId} no longer match the items of its dataset: train the run again to export them.`,
    )
  let seen = 0
  for (let offset = 0; ; offset += pageSize) {
    const items = datasets.items(datasetId, offset, pageSize)
    if (items.ids.length === 0) break
    const rows = Int32Array.from(items.ids, (id) => rowOfItem.get(id) ?? -1)
    if (rows.includes(-1)) throw mismatch()
    seen += rows.length
    const paths = items.paths.map((path) => shownPath(path, uploadsDir))
    yield { items: { ...items, paths }, rows }
    if (offset + items.ids.length >= items.total) break
  }
  if (seen !== embeddings.rows) throw mismatch()
}

/** The codes of a page's rows, one after another. */
export function codesOf(embeddings: Embeddings, rows: Int32Array): Float32Array {
  const { dims, codes } = embeddings
  const out = new Float32Array(rows.length * dims)
  rows.forEach((row, i) => out.set(codes.subarray(row * dims, (row + 1) * dims), i * dims))
  return out
}
