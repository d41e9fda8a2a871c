import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { openWorkspace, schemaVersion } from '../../../../main/core/store/workspace'
import { migrations } from '../../../../main/core/store/migrations'
import { DatasetsStore } from '../../../../main/core/store/datasets-store'
import { tempWorkspaceFile } from '../../../helpers/temp'

const options = {
  size: 28,
  channels: 'grey',
  fit: 'pad',
  background: 'black',
  maxPixels: 1e8,
} as const

describe('workspace', () => {
  it('migrates a fresh file to the latest schema with WAL and foreign keys on', () => {
    const file = tempWorkspaceFile()
    const db = openWorkspace(file)
    expect(schemaVersion(db)).toBe(migrations.length)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    db.close()
  })

  it('reopens a migrated file without migrating again and keeps its data', () => {
    const file = tempWorkspaceFile()
    const first = openWorkspace(file)
    const store = new DatasetsStore(first)
    const id = store.create({
      name: 'kept',
      width: 2,
      height: 2,
      channels: 'grey',
      options,
      sources: [],
    })
    store.markReady(id)
    first.close()
    const again = openWorkspace(file)
    expect(schemaVersion(again)).toBe(migrations.length)
    expect(new DatasetsStore(again).list().map((d) => d.name)).toEqual(['kept'])
    again.close()
  })

  it('migrates a file written at schema version 1, keeping its rows', () => {
    const file = tempWorkspaceFile()
    const old = openWorkspace(file, { migrations: migrations.slice(0, 1) })
    expect(schemaVersion(old)).toBe(1)
    old
      .prepare(
        `INSERT INTO datasets (name, status, width, height, channels, fit, options, sources)
         VALUES ('old', 'ready', 2, 2, 'grey', 'pad', '{}', '[]')`,
      )
      .run()
    old
      .prepare(
        `INSERT INTO items (dataset_id, position, path, label, pixels) VALUES (1, 0, 'a.png', 'x', ?)`,
      )
      .run(Buffer.from([1, 2, 3, 4]))
    old.close()

    const db = openWorkspace(file)
    expect(schemaVersion(db)).toBe(migrations.length)
    const store = new DatasetsStore(db)
    const [dataset] = store.list()
    expect(dataset).toMatchObject({ name: 'old', items: 1, duplicates: 0, labels: { x: 1 } })
    expect(Array.from(store.items(dataset.id, 0, 10).pixels)).toEqual([1, 2, 3, 4])
    db.close()
  })

  it('refuses a file from a newer version of the app', () => {
    const file = tempWorkspaceFile()
    const raw = new Database(file)
    raw.pragma(`user_version = ${migrations.length + 5}`)
    raw.close()
    expect(() => openWorkspace(file)).toThrow(/newer Autoencoder Studio/)
  })

  it('removes a dataset left half-imported by a killed process, items included', () => {
    const file = tempWorkspaceFile()
    const db = openWorkspace(file)
    const store = new DatasetsStore(db)
    const id = store.create({
      name: 'half',
      width: 1,
      height: 1,
      channels: 'grey',
      options,
      sources: [],
    })
    store.addItems(id, 0, [
      { path: 'a', label: null, pixels: new Uint8Array([9]), contentHash: null, duplicateOf: null },
    ])
    expect(store.list()).toEqual([])
    // the owner is asked about: a live one's import stays
    expect(store.removeUnfinished((owner) => owner !== null)).toEqual([])
    expect(store.removeUnfinished((owner) => owner === null)).toEqual([id])
    expect((db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n).toBe(0)
    db.close()
  })
})
