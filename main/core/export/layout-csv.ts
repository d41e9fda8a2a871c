// A projection's layout as CSV (the UMAP comparison's "results also exportable as CSV"): one
// row per item in dataset order, its path, label and coordinates.
import type { ItemFacets } from '../shared/types'
import { staged } from './files'
import { csvField, csvLineEnd, formatFloat32 } from './text'

export function writeLayoutCsv(
  file: string,
  facets: ItemFacets,
  coords: Float32Array,
  dims: number,
): Promise<string[]> {
  const axes = ['x', 'y', 'z'].slice(0, dims)
  return staged(async (staging) => {
    const lines = [['path', 'label', ...axes].join(',')]
    for (let i = 0; i < facets.paths.length; i++) {
      const label = facets.labels[i] >= 0 ? facets.labelNames[facets.labels[i]] : null
      const values = axes.map((_, a) => formatFloat32(coords[i * dims + a]))
      lines.push([csvField(facets.paths[i]), csvField(label), ...values].join(','))
    }
    await staging.write(file, lines.join(csvLineEnd) + csvLineEnd)
  })
}
