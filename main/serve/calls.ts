// What `studio serve` adds around a socket call: imports only of what the browser uploaded,
// exports on this machine only under the write folder, item paths written as the user's own,
// and upload copies removed once nothing needs them (a failed or cancelled import, a deleted
// dataset).
import { rm } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import type { Handlers, Outcome } from '../core/dispatch'
import type { ServeExports } from './exports'
import { exportMethods } from './exports'

/** The upload ids (first folder under uploadsDir) that `paths` lie in. */
export function uploadIdsOf(paths: unknown[], uploadsDir: string): string[] {
  const root = resolve(uploadsDir)
  const ids = new Set<string>()
  for (const path of paths) {
    if (typeof path !== 'string' || !isAbsolute(path)) continue
    const rel = relative(root, resolve(path))
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue
    ids.add(rel.split(sep)[0])
  }
  return [...ids]
}

export async function removeUploads(uploadsDir: string, ids: string[]): Promise<void> {
  for (const id of ids) await rm(resolve(uploadsDir, id), { recursive: true, force: true })
}

export interface CallGuardOptions {
  handlers: Handlers
  uploadsDir: string
  exports: Pick<ServeExports, 'refusal'>
}

type Next = (params: unknown) => Promise<Outcome>

/** Runs one socket call through `next` with serve's rules around it. */
export function serveCallGuard(options: CallGuardOptions) {
  const { uploadsDir } = options
  return async (method: unknown, params: unknown, next: Next): Promise<Outcome> => {
    const p = (params ?? {}) as Record<string, unknown>
    if (method === 'datasets.import' && Array.isArray(p.paths)) {
      const outside = p.paths.find((path) => uploadIdsOf([path], uploadsDir).length === 0)
      if (outside !== undefined)
        return {
          ok: false,
          error: {
            code: 'forbidden-path',
            message: `${String(outside)} is not an upload: drop or pick the folder in this page to import it.`,
          },
        }
      const outcome = await next(params)
      if (!outcome.ok) await removeUploads(uploadsDir, uploadIdsOf(p.paths, uploadsDir))
      return outcome
    }
    if ((exportMethods as readonly unknown[]).includes(method)) {
      const refused = options.exports.refusal(method, params)
      if (refused) return { ok: false, error: refused }
      return next({ ...p, uploadsDir })
    }
    if (method === 'datasets.delete' && typeof p.id === 'number') {
      const paths = await Promise.resolve(options.handlers['datasets.facets']({ id: p.id })).then(
        (facets) => facets.paths,
        () => [],
      )
      const outcome = await next(params)
      if (outcome.ok) await removeUploads(uploadsDir, uploadIdsOf(paths, uploadsDir))
      return outcome
    }
    return next(params)
  }
}
