// Serving the built renderer: shared by `studio serve` (HTTP) and the Electron `studio://` protocol.
import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, isAbsolute, join, relative, sep } from 'node:path'
import { baseHeaders, HttpError } from './respond'

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
}

export function contentTypeOf(file: string): string {
  return contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

export function isHtml(file: string): boolean {
  return extname(file).toLowerCase() === '.html'
}

/** The page may load and connect only to its own origin (plus the given WebSocket origins). */
export function contentSecurityPolicy(connectSources: readonly string[] = []): string {
  return [
    "default-src 'self'",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "img-src 'self' data: blob:",
    "style-src 'self' 'unsafe-inline'",
    "script-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

export type StaticPath =
  { ok: true; file: string } | { ok: false; status: 400 | 403; reason: string }

/**
 * Maps a URL path (still percent-encoded, query removed) to a file under rootDir. Decodes once,
 * then refuses NUL, any `..` segment (also written `%2e%2e`, `..%2f` or with backslashes), drive
 * letters and anything that would land outside rootDir. `/` means index.html.
 */
export function resolveStaticPath(rootDir: string, urlPath: string): StaticPath {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return { ok: false, status: 400, reason: 'The path is not valid percent-encoding.' }
  }
  if (decoded.includes('\0')) return { ok: false, status: 400, reason: 'The path contains NUL.' }
  const segments = decoded.split(/[/\\]+/).filter((segment) => segment !== '' && segment !== '.')
  if (segments.some((segment) => segment === '..' || segment.includes(':')))
    return { ok: false, status: 403, reason: 'The path leaves the app folder.' }
  const file = join(rootDir, ...(segments.length ? segments : ['index.html']))
  const inside = relative(rootDir, file)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside))
    return { ok: false, status: 403, reason: 'The path leaves the app folder.' }
  return { ok: true, file }
}

/** True when file, with symlinks resolved, is still inside rootDir. */
export async function staysInside(rootDir: string, file: string): Promise<boolean> {
  const [root, real] = await Promise.all([realpath(rootDir), realpath(file)])
  return real.startsWith(root + sep)
}

export interface StaticOptions {
  rootDir: string
  /** Content-Security-Policy for HTML responses */
  csp: string
  /** extra headers, e.g. a Set-Cookie */
  headers?: Record<string, string>
}

/**
 * Answers GET/HEAD with a file of the built renderer. A path without an extension that names no
 * file gets index.html, so a reload on a client-side route still opens the app.
 */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  urlPath: string,
  options: StaticOptions,
): Promise<void> {
  const resolved = resolveStaticPath(options.rootDir, urlPath)
  if (!resolved.ok)
    throw new HttpError(
      resolved.status,
      resolved.status === 403 ? 'forbidden' : 'bad-request',
      resolved.reason,
    )
  let file = resolved.file
  let info = await stat(file).catch(() => null)
  if (!info?.isFile() && extname(file) === '') {
    file = join(options.rootDir, 'index.html')
    info = await stat(file).catch(() => null)
  }
  if (!info?.isFile() || !(await staysInside(options.rootDir, file)))
    throw new HttpError(404, 'not-found', `Nothing at ${urlPath}.`)
  res.writeHead(200, {
    ...baseHeaders,
    'Content-Type': contentTypeOf(file),
    'Content-Length': info.size,
    'Cache-Control': isHtml(file) ? 'no-store' : 'no-cache',
    ...(isHtml(file) ? { 'Content-Security-Policy': options.csp } : {}),
    ...options.headers,
  })
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  const stream = createReadStream(file)
  stream.on('error', () => res.destroy())
  stream.pipe(res)
}
