// The browser's stand-in for a local path: files dropped or picked in the page are posted one by
// one, keeping their place inside the folder, and the folder they land in is what gets imported.
import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { dirname, join, relative, isAbsolute } from 'node:path'
import { HttpError, toHttpError } from './respond'

export const defaultMaxUploadBytes = 512 * 1024 * 1024

const uploadId = /^[A-Za-z0-9_-]{1,64}$/

export interface UploadTarget {
  /** uploadsDir/<id>: the folder the browser then asks to import */
  dir: string
  file: string
}

/** Checks the upload id and the relative path; anything that could leave uploadsDir/<id> is a 400. */
export function uploadTarget(
  uploadsDir: string,
  id: string | null,
  path: string | null,
): UploadTarget {
  if (id === null || !uploadId.test(id))
    throw new HttpError(400, 'bad-params', 'The upload id must be 1–64 letters, digits, - or _.')
  if (!path)
    throw new HttpError(
      400,
      'bad-params',
      'The upload needs the path of the file inside its folder.',
    )
  if (path.includes('\0')) throw new HttpError(400, 'bad-params', 'The file path contains NUL.')
  if (/^([/\\]|[A-Za-z]:)/.test(path))
    throw new HttpError(400, 'bad-params', 'The file path must be relative to the dropped folder.')
  const segments = path.split(/[/\\]+/).filter((segment) => segment !== '' && segment !== '.')
  if (segments.some((segment) => segment === '..' || segment.includes(':')))
    throw new HttpError(400, 'bad-params', 'The file path must stay inside the dropped folder.')
  if (segments.length === 0) throw new HttpError(400, 'bad-params', 'The file path names no file.')
  const dir = join(uploadsDir, id)
  const file = join(dir, ...segments)
  const inside = relative(dir, file)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside))
    throw new HttpError(400, 'bad-params', 'The file path must stay inside the dropped folder.')
  return { dir, file }
}

/** A small JSON request body (at most 64 KiB). */
export async function readJsonBody(req: IncomingMessage, maxBytes = 64 * 1024): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > maxBytes) throw tooLarge(maxBytes)
    chunks.push(chunk)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown
  } catch {
    throw new HttpError(400, 'bad-params', 'The request body must be JSON.')
  }
}

function tooLarge(maxBytes: number): HttpError {
  const size =
    maxBytes >= 1024 * 1024 ? `${Math.round(maxBytes / 1024 / 1024)} MiB` : `${maxBytes} bytes`
  return new HttpError(413, 'too-large', `A file may be at most ${size}.`)
}

/**
 * Streams the request body to a temporary name beside the target and renames it into place, so a
 * half-received file never looks complete. Stops reading past maxBytes.
 */
export async function receiveUpload(
  req: IncomingMessage,
  file: string,
  maxBytes: number,
): Promise<void> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes)
  await mkdir(dirname(file), { recursive: true })
  const temp = `${file}.${randomBytes(6).toString('hex')}.part`
  const out = createWriteStream(temp, { flags: 'wx' })
  try {
    await new Promise<void>((resolve, reject) => {
      let received = 0
      let failed = false
      const fail = (error: unknown) => {
        if (failed) return
        failed = true
        req.unpipe(out)
        out.destroy()
        reject(error)
      }
      req.on('data', (chunk: Buffer) => {
        received += chunk.length
        if (received > maxBytes) fail(tooLarge(maxBytes))
      })
      req.on('error', fail)
      req.on('close', () => {
        if (!req.complete) fail(new HttpError(400, 'bad-request', 'The upload was interrupted.'))
      })
      out.on('error', fail)
      out.on('finish', () => {
        if (!failed) resolve()
      })
      req.pipe(out)
    })
    await rename(temp, file)
  } catch (error) {
    out.destroy()
    // Wait for the descriptor to close: Windows cannot delete an open file.
    if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()))
    await rm(temp, { force: true })
    throw toHttpError(error)
  }
}
