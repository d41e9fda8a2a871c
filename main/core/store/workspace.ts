import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
} from 'node:fs'
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
  /**
   * Run SQLite's quick_check before anything else: the app's own open does, so that a damaged
   * file is refused with a clear message; the compute processes it starts do not.
   */
  check?: boolean
}

/** Why a workspace cannot be written, and what the user can do about it. */
export interface ReadOnly {
  /** e.g. "it is on a read-only disk" */
  reason: string
  /** e.g. "copy it to a writable disk and open the copy" */
  advice: string
}

const readOnlyWorkspaces = new WeakMap<Workspace, ReadOnly>()

/** Why this open workspace is read-only; undefined when it can be written. */
export function readOnlyOf(db: Workspace): ReadOnly | undefined {
  return readOnlyWorkspaces.get(db)
}

/** The refusal of anything that would change a read-only workspace. */
export function readOnlyError(file: string, why: ReadOnly): StudioError {
  return new StudioError(
    'read-only',
    `The workspace ${file} is read-only (${why.reason}), so nothing in it can be changed; you can still look at it and export from it. To change it, ${why.advice}.`,
  )
}

/**
 * Opens (creating if needed) a workspace file and brings its schema up to date. A file that
 * cannot be written opens read-only (see readOnlyOf); one that is not a sound SQLite database is
 * refused with a StudioError and left exactly as it is.
 */
export function openWorkspace(file: string, options: OpenOptions = {}): Workspace {
  const readOnly = file === ':memory:' ? undefined : writeAccess(file)
  if (!readOnly && file !== ':memory:') writableJournals(file)
  const db = readOnly
    ? describeFailure(file, () => openReadOnly(file, readOnly, options.nativeBinding))
    : new Database(file, { nativeBinding: options.nativeBinding })
  try {
    describeFailure(file, () => {
      if (options.check) checkIntegrity(db, file)
      if (!readOnly) db.pragma('journal_mode = WAL')
    })
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db, options.migrations ?? migrations, file, readOnly)
    if (readOnly) readOnlyWorkspaces.set(db, readOnly)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

export function schemaVersion(db: Workspace): number {
  return db.pragma('user_version', { simple: true }) as number
}

function migrate(
  db: Workspace,
  steps: readonly string[],
  file: string,
  readOnly: ReadOnly | undefined,
): void {
  const from = schemaVersion(db)
  if (from > steps.length)
    throw new StudioError(
      'internal',
      `This workspace was written by a newer Autoencoder Studio (schema ${from}, this one knows ${steps.length}). Update the app to open it.`,
    )
  if (from < steps.length && readOnly)
    throw new StudioError(
      'read-only',
      `The workspace ${file} ${from === 0 ? 'is empty and has to be set up' : `was written by an older Autoencoder Studio (schema ${from}; this one needs ${steps.length}) and has to be updated`} before it can be opened, but it is read-only (${readOnly.reason}). To open it, ${readOnly.advice}.`,
    )
  for (let version = from; version < steps.length; version++) {
    db.transaction(() => {
      db.exec(steps[version])
      db.pragma(`user_version = ${version + 1}`)
    })()
  }
}

const onReadOnlyDisk: ReadOnly = {
  reason: 'it is on a read-only disk',
  advice: 'copy it to a writable disk and open the copy',
}

/**
 * Whether the workspace (and the folder where SQLite keeps its -wal and -shm files beside it)
 * can be written; why not when it cannot. A file not there yet needs a writable folder.
 */
function writeAccess(file: string): ReadOnly | undefined {
  const exists = existsSync(file)
  const folder = dirname(file)
  if (!exists && !existsSync(folder)) {
    try {
      mkdirSync(folder, { recursive: true })
      return undefined
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'EROFS' && code !== 'EACCES' && code !== 'EPERM') throw error
      throw cannotCreate(file, code)
    }
  }
  const denied = (path: string) => {
    try {
      accessSync(path, constants.W_OK)
      return undefined
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return code
      throw error
    }
  }
  const fileDenied = exists ? denied(file) : undefined
  const folderDenied = fileDenied ? undefined : denied(folder)
  const code = fileDenied ?? folderDenied
  if (!code) return undefined
  if (!exists) throw cannotCreate(file, code)
  if (code === 'EROFS') return onReadOnlyDisk
  if (fileDenied)
    return {
      reason: 'the file is read-only',
      advice: 'make the file writable (change its permissions), or copy it somewhere writable',
    }
  return {
    reason: 'its folder cannot be written, and SQLite keeps its journal files there',
    advice: 'make the folder writable, or copy the workspace somewhere writable',
  }
}

