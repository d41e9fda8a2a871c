// A TensorBoard projector bundle (docs/data.md, "Data out"): vectors.tsv (codes), metadata.tsv
// (label, path, error), sprite.png (thumbnails) and projector_config.pbtxt tying them together.
// Written in one pass over the items, since reading the pixels is the slow part.
import { join } from 'node:path'
import { StudioError } from '../errors'
import { staged, type ExportProgress } from './files'
import type { EmbeddingsSource } from './embeddings'
import { maxSpriteSide, minThumbnailSide, Sprite, type ImageShape } from './sprite'
import { formatFloat32, tsvField } from './text'

export const projectorFiles = {
  vectors: 'vectors.tsv',
  metadata: 'metadata.tsv',
  sprite: 'sprite.png',
  config: 'projector_config.pbtxt',
  /** written only when the sprite could not hold every item */
  spriteNote: 'sprite-note.txt',
} as const

export interface ProjectorSource extends EmbeddingsSource {
  /** the name TensorBoard shows for the tensor */
  name: string
  image: ImageShape
}

export function exportProjector(
  folder: string,
  source: ProjectorSource,
  overwrite = false,
  { signal, onProgress }: ExportProgress = {},
): Promise<string[]> {
  const { embeddings, pages, image } = source
  // the items (the sprite's PNG and the config follow the last of them)
  const total = embeddings.rows
  return staged(async (staging) => {
    onProgress?.({ done: 0, total })
    const vectors = await staging.open(join(folder, projectorFiles.vectors))
    const metadata = await staging.open(join(folder, projectorFiles.metadata))
    await metadata.write('label\tpath\terror\n')
    const sprite = new Sprite(embeddings.rows, image)
    let drawn = 0
    for await (const { items, rows } of pages()) {
      const { dims, codes, errors } = embeddings
      const vectorLines = Array.from(rows, (row) => {
        const code = codes.subarray(row * dims, (row + 1) * dims)
        return Array.from(code, formatFloat32).join('\t') + '\n'
      })
      await vectors.write(vectorLines.join(''))
      const metadataLines = Array.from(
        rows,
        (row, i) =>
          `${tsvField(items.labels[i])}\t${tsvField(items.paths[i])}\t${formatFloat32(errors[row])}\n`,
      )
      await metadata.write(metadataLines.join(''))
      sprite.draw(drawn, items.pixels)
      drawn += rows.length
      if (signal?.aborted)
        throw new StudioError('cancelled', `Export cancelled after ${drawn} items.`)
      onProgress?.({ done: drawn, total })
    }
    const { layout } = sprite
    await staging.write(join(folder, projectorFiles.sprite), await sprite.png())
    await staging.write(
      join(folder, projectorFiles.config),
      projectorConfig(source.name, layout.cellWidth, layout.cellHeight),
    )
    if (layout.truncated)
      await staging.write(
        join(folder, projectorFiles.spriteNote),
        `The sprite shows the first ${layout.count} of ${embeddings.rows} items: TensorBoard reads one ` +
          `sprite of at most ${maxSpriteSide}×${maxSpriteSide} px, and even ${minThumbnailSide} px ` +
          `thumbnails of every item would not fit. The points after those have no thumbnail; ` +
          `vectors.tsv and metadata.tsv hold every item.\n`,
      )
    onProgress?.({ done: total, total })
  }, overwrite)
}

/** projector_config.pbtxt; paths are relative to the folder it sits in. */
export function projectorConfig(name: string, cellWidth: number, cellHeight: number): string {
  return [
    'embeddings {',
    `  tensor_name: ${protoString(name)}`,
    `  tensor_path: ${protoString(projectorFiles.vectors)}`,
    `  metadata_path: ${protoString(projectorFiles.metadata)}`,
    '  sprite {',
    `    image_path: ${protoString(projectorFiles.sprite)}`,
    `    single_image_dim: ${cellWidth}`,
    `    single_image_dim: ${cellHeight}`,
    '  }',
    '}',
    '',
  ].join('\n')
}

/** A protobuf text-format string literal. */
function protoString(text: string): string {
  const escaped = text
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t')
  return `"${escaped}"`
}
