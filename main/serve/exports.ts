// Exports from `studio serve` leave through the browser: the page asks for an export by name, the
// server writes it into a private folder, and answers with a one-time download URL that streams
// the file, or a ZIP of the folder, then removes it. The server writes elsewhere only under the
// folder `studio serve --write-dir` was given, and only to absolute paths the user typed.
import { randomBytes } from 'node:crypto'
import { mkdir, rm, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { createReadStream } from 'node:fs'
import { dispatch, type Handlers } from '../core/dispatch'
import type { StudioErrorData } from '../core/shared/types'
import { baseHeaders, HttpError } from './respond'
import { filesUnder, zipStream } from './zip'

/** Every method of the contract that writes to `out` (test/unit/serve/export-methods.spec.ts holds it so). */
export const exportMethods = [
  'clusterings.export',
  'runs.exportOutliers',
  'runs.export',
  'items.export',
] as const
type ExportMethod = (typeof exportMethods)[number]
const isExportMethod = (method: unknown): method is ExportMethod =>
  (exportMethods as readonly unknown[]).includes(method)

/** A download waits this long for the browser before its files are removed. */
const unclaimedMs = 10 * 60 * 1000

interface Prepared {
  key: string
  dir: string
  name: string
  folder: boolean
  timer: ReturnType<typeof setTimeout>
}

/** A file name for the browser: no folders, nothing a desktop system refuses. */
export function downloadName(name: unknown): string {
  const cleaned = [...String(name ?? '')]
    .map((c) => (c.charCodeAt(0) < 32 || '<>:"/\\|?*'.includes(c) ? '_' : c))
    .join('')
    .replace(/^[. ]+|[. ]+$/g, '')
    .slice(0, 120)
  return cleaned || 'export'
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

export interface ServeExportsOptions {
  handlers: Handlers
  /** where downloads are prepared (removed when served, unclaimed or at close) */
  workDir: string
  uploadsDir: string
  /** the one folder `studio serve` may write exports to on this machine; none: downloads only */
  writeDir?: string
}

export function createServeExports(options: ServeExportsOptions) {
  const prepared = new Map<string, Prepared>()
  const forget = async (id: string) => {
    const entry = prepared.get(id)
    if (!entry) return
    prepared.delete(id)
    clearTimeout(entry.timer)
    await rm(entry.dir, { recursive: true, force: true })
  }

  return {
    /**
     * Why an export call over the socket may not run: `out` must be an absolute path under the
     * write folder. Null when it may; the call then writes item paths as the user's own.
     */
    refusal(method: unknown, params: unknown): StudioErrorData | null {
      if (!isExportMethod(method)) return null
      const out = (params as { out?: unknown } | null)?.out
      if (typeof out !== 'string') return null
      if (!options.writeDir)
        return {
          code: 'forbidden-path',
          message:
            'This server writes no files on its machine: download the export instead, or start `studio serve --write-dir FOLDER`.',
        }
      if (!isAbsolute(out))
        return {
          code: 'forbidden-path',
          message: `${out} is a relative path: write the full path of a place under ${options.writeDir}.`,
        }
      if (!inside(resolve(options.writeDir), resolve(out)))
        return {
          code: 'forbidden-path',
          message: `This server writes exports only under ${options.writeDir}.`,
        }
      return null
    },

    /** POST /exports {method, params, name}: runs the export into a private folder. */
    async prepare(body: unknown) {
      const { method, params, name } = (body ?? {}) as Record<string, unknown>
      if (!isExportMethod(method))
        throw new HttpError(400, 'bad-params', `Only ${exportMethods.join(', ')} download.`)
      const id = randomBytes(12).toString('hex')
      const dir = join(options.workDir, id)
      const fileName = downloadName(name)
      await mkdir(dir, { recursive: true })
      const outcome = await dispatch(options.handlers, method, {
        ...(params as object),
        out: join(dir, fileName),
        uploadsDir: options.uploadsDir,
        overwrite: false,
      })
      if (!outcome.ok) {
        await rm(dir, { recursive: true, force: true })
        const status = outcome.error.code === 'cancelled' ? 409 : 400
        throw new HttpError(
          outcome.error.code === 'internal' ? 500 : status,
          outcome.error.code,
          outcome.error.message,
        )
      }
      const folder = (await stat(join(dir, fileName))).isDirectory()
      const key = randomBytes(24).toString('hex')
      const timer = setTimeout(() => void forget(id), unclaimedMs)
      timer.unref()
      prepared.set(id, { key, dir, name: fileName, folder, timer })
      const files = (outcome.result as { files: string[] }).files.length
      return {
        url: `/exports/${id}?key=${key}`,
        name: folder ? `${fileName}.zip` : fileName,
        files,
      }
    },

    /** GET /exports/<id>?key=…: streams the export once, then removes it. */
    async download(req: IncomingMessage, res: ServerResponse, id: string, key: string | null) {
      const entry = prepared.get(id)
      if (!entry || key !== entry.key)
        throw new HttpError(
          404,
          'not-found',
          'This download has already been fetched or has expired: export again.',
        )
      prepared.delete(id)
      clearTimeout(entry.timer)
      try {
        const path = join(entry.dir, entry.name)
        const shown = entry.folder ? `${entry.name}.zip` : entry.name
        const headers = {
          ...baseHeaders,
          'Cache-Control': 'no-store',
          'Content-Disposition': `attachment; filename="${shown.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(shown)}`,
        }
        if (entry.folder) {
          const files = await filesUnder(path)
          res.writeHead(200, { ...headers, 'Content-Type': 'application/zip' })
          if (req.method === 'HEAD') return void res.end()
          await pipeline(Readable.from(zipStream(path, files, entry.name)), res)
        } else {
          const size = (await stat(path)).size
          res.writeHead(200, {
            ...headers,
            'Content-Type': 'application/octet-stream',
            'Content-Length': size,
          })
          if (req.method === 'HEAD') return void res.end()
          await pipeline(createReadStream(path), res)
        }
      } finally {
        await rm(entry.dir, { recursive: true, force: true })
      }
    },

    async close() {
      await Promise.all([...prepared.keys()].map(forget))
      await rm(options.workDir, { recursive: true, force: true })
    },
  }
}

export type ServeExports = ReturnType<typeof createServeExports>
