// Embeddings, clusters and layouts as one Parquet table (docs/data.md, "Data out"; docs/python.md
// for reading it): one row per item in the dataset's order, with its id, its path relative to the
// folder it was imported from, label, cluster and certainty (where a clustering is given), its
// reconstruction error, its code as a list of float32, and the 2-D and 3-D layouts where computed.
// The table pandas, DuckDB, Spark, Embedding Atlas and latent-scope read; written with
// hyparquet-writer, one row group per page of items.
import { relative, sep } from 'node:path'
import { ByteWriter, ParquetWriter } from 'hyparquet-writer'
import type { Clustering } from '../shared/clusterings'
import type { Projection } from '../shared/projections'
import { staged } from './files'
import { type EmbeddingsSource } from './embeddings'
import { shownPath } from './items'

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number]

export interface TableSource extends EmbeddingsSource {
  /** the folders and files the dataset was imported from: paths are written relative to them */
  roots: string[]
  /** `studio serve`'s upload folder: a path under no root is written as the user's own there */
  uploadsDir?: string
  clustering: Clustering | null
  /** the latest finished 2-D and 3-D layouts of the run's codes, where there are */
  layouts: Projection[]
}

/** The item's path relative to the folder it was imported from ('/'-separated), or as it is. */
export function relativeToRoot(path: string, roots: readonly string[]): string {
  let best: string | null = null
  for (const root of roots) {
    const inside = relative(root, path)
    if (inside === '' || inside.startsWith('..') || /^[\\/]|^[a-zA-Z]:/.test(inside)) continue
    if (best === null || inside.length < best.length) best = inside
  }
  if (best === null) {
    // an item of a dropped array file: `file.npy#3`, relative to that file's folder
    const hash = path.lastIndexOf('#')
    const file = hash > 0 ? path.slice(0, hash) : path
    const root = roots.find((r) => r === file)
    if (root) best = relative(`${root}${sep}..`, path)
  }
  return best === null ? path : best.split(sep).join('/')
}

const column = (
  name: string,
  type: 'INT32' | 'FLOAT' | 'BYTE_ARRAY',
  nullable: boolean,
): SchemaElement => ({
  name,
  type,
  repetition_type: nullable ? 'OPTIONAL' : 'REQUIRED',
})
const text = (name: string, nullable: boolean): SchemaElement => ({
  ...column(name, 'BYTE_ARRAY', nullable),
  converted_type: 'UTF8',
})

/** The columns' names and Parquet types, in order; `code` is a standard 3-level LIST of FLOAT. */
function schemaOf(source: TableSource): SchemaElement[] {
  const layoutColumns = source.layouts.flatMap(layoutNames)
  const fields: SchemaElement[][] = [
    [column('id', 'INT32', false)],
    [text('path', false)],
    [text('label', true)],
    ...(source.clustering
      ? [
          [column('cluster', 'INT32', false)],
          [text('cluster_name', false)],
          [column('certainty', 'FLOAT', true)],
        ]
      : []),
    [column('error', 'FLOAT', false)],
    [
      { name: 'code', repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      column('element', 'FLOAT', false),
    ],
    ...layoutColumns.map((name) => [column(name, 'FLOAT', false)]),
  ]
  return [{ name: 'root', num_children: fields.length }, ...fields.flat()]
}

/** x, y for a 2-D layout; x_3d, y_3d, z_3d for a 3-D one. */
function layoutNames(layout: Projection): string[] {
  return layout.params.dims === 2 ? ['x', 'y'] : ['x_3d', 'y_3d', 'z_3d']
}

/** Writes the table to `out`; returns the paths written. */
export function exportParquet(
  out: string,
  source: TableSource,
  overwrite = false,
): Promise<string[]> {
  return staged(async (staging) => {
    const schema = schemaOf(source)
    const writer = new ByteWriter()
    const parquet = new ParquetWriter({
      writer,
      schema,
      createdBy: 'Autoencoder Studio',
      kvMetadata: [
        {
          key: 'studio.columns',
          value:
            'id: the item id; path: relative to the imported folder; code: float32 list (the mean for a VAE); ' +
            'error: reconstruction MSE per pixel; x, y / x_3d, y_3d, z_3d: the latest layouts of the codes',
        },
        ...source.layouts.map((layout) => ({
          key: `studio.layout.${layout.params.dims}d`,
          value: `projection ${layout.id}: ${layout.method} of the codes`,
        })),
        ...(source.clustering
          ? [
              {
                key: 'studio.clustering',
                value: `clustering ${source.clustering.id}: ${source.clustering.method}, k = ${source.clustering.k}`,
              },
            ]
          : []),
      ],
    })
    const { embeddings } = source
    const { dims, codes, errors } = embeddings
    const clustering = source.clustering
    let position = 0
    for await (const { items, rows } of source.pages()) {
      const count = rows.length
      const at = (i: number) => position + i
      const take = <T>(f: (i: number) => T) => Array.from({ length: count }, (_, i) => f(i))
      const columnData = [
        { name: 'id', data: Int32Array.from(items.ids) },
        {
          name: 'path',
          data: items.paths.map((path) => {
            const relative = relativeToRoot(path, source.roots)
            return relative === path ? shownPath(path, source.uploadsDir) : relative
          }),
        },
        { name: 'label', data: items.labels },
        ...(clustering
          ? [
              { name: 'cluster', data: take((i) => clustering.assignments![at(i)]) },
              {
                name: 'cluster_name',
                data: take((i) => clustering.names[clustering.assignments![at(i)]]),
              },
              {
                name: 'certainty',
                data: take((i) => (clustering.certainty ? clustering.certainty[at(i)] : null)),
              },
            ]
          : []),
        { name: 'error', data: Float32Array.from(rows, (row) => errors[row]) },
        {
          name: 'code',
          data: Array.from(rows, (row) => Array.from(codes.subarray(row * dims, (row + 1) * dims))),
        },
        ...source.layouts.flatMap((layout) =>
          layoutNames(layout).map((name, axis) => ({
            name,
            data: Float32Array.from(
              { length: count },
              (_, i) => layout.coords![at(i) * layout.params.dims + axis],
            ),
          })),
        ),
      ]
      await parquet.write({ columnData, rowGroupSize: Math.max(count, 1) })
      position += count
    }
    parquet.finish()
    await staging.write(out, new Uint8Array(writer.getBuffer()))
  }, overwrite)
}
