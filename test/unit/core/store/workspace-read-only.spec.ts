// A workspace that cannot be written opens read-only, WAL mode and all: it can be read, and
// what cannot be done (a write, a migration, reading a -wal without its -shm) is said clearly.
import { chmodSync, copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { DatasetsStore } from '../../../../main/core/store/datasets-store'
import { migrations } from '../../../../main/core/store/migrations'
import { openWorkspace, readOnlyOf } from '../../../../main/core/store/workspace'
import { noReadOnlyDisk, noReadOnlyFile, onReadOnlyDisk } from '../../../helpers/read-only'
import { tempWorkspaceFile } from '../../../helpers/temp'
import { workspaceWithData } from '../../../helpers/workspace'

const names = (file: string) => {
  const db = openWorkspace(file, { check: true })
  try {
    return new DatasetsStore(db).list().map((d) => [d.name, d.items])
  } finally {
    db.close()
  }
}

/** What opening `file` throws: its code and message. */
function refusal(file: string): { code?: string; message: string } {
  try {
    openWorkspace(file, { check: true }).close()
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message }
  }
  throw new Error(`${file} opened`)
}

/**
 * A copy of a workspace whose dataset was renamed to `renamed` by a process that has not ended:
 * the rename is only in its -wal file (indexed by its -shm); `withShm` false leaves the -shm out.
 */
function copyKilledMidway(withShm: boolean): string {
  const file = workspaceWithData(10)
  const writer = new Database(file)
  writer.pragma('wal_autocheckpoint = 0')
  writer.prepare(`UPDATE datasets SET name = 'renamed'`).run()
  const copy = join(tempWorkspaceFile())
  for (const suffix of ['', '-wal', ...(withShm ? ['-shm'] : [])])
    copyFileSync(file + suffix, copy + suffix)
  writer.close()
  return copy
}

describe('a workspace on a read-only disk', () => {
  it('opens read-only, saying why, and lists its datasets; writes fail', (ctx) => {
    if (noReadOnlyDisk) ctx.skip(noReadOnlyDisk)
    const [file] = onReadOnlyDisk(workspaceWithData(10))
    const db = openWorkspace(file, { check: true })
    expect(readOnlyOf(db)).toEqual({
      reason: 'it is on a read-only disk',
      advice: 'copy it to a writable disk and open the copy',
    })
    const store = new DatasetsStore(db)
    expect(store.list().map((d) => [d.name, d.items])).toEqual([['kept', 10]])
    expect(store.items(1, 0, 10).pixels.length).toBe(10 * 784)
    expect(() => store.rename(1, 'other')).toThrow(/readonly/)
    db.close()
  })

  it('shows the changes a killed process left in the -wal file', (ctx) => {
    if (noReadOnlyDisk) ctx.skip(noReadOnlyDisk)
    const copy = copyKilledMidway(true)
    const [file] = onReadOnlyDisk(copy, `${copy}-wal`, `${copy}-shm`)
    expect(names(file)).toEqual([['renamed', 10]])
  })

  it('refuses, naming the -wal file, when that file is there without its -shm', (ctx) => {
    if (noReadOnlyDisk) ctx.skip(noReadOnlyDisk)
    const copy = copyKilledMidway(false)
    const [file] = onReadOnlyDisk(copy, `${copy}-wal`)
    const error = refusal(file)
    expect(error.code).toBe('read-only')
    expect(error.message).toContain(`its latest changes are still in ${file}-wal`)
    expect(error.message).toMatch(/Copy both files to a writable disk/)
  })

  it('at an older schema: says it needs an update it cannot get there', (ctx) => {
    if (noReadOnlyDisk) ctx.skip(noReadOnlyDisk)
    const old = tempWorkspaceFile()
    openWorkspace(old, { migrations: migrations.slice(0, 3) }).close()
    const [file] = onReadOnlyDisk(old)
    const error = refusal(file)
    expect(error.code).toBe('read-only')
    expect(error.message).toContain(`The workspace ${file} was written by an older`)
    expect(error.message).toContain(`schema 3; this one needs ${migrations.length}`)
    expect(error.message).toMatch(/it is read-only \(it is on a read-only disk\)/)
  })

  it('cannot be created there, and says so', (ctx) => {
    if (noReadOnlyDisk) ctx.skip(noReadOnlyDisk)
    const [other] = onReadOnlyDisk(workspaceWithData(1))
    const file = join(other, '..', 'new.sqlite')
    const error = refusal(file)
    expect(error.code).toBe('read-only')
    expect(error.message).toBe(
      `Cannot create a workspace at ${file}: that disk is read-only. Choose another place for it (studio --db <file>).`,
    )
  })
})

describe('a read-only workspace file', () => {
  it('opens read-only, saying why, and can be written again once it is writable', (ctx) => {
    if (noReadOnlyFile) ctx.skip(noReadOnlyFile)
    const file = workspaceWithData(10)
    chmodSync(file, 0o444)
    const db = openWorkspace(file, { check: true })
    expect(readOnlyOf(db)?.reason).toBe('the file is read-only')
    expect(new DatasetsStore(db).list().map((d) => d.name)).toEqual(['kept'])
    db.close()
    // the -wal and -shm files SQLite made meanwhile were read-only like the file
    chmodSync(file, 0o644)
    const again = openWorkspace(file, { check: true })
    expect(readOnlyOf(again)).toBeUndefined()
    new DatasetsStore(again).rename(1, 'renamed')
    again.close()
    expect(names(file)).toEqual([['renamed', 10]])
  })

  it('in a folder that cannot be written opens read-only too', (ctx) => {
    if (noReadOnlyFile) ctx.skip(noReadOnlyFile)
    const file = workspaceWithData(10)
    const folder = join(file, '..')
    chmodSync(folder, 0o555)
    ctx.onTestFinished(() => chmodSync(folder, 0o755))
    const db = openWorkspace(file, { check: true })
    expect(readOnlyOf(db)?.reason).toMatch(/^its folder cannot be written/)
    db.close()
  })

  it('that is empty and cannot be written is no workspace to migrate', (ctx) => {
    if (noReadOnlyFile) ctx.skip(noReadOnlyFile)
    const file = tempWorkspaceFile()
    writeFileSync(file, '')
    chmodSync(file, 0o444)
    const error = refusal(file)
    expect(error.code).toBe('read-only')
    expect(error.message).toContain(`The workspace ${file} is empty and has to be set up`)
  })
})
