// Embeddings out (docs/data.md, "Data out"): one row per item in dataset order, as CSV
// (path,label,error,z0…), JSON ({dims, rows}) or .npy (float32 N×d) with a CSV of the rows' items.
import type { Embeddings } from '../store/runs-store'
import { float32Bytes, staged, type OutputFile } from './files'
import { codesOf, type EmbeddedPage } from './items'
import { npyFloat32Header } from './npy'
import { csvField, csvLineEnd, formatFloat32, jsonFloat32 } from './text'

export type EmbeddingsFormat = 'csv' | 'json' | 'npy'

export interface EmbeddingsSource {
  embeddings: Embeddings
  pages: () => AsyncIterable<EmbeddedPage>
}

/** Writes the file `out` (and for .npy its `.labels.csv`); returns the paths written. */
export function exportEmbeddings(
  out: string,
  format: EmbeddingsFormat,
  source: EmbeddingsSource,
  overwrite = false,
): Promise<string[]> {
  return staged(async (staging) => {
    if (format === 'csv') await writeCsv(await staging.open(out), source)
    else if (format === 'json') await writeJson(await staging.open(out), source)
    else await writeNpy(await staging.open(out), await staging.open(labelsPath(out)), source)
  }, overwrite)
}

/** `codes.npy` → `codes.labels.csv`: the items of the array's rows, in the same order. */
export function labelsPath(npyPath: string): string {
  return `${npyPath.replace(/\.npy$/i, '')}.labels.csv`
}

async function writeCsv(file: OutputFile, { embeddings, pages }: EmbeddingsSource) {
  const zs = Array.from({ length: embeddings.dims }, (_, k) => `,z${k}`).join('')
  await file.write(`path,label,error${zs}${csvLineEnd}`)
  for await (const page of pages()) {
    const lines = csvRows(page, embeddings).map(({ path, label, error, code }) => {
      let line = `${path},${label},${error}`
      for (const value of code) line += `,${formatFloat32(value)}`
      return line + csvLineEnd
    })
    await file.write(lines.join(''))
  }
}

async function writeJson(file: OutputFile, { embeddings, pages }: EmbeddingsSource) {
  const { dims, codes, errors } = embeddings
  await file.write(`{"dims":${dims},"rows":[`)
  let separator = '\n'
  for await (const { items, rows } of pages()) {
    const lines = Array.from(rows, (row, i) => {
      const code = Array.from(codes.subarray(row * dims, (row + 1) * dims), jsonFloat32)
      const line =
        `${separator}{"path":${JSON.stringify(items.paths[i])},"label":${JSON.stringify(items.labels[i])},` +
        `"error":${jsonFloat32(errors[row])},"code":[${code.join(',')}]}`
      separator = ',\n'
      return line
    })
    await file.write(lines.join(''))
  }
  await file.write('\n]}\n')
}

async function writeNpy(file: OutputFile, labels: OutputFile, source: EmbeddingsSource) {
  const { embeddings, pages } = source
  await file.write(npyFloat32Header([embeddings.rows, embeddings.dims]))
  await labels.write(`path,label,error${csvLineEnd}`)
  for await (const page of pages()) {
    await file.write(float32Bytes(codesOf(embeddings, page.rows)))
    const lines = csvRows(page, embeddings).map(
      ({ path, label, error }) => `${path},${label},${error}${csvLineEnd}`,
    )
    await labels.write(lines.join(''))
  }
}

/** The items of a page as CSV fields (path and label quoted as needed), with their codes. */
function csvRows({ items, rows }: EmbeddedPage, { dims, codes, errors }: Embeddings) {
  return Array.from(rows, (row, i) => ({
    path: csvField(items.paths[i]),
    label: csvField(items.labels[i]),
    error: formatFloat32(errors[row]),
    code: codes.subarray(row * dims, (row + 1) * dims),
  }))
}
