// `studio serve`: the renderer, its WebSocket, an upload endpoint and export downloads on one
// loopback port, all behind a random token (see auth.ts).
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Duplex } from 'node:stream'
import type { Studio } from '../core/service'
import { authenticate, newToken, originAllowed, originOf, ownOrigins, tokenCookie } from './auth'
import { removeUploads, serveCallGuard } from './calls'
import { createServeExports } from './exports'
import { HttpError, sendError, sendJson, toHttpError } from './respond'
import { createSocketHub } from './socket'
import { contentSecurityPolicy, serveStatic } from './static-files'
import { sendTokenChangedPage, wantsPage } from './token-page'
import { defaultMaxUploadBytes, readJsonBody, receiveUpload, uploadTarget } from './upload'

export interface ServerOptions {
  studio: Pick<Studio, 'handlers' | 'onEvent'>
  /** 127.0.0.1 unless told otherwise */
  host?: string
  /** 0 picks a free port */
  port?: number
  /** the built renderer (out/renderer) */
  rendererDir: string
  /** where uploaded folders are written, one subfolder per upload id */
  uploadsDir: string
  /** a fixed token; a random one (32 bytes, hex) by default */
  token?: string
  /** largest file one upload may carry; 512 MiB by default */
  maxUploadBytes?: number
  /** the one folder exports may be written to on this machine; none: exports only download */
  writeDir?: string
  /** where downloads are prepared; a new folder in the system's temp folder by default */
  exportsWorkDir?: string
}

export interface RunningServer {
  /** the address to open, token included */
  url: string
  token: string
  port: number
  close(): Promise<void>
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolveListen((server.address() as AddressInfo).port)
    })
  })
}

const reasons: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }

/** Refuses an upgrade on the raw socket: there is no ServerResponse for it. */
function refuseUpgrade(socket: Duplex, error: HttpError): void {
  const body = JSON.stringify({ code: error.code, message: error.message })
  socket.end(
    `HTTP/1.1 ${error.status} ${reasons[error.status]}\r\nConnection: close\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  )
}

const unauthorized = () =>
  new HttpError(
    401,
    'unauthorized',
    'Open Autoencoder Studio with the URL `studio serve` printed: it carries the access token.',
  )
const foreignOrigin = () =>
  new HttpError(403, 'forbidden', 'Requests from other sites are not allowed.')

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1'
  const token = options.token ?? newToken()
  if (token.length < 16) throw new Error('The server token must be at least 16 characters.')
  const rendererDir = resolve(options.rendererDir)
  const uploadsDir = resolve(options.uploadsDir)
  const maxUploadBytes = options.maxUploadBytes ?? defaultMaxUploadBytes

  const server = createServer()
  const port = await listen(server, options.port ?? 0, host)
  // Everything below runs before the event loop can deliver the first request.
  const origin = originOf(host, port)
  const own = ownOrigins(host, port)
  const csp = contentSecurityPolicy([`ws://${origin.slice('http://'.length)}`])
  const handlers = options.studio.handlers
  const exports = createServeExports({
    handlers,
    uploadsDir,
    writeDir: options.writeDir ? resolve(options.writeDir) : undefined,
    workDir:
      options.exportsWorkDir ?? join(tmpdir(), `studio-exports-${randomBytes(6).toString('hex')}`),
  })
  const hub = createSocketHub({
    handlers,
    onEvent: (listener) => options.studio.onEvent(listener),
    guard: serveCallGuard({ handlers, uploadsDir, exports }),
  })

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const credential = authenticate(req, url, token, port)
    if (!credential) {
      if (req.method === 'GET' && wantsPage(req.headers.accept)) return sendTokenChangedPage(res)
      throw unauthorized()
    }
    // Like Jupyter: the token in the first URL becomes a cookie, so later requests need no query.
    const login = credential === 'query' ? { 'Set-Cookie': tokenCookie(port, token) } : undefined
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/session') return sendJson(res, 200, { ok: true }, login)
    if (path === '/upload' && req.method === 'DELETE') {
      // The page gives up an upload it will not import (cancelled, or a file failed).
      if (!originAllowed(req, own)) throw foreignOrigin()
      const target = uploadTarget(uploadsDir, url.searchParams.get('upload'), 'x')
      await removeUploads(uploadsDir, [target.dir.slice(uploadsDir.length + 1)])
      return sendJson(res, 200, { removed: true }, login)
    }
    if (path === '/exports') {
      if (req.method !== 'POST') throw new HttpError(405, 'method-not-allowed', 'Export with POST.')
      if (!originAllowed(req, own)) throw foreignOrigin()
      return sendJson(res, 200, await exports.prepare(await readJsonBody(req)), login)
    }
    const download = /^\/exports\/([0-9a-f]{24})$/.exec(path)
    if (download && (req.method === 'GET' || req.method === 'HEAD'))
      return exports.download(req, res, download[1], url.searchParams.get('key'))
    if (path === '/upload') {
      if (req.method !== 'POST') throw new HttpError(405, 'method-not-allowed', 'Upload with POST.')
      if (!originAllowed(req, own)) throw foreignOrigin()
      const target = uploadTarget(
        uploadsDir,
        url.searchParams.get('upload'),
        url.searchParams.get('path'),
      )
      await receiveUpload(req, target.file, maxUploadBytes)
      sendJson(res, 200, { dir: target.dir }, login)
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new HttpError(405, 'method-not-allowed', `${req.method} is not allowed here.`)
    await serveStatic(req, res, path, { rootDir: rendererDir, csp, headers: login })
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    answer(req, res).catch((error: unknown) => {
      const failure = toHttpError(error)
      if (failure.status === 500) console.error('[serve]', error)
      // A refused body may still be arriving: close the connection rather than read it all.
      sendError(res, failure, failure.status === 413 ? { Connection: 'close' } : undefined)
    })
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname !== '/ws')
      return refuseUpgrade(socket, new HttpError(404, 'not-found', 'The WebSocket is at /ws.'))
    if (!authenticate(req, url, token, port)) return refuseUpgrade(socket, unauthorized())
    if (!originAllowed(req, own)) return refuseUpgrade(socket, foreignOrigin())
    hub.accept(req, socket, head)
  })

  let closing: Promise<void> | undefined
  return {
    url: `${origin}/?token=${token}`,
    token,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolveClose) => {
        hub.close()
        server.close(() => resolveClose())
        server.closeAllConnections()
      }).then(() => exports.close())),
  }
}