/**
 * SQLite gives the -wal and -shm files it makes the workspace's permissions: made while the file
 * was read-only, they stay read-only after it is made writable again, and SQLite could then not
 * write it. They get the file's permissions back (as far as this user may change them).
 */
function writableJournals(file: string): void {
  if (!existsSync(file)) return
  const mode = statSync(file).mode & 0o777
  for (const journal of [`${file}-wal`, `${file}-shm`]) {
    try {
      if ((statSync(journal).mode & 0o777) !== mode) chmodSync(journal, mode)
    } catch {
      // not there, or another user's: SQLite says what it cannot do
    }
  }
}

function cannotCreate(file: string, code: string): StudioError {
  return new StudioError(
    'read-only',
    `Cannot create a workspace at ${file}: ${code === 'EROFS' ? 'that disk is read-only' : 'its folder cannot be written'}. Choose another place for it (studio --db <file>).`,
  )
}

/**
 * A read-only connection. A workspace in WAL mode needs its -shm file, which SQLite cannot make
 * in a folder it cannot write: such a workspace is read into memory instead, marked as a
 * rollback-journal database (header bytes 18 and 19), unless its -wal file holds changes that
 * only a -shm file would let SQLite read.
 */
function openReadOnly(file: string, why: ReadOnly, nativeBinding?: string): Workspace {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true, nativeBinding })
    try {
      db.pragma('schema_version') // reads page 1, where opening a WAL database fails
      return db
    } catch (error) {
      db.close()
      throw error
    }
  } catch (error) {
    // SQLITE_CANTOPEN on a read-only disk; SQLITE_READONLY_* in a folder this user cannot write
    const code = String((error as { code?: unknown }).code)
    if (code !== 'SQLITE_CANTOPEN' && !code.startsWith('SQLITE_READONLY')) throw error
  }
  const wal = `${file}-wal`
  if (existsSync(wal) && statSync(wal).size > 0)
    throw new StudioError(
      'read-only',
      `The workspace ${file} is read-only (${why.reason}), and its latest changes are still in ${wal}, which SQLite can only read where it can write. Copy both files to a writable disk and open the copy.`,
    )
  const image = readFileSync(file)
  if (image.length >= 100 && image[18] === 2 && image[19] === 2) image[18] = image[19] = 1
  return new Database(image, { readonly: true, nativeBinding })
}

/** Refuses a workspace whose pages fail SQLite's quick_check, naming the first problem. */
function checkIntegrity(db: Workspace, file: string): void {
  const problem = db.pragma('quick_check(1)', { simple: true }) as string
  if (problem !== 'ok')
    throw damaged(file, problem.replace(/^\*\*\* in database \w+ \*\*\*\s*/, ''))
}

function damaged(file: string, detail: string): StudioError {
  return new StudioError(
    'corrupt',
    `The workspace ${file} is damaged (${detail}) and was not opened; it was left exactly as it is. Restore it from a backup, or open another workspace (studio --db <file>). \`sqlite3 ${file} .recover\` can salvage what is still readable into a new file.`,
  )
}

/** Runs work on a just-opened file, turning SQLite's word for a file that is no database or a damaged one into a message. */
function describeFailure<T>(file: string, work: () => T): T {
  try {
    return work()
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === 'SQLITE_NOTADB')
      throw new StudioError(
        'corrupt',
        `${file} is not an Autoencoder Studio workspace: it is not a SQLite database at all (another kind of file, or one whose start was overwritten). It was left as it is. Open another workspace (studio --db <file>), or restore this one from a backup.`,
      )
    if (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))
      throw damaged(file, (error as Error).message)
    throw error
  }
}
