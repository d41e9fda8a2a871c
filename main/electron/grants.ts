// The paths the desktop app may touch: only those the user chose. A folder or file picked in a
// native open dialog, or dropped on the window, may be read (it and everything under it); a file
// or folder chosen in a native save dialog may be written. The Electron transport refuses a
// datasets.import or an export that names any other path, so a page that goes astray cannot
// read or write files the user never pointed at.
import { isAbsolute, relative, resolve } from 'node:path'
import type { StudioErrorData } from '../core/shared/types'

function inside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

export class PathGrants {
  private readonly reads = new Set<string>()
  private readonly writes = new Set<string>()

  grantRead(path: string): void {
    if (isAbsolute(path)) this.reads.add(resolve(path))
  }

  grantWrite(path: string): void {
    if (isAbsolute(path)) this.writes.add(resolve(path))
  }

  mayRead(path: string): boolean {
    return isAbsolute(path) && [...this.reads].some((root) => inside(root, resolve(path)))
  }

  mayWrite(path: string): boolean {
    return isAbsolute(path) && [...this.writes].some((root) => inside(root, resolve(path)))
  }
}

const exportMethods = new Set(['clusterings.export', 'runs.exportOutliers', 'runs.export'])

/**
 * Why a call may not run with these grants, or null when it may (or names no path). Params are
 * looked at before the contract checks them: anything malformed is left to that check.
 */
export function refusal(
  grants: PathGrants,
  method: unknown,
  params: unknown,
): StudioErrorData | null {
  const p = (params ?? {}) as { paths?: unknown; out?: unknown }
  if (method === 'datasets.import' && Array.isArray(p.paths)) {
    const refused = p.paths.find((path) => typeof path === 'string' && !grants.mayRead(path))
    if (refused !== undefined)
      return {
        code: 'forbidden-path',
        message: `${String(refused)} was not chosen in this window: pick it with Import… or drop it on the window.`,
      }
  }
  if (typeof method === 'string' && exportMethods.has(method) && typeof p.out === 'string')
    if (!grants.mayWrite(p.out))
      return {
        code: 'forbidden-path',
        message: `${p.out} was not chosen in a save dialog: export again and choose where to save.`,
      }
  return null
}
