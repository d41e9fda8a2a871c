// MNIST's train and test sets imported together keep their names: each item is tagged with its
// set (docs/data.md), and the dataset's summary, the items table and its exports say so.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { onTestFinished, describe, expect, it } from 'vitest'
import type { ItemQueryResult } from '../../main/core/shared/items'
import type { DatasetSummary, ImportResult } from '../../main/core/shared/types'
import { Studio } from '../../main/core/service'
import { writeIdxImages, writeIdxLabels } from '../fixtures/arrays'
import { call } from '../helpers/studio'
import { tempDir } from '../helpers/temp'

function studio(): Studio {
  const dir = tempDir('studio-sets-')
  const opened = new Studio({
    workspaceFile: join(dir, 'workspace.sqlite'),
    resourcesDir: join(import.meta.dirname, '..', '..', 'resources'),
    shell: 'test',
    version: 'test',
  })
  onTestFinished(() => opened.close())
  return opened
}

/**
 * MNIST's four files for `sets` (name → images), each gzipped, unpacked, or both as torchvision's
 * raw folders keep them; labels count 0, 1, 2… in each set.
 */
function mnistFolder(sets: Record<string, number>, forms: ('gzip' | 'plain')[]): string {
  const raw = join(tempDir('studio-mnist-'), 'FashionMNIST', 'raw')
  for (const [name, count] of Object.entries(sets))
    for (const form of forms) {
      const gzip = form === 'gzip'
      const ext = gzip ? '.gz' : ''
      writeIdxImages(raw, `${name}-images-idx3-ubyte${ext}`, { count, height: 8, width: 8, gzip })
      const labels = Array.from({ length: count }, (_, i) => i % 10)
      writeIdxLabels(raw, `${name}-labels-idx1-ubyte${ext}`, labels, gzip)
    }
  return raw
}

async function importFolder(s: Studio, folder: string): Promise<ImportResult> {
  return (await call(s, 'datasets.import', { paths: [folder], size: 8 })) as ImportResult
}

async function query(s: Studio, datasetId: number, filter: object = {}) {
  return (await call(s, 'items.query', { datasetId, filter, limit: 100 })) as ItemQueryResult
}

describe("MNIST's train and test sets", () => {
  it.each([
    ['gzipped and unpacked (a torchvision raw folder)', ['gzip', 'plain'] as const],
    ['gzipped only', ['gzip'] as const],
    ['unpacked only', ['plain'] as const],
  ])('%s: each item is tagged train or test, once', async (_, forms) => {
    const s = studio()
    const folder = mnistFolder({ train: 6, t10k: 4 }, [...forms])

    const result = await importFolder(s, folder)

    expect(result.items).toBe(10)
    expect(result.sets).toEqual({ train: 6, test: 4 })
    const summary = (await call(s, 'datasets.get', { id: result.datasetId })) as DatasetSummary
    expect(summary.sets).toEqual({ train: 6, test: 4 })
    // in path order: t10k's items first, each named by its set
    const { rows } = await query(s, result.datasetId)
    expect(rows.map((row) => [row.name.replace(/\.gz#/, '#'), row.tags])).toEqual([
      ...Array.from({ length: 4 }, (_, i) => [`t10k-images-idx3-ubyte#${i}`, ['test']]),
      ...Array.from({ length: 6 }, (_, i) => [`train-images-idx3-ubyte#${i}`, ['train']]),
    ])
    // the table's filter by tag keeps one set
    const test = await query(s, result.datasetId, { tags: ['test'] })
    expect(test.matched).toBe(4)
    expect(await call(s, 'items.tags', { datasetId: result.datasetId })).toEqual([
      { tag: 'test', count: 4 },
      { tag: 'train', count: 6 },
    ])
  })

  it('leave an import of one set, or of other files, untagged', async () => {
    const s = studio()
    const one = await importFolder(s, mnistFolder({ train: 3 }, ['gzip']))
    expect(one.sets).toEqual({})
    expect((await query(s, one.datasetId)).rows.every((row) => row.tags.length === 0)).toBe(true)
    const other = await importFolder(s, mnistFolder({ digits: 2, letters: 2 }, ['plain']))
    expect(other.items).toBe(4)
    expect(other.sets).toEqual({})
  })

  it("name each row's set in the items export, and the summary follows the tags", async () => {
    const s = studio()
    const { datasetId } = await importFolder(s, mnistFolder({ train: 3, t10k: 2 }, ['plain']))
    const out = join(tempDir(), 'items.csv')
    await call(s, 'items.export', { datasetId, format: 'csv', out })
    const [header, ...lines] = readFileSync(out, 'utf8').trim().split(/\r?\n/)
    const tags = header.split(',').indexOf('tags')
    expect(lines.map((line) => line.split(',')[tags])).toEqual([
      'test',
      'test',
      'train',
      'train',
      'train',
    ])
    // a set's tag taken off an item (or put on one) changes the dataset's counts
    const { rows } = await query(s, datasetId, { tags: ['test'] })
    await call(s, 'items.untag', { datasetId, ids: [rows[0].id], tag: 'test' })
    const summary = (await call(s, 'datasets.get', { id: datasetId })) as DatasetSummary
    expect(summary.sets).toEqual({ train: 3, test: 1 })
  })
})
