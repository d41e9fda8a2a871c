import { createHash } from 'node:crypto'
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs'
import { DatasetsStore } from '../../main/core/store/datasets-store'
import { openWorkspace } from '../../main/core/store/workspace'
import { tempWorkspaceFile } from './temp'

/** A closed workspace holding one dataset, `name`, of `count` 28 × 28 grey images. */
export function workspaceWithData(count = 2000, name = 'kept'): string {
  const file = tempWorkspaceFile()
  const db = openWorkspace(file)
  const store = new DatasetsStore(db)
  const id = store.create({
    name,
    width: 28,
    height: 28,
    channels: 'grey',
    options: { size: 28, channels: 'grey', fit: 'pad', background: 'black', maxPixels: 1e8 },
    sources: [],
  })
  store.addItems(
    id,
    0,
    Array.from({ length: count }, (_, i) => ({
      path: `${i}.png`,
      label: String(i % 10),
      pixels: new Uint8Array(784).map((_, p) => (i * 31 + p * 7) % 256),
      contentHash: null,
      duplicateOf: null,
    })),
  )
  store.markReady(id)
  db.close()
  return file
}

/** Writes `bytes` over the file at `position`, as a damaged disk would. */
export function overwrite(file: string, position: number, bytes: Buffer): void {
  const fd = openSync(file, 'r+')
  writeSync(fd, bytes, 0, bytes.length, position)
  closeSync(fd)
}

/** The file's SHA-256: equal before and after means it was left untouched. */
export const digest = (file: string) =>
  createHash('sha256').update(readFileSync(file)).digest('hex')
