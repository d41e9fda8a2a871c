import type { StudioErrorData } from './shared/types'

export type ErrorCode =
  | 'bad-params'
  | 'unknown-method'
  | 'not-found'
  | 'no-images'
  | 'not-readable'
  | 'cancelled'
  | 'unauthorized'
  /** an export would replace a file: ask the user, then call again with overwrite */
  | 'exists'
  /** a path the user did not choose (Electron) or outside the folder `studio serve` may write */
  | 'forbidden-path'
  | 'disk-full'
  /** the workspace cannot be written (a read-only file, folder or disk): it opened read-only */
  | 'read-only'
  /** the workspace file is not a SQLite database, or its pages are damaged */
  | 'corrupt'
  | 'internal'

/** An error whose message is written for the user and may be shown as is. */
export class StudioError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'StudioError'
  }
}

/** Turns anything thrown into the `{code, message}` that crosses a boundary. */
export function toErrorData(error: unknown): StudioErrorData {
  if (error instanceof StudioError) return { code: error.code, message: error.message }
  const nodeCode = (error as { code?: unknown })?.code
  if (nodeCode === 'ENOSPC' || nodeCode === 'SQLITE_FULL')
    return { code: 'disk-full', message: 'The disk is full: free some space and try again.' }
  const sqlite = typeof nodeCode === 'string' ? nodeCode : ''
  if (sqlite.startsWith('SQLITE_READONLY'))
    return {
      code: 'read-only',
      message:
        'The workspace is read-only, so this cannot be done; you can still look at it and export from it.',
    }
  if (sqlite.startsWith('SQLITE_CORRUPT'))
    return {
      code: 'corrupt',
      message: `The workspace is damaged (${(error as Error).message}): restore it from a backup.`,
    }
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'internal', message }
}

export function cancelled(): StudioError {
  return new StudioError('cancelled', 'Cancelled.')
}
