// A real `studio serve` on a free port over a fresh temp workspace, and a wire-format client for it.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { WebSocket, type ClientOptions, type RawData } from 'ws'
import type { Outcome } from '../../../main/core/dispatch'
import { Studio } from '../../../main/core/service'
import { decodeMessage, encodeMessage, type ServerMessage } from '../../../main/core/shared/wire'
import { startServer, type RunningServer, type ServerOptions } from '../../../main/serve/server'
import { tempDir } from '../../helpers/temp'

export const indexHtml =
  '<!doctype html><title>Autoencoder Studio</title><script src="/app.js"></script>'
export const secret = 'the contents of a file outside the renderer'

export interface TestServer {
  studio: Studio
  server: RunningServer
  base: string
  rendererDir: string
  uploadsDir: string
}

/** Starts a server for the current test; everything is closed and removed when the test ends. */
export async function startTestServer(extra: Partial<ServerOptions> = {}): Promise<TestServer> {
  const root = tempDir('studio-serve-')
  const rendererDir = join(root, 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), indexHtml)
  writeFileSync(join(rendererDir, 'app.js'), 'console.log("app")')
  writeFileSync(join(rendererDir, 'assets', 'style.css'), 'body{}')
  // A file beside the renderer folder: every path trick below tries to reach it.
  writeFileSync(join(root, 'secret.txt'), secret)
  const uploadsDir = join(root, 'uploads')
  const studio = new Studio({
    workspaceFile: join(root, 'workspace.sqlite'),
    resourcesDir: join(root, 'resources'),
    shell: 'test',
    version: '0.0.0-test',
  })
  const server = await startServer({ studio, rendererDir, uploadsDir, ...extra })
  onTestFinished(async () => {
    await server.close()
    studio.close()
  })
  return { studio, server, base: `http://127.0.0.1:${server.port}`, rendererDir, uploadsDir }
}

export function frameBytes(data: RawData): Uint8Array {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

export interface StudioSocket {
  ws: WebSocket
  call(method: string, params?: unknown): Promise<Outcome>
  /** every message the server sent that was not a reply to a call */
  nextEvent(): Promise<{ event: string; payload: unknown }>
  /** replies with ids no call of ours used (-1 for undecodable frames) */
  strays: ServerMessage[]
  close(): void
}

/** Opens a socket (rejects when the upgrade is refused, with the HTTP status in the message). */
export function connect(url: string, options: ClientOptions = {}): Promise<StudioSocket> {
  const ws = new WebSocket(url, options)
  const pending = new Map<number, (outcome: Outcome) => void>()
  const events: { event: string; payload: unknown }[] = []
  const waiting: ((event: { event: string; payload: unknown }) => void)[] = []
  const strays: ServerMessage[] = []
  let nextId = 1
  ws.on('message', (data) => {
    const message = decodeMessage(frameBytes(data)) as ServerMessage
    if (message.type === 'event') {
      const event = { event: message.event, payload: message.payload }
      const waiter = waiting.shift()
      if (waiter) waiter(event)
      else events.push(event)
      return
    }
    const resolve = pending.get(message.id)
    if (!resolve) {
      strays.push(message)
      return
    }
    pending.delete(message.id)
    resolve(
      message.type === 'result'
        ? { ok: true, result: message.result }
        : { ok: false, error: message.error },
    )
  })
  ws.on('close', () => {
    for (const resolve of pending.values())
      resolve({ ok: false, error: { code: 'closed', message: 'The socket closed.' } })
    pending.clear()
  })
  onTestFinished(() => ws.terminate())
  const socket: StudioSocket = {
    ws,
    strays,
    call(method, params = {}) {
      const id = nextId++
      return new Promise((resolve) => {
        pending.set(id, resolve)
        ws.send(encodeMessage({ type: 'call', id, method, params }))
      })
    },
    nextEvent() {
      const queued = events.shift()
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve))
    },
    close: () => ws.close(),
  }
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket))
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`refused with HTTP ${res.statusCode}`))
      ws.terminate()
    })
    ws.once('error', reject)
  })
}

export function socketUrl(test: TestServer, token: string | null = test.server.token): string {
  return `ws://127.0.0.1:${test.server.port}/ws${token === null ? '' : `?token=${token}`}`
}
