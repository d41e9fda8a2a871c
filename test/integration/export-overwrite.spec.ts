// Exports never replace a file the user did not agree to lose: a second export of the same
// clustering into the same folder names the same files and stops (code `exists`) before copying
// anything, or replaces them when told to; it never adds "name (2).png" copies.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it, onTestFinished } from 'vitest'
import { copyIntoFolders, exportClustersTable } from '../../main/core/export/clusters'
import type { Clustering } from '../../main/core/shared/clusterings'
import { DatasetsStore } from '../../main/core/store/datasets-store'
import { openWorkspace } from '../../main/core/store/workspace'
import { tempDir, tempWorkspaceFile } from '../helpers/temp'

const side = 4

/** Four items: two files named a.png in different folders, and two array rows (no file). */
function fixture() {
  const dir = tempDir('studio-overwrite-')
  const sources = join(dir, 'sources')
  for (const sub of ['x', 'y']) mkdirSync(join(sources, sub), { recursive: true })
  const paths = [
    join(sources, 'x', 'a.png'),
    join(sources, 'y', 'a.png'),
    join(sources, 'train.idx#2'),
    join(sources, 'train.idx#3'),
  ]
  writeFileSync(paths[0], 'first a')
  writeFileSync(paths[1], 'second a')
  const db = openWorkspace(tempWorkspaceFile())
  onTestFinished(() => {
    db.close()
  })
  const datasets = new DatasetsStore(db)
  const options = { size: side, channels: 'grey', fit: 'pad', background: 'black', maxPixels: 1e8 }
  const datasetId = datasets.create({
    name: 'four',
    width: side,
    height: side,
    channels: 'grey',
    options: options as never,
    sources: [],
  })
  // Each item's pixels are all its own value, so a PNG shows which item it was made from.
  datasets.addItems(
    datasetId,
    0,
    paths.map((path, i) => ({
      path,
      label: null,
      pixels: new Uint8Array(side * side).fill(40 * (i + 1)),
      contentHash: null,
      duplicateOf: null,
    })),
  )
  datasets.markReady(datasetId)
  const out = join(dir, 'out')
  return { datasets, datasetId, paths, out }
}

function listAll(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort()
}

describe('exports never overwrite without being told to', () => {
  it('names the same files on a second folder export and stops before copying any', async () => {
    const f = fixture()
    const source = {
      names: ['one', 'two'],
      group: Int32Array.from([0, 0, 1, 1]),
      datasetId: f.datasetId,
      paths: f.paths,
      datasets: f.datasets,
    }
    const first = await copyIntoFolders(f.out, source)
    expect(first.map((file) => file.slice(f.out.length + 1)).sort()).toEqual(
      [
        join('one', 'a (2).png'),
        join('one', 'a.png'),
        join('two', 'train.idx#2.png'),
        join('two', 'train.idx#3.png'),
      ].sort(),
    )
    const before = listAll(f.out)
    // The user edits one copy: a refused export must leave it as it is.
    writeFileSync(join(f.out, 'one', 'a.png'), 'edited by the user')

    await expect(copyIntoFolders(f.out, source)).rejects.toMatchObject({ code: 'exists' })
    expect(listAll(f.out)).toEqual(before)
    expect(readFileSync(join(f.out, 'one', 'a.png'), 'utf8')).toBe('edited by the user')

    const again = await copyIntoFolders(f.out, source, { overwrite: true })
    expect(again.sort()).toEqual([...first].sort())
    expect(listAll(f.out)).toEqual(before)
    expect(readFileSync(join(f.out, 'one', 'a.png'), 'utf8')).toBe('first a')
  })

  it("draws each left-out item's own pixels when earlier items are not exported", async () => {
    const f = fixture()
    const [file] = await copyIntoFolders(f.out, {
      names: ['outliers'],
      group: Int32Array.from([-1, -1, -1, 0]),
      datasetId: f.datasetId,
      paths: f.paths,
      datasets: f.datasets,
    })
    const { data } = await sharp(file).raw().toBuffer({ resolveWithObject: true })
    expect(data[0]).toBe(40 * 4)
  })

  it('refuses to replace a table file unless told to, and replaces it when told', async () => {
    const f = fixture()
    mkdirSync(f.out)
    const csv = join(f.out, 'clusters.csv')
    writeFileSync(csv, 'an older export\n')
    const clustering = {
      names: ['one', 'two'],
      assignments: Int32Array.from([0, 0, 1, 1]),
      distances: Float32Array.from([0.5, 0.25, 1, 2]),
      certainty: null,
    } as unknown as Clustering
    const source = {
      clustering,
      datasetId: f.datasetId,
      facets: { paths: f.paths, labels: Int32Array.from([-1, -1, -1, -1]), labelNames: [] },
      datasets: f.datasets,
    } as unknown as Parameters<typeof exportClustersTable>[2]
    await expect(exportClustersTable(csv, 'csv', source)).rejects.toMatchObject({ code: 'exists' })
    expect(readFileSync(csv, 'utf8')).toBe('an older export\n')
    expect(readdirSync(f.out)).toEqual(['clusters.csv'])
    await exportClustersTable(csv, 'csv', source, true)
    expect(readFileSync(csv, 'utf8').startsWith('path,cluster,name,distance,label')).toBe(true)
    expect(readdirSync(f.out)).toEqual(['clusters.csv'])
  })
})
