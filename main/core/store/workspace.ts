import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { StudioError } from '../errors'
import { migrations } from './migrations'

export type Workspace = Database.Database

export interface OpenOptions {
  /** Path of a better_sqlite3.node built for this runtime (Electron passes its own). */
  nativeBinding?: string
  /** Migrations to apply, for tests of older schema versions; all of them by default. */
  migrations?: readonly string[]
}

/** Opens (creating if needed) a workspace file and brings its schema up to date. */
export function openWorkspace(file: string, options: OpenOptions = {}): Workspace {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file, { nativeBinding: options.nativeBinding })
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db, options.migrations ?? migrations)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

export function schemaVersion(db: Workspace): number {
  return db.pragma('user_version', { simple: true }) as number
}

function migrate(db: Workspace, steps: readonly string[]): void {
  const from = schemaVersion(db)
  if (from > steps.length)
    throw new StudioError(
      'internal',
      `This workspace was written by a newer Autoencoder Studio (schema ${from}, this one knows ${steps.length}). Update the app to open it.`,
    )
  for (let version = from; version < steps.length; version++) {
    db.transaction(() => {
      db.exec(steps[version])
      db.pragma(`user_version = ${version + 1}`)
    })()
  }
}
