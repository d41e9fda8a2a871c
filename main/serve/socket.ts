// The WebSocket half of `studio serve`: calls in, results and events out, in the binary wire format.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import { z } from 'zod'
import { dispatch, type Handlers, type Outcome } from '../core/dispatch'
import type { EventListener } from '../core/dispatch'
import { decodeMessage, encodeMessage, type ServerMessage } from '../core/shared/wire'

const callMessage = z.object({
  type: z.literal('call'),
  id: z.number().int().min(0),
  method: z.string().max(200),
  params: z.unknown(),
})

export interface SocketHubOptions {
  handlers: Handlers
  onEvent(listener: EventListener): () => void
  /** largest frame accepted; larger ones close the socket with 1009 */
  maxPayload?: number
  /** runs around each call (serve's path rules); `next` dispatches with the params it is given */
  guard?: CallGuard
}

export type CallGuard = (
  method: string,
  params: unknown,
  next: (params: unknown) => Promise<Outcome>,
) => Promise<Outcome>

export interface SocketHub {
  /** Takes over an upgrade that has already passed the token and Origin checks. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void
  close(): void
}

/** A view of the frame that decodeMessage may copy from safely (a ws Buffer can sit in a shared pool). */
function frameBytes(data: RawData): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  const buffer = Array.isArray(data) ? Buffer.concat(data) : data
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

function send(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState !== WebSocket.OPEN) return
  let frame: Uint8Array
  try {
    frame = encodeMessage(message)
  } catch (error) {
    if (message.type === 'event') return
    frame = encodeMessage({
      type: 'error',
      id: message.id,
      error: { code: 'internal', message: `The reply could not be encoded: ${String(error)}` },
    })
  }
  ws.send(frame, { binary: true })
}

/** Answers one frame. Never throws: a bad frame gets an error reply and the socket stays usable. */
async function answer(
  ws: WebSocket,
  handlers: Handlers,
  data: RawData,
  guard: CallGuard | undefined,
): Promise<void> {
  let decoded: unknown
  try {
    decoded = decodeMessage(frameBytes(data))
  } catch (error) {
    send(ws, {
      type: 'error',
      id: -1,
      error: { code: 'bad-params', message: `Malformed message: ${(error as Error).message}` },
    })
    return
  }
  const call = callMessage.safeParse(decoded)
  if (!call.success) {
    const id = (decoded as { id?: unknown })?.id
    send(ws, {
      type: 'error',
      id: typeof id === 'number' ? id : -1,
      error: {
        code: 'bad-params',
        message: 'Malformed message: expected {type: "call", id, method, params}.',
      },
    })
    return
  }
  const { id, method, params } = call.data
  const run = (checked: unknown) => dispatch(handlers, method, checked)
  const outcome = await (guard ? guard(method, params, run) : run(params)).catch(
    (error: unknown): Outcome => ({
      ok: false,
      error: { code: 'internal', message: error instanceof Error ? error.message : String(error) },
    }),
  )
  send(
    ws,
    outcome.ok
      ? { type: 'result', id, result: outcome.result }
      : { type: 'error', id, error: outcome.error },
  )
}

export function createSocketHub(options: SocketHubOptions): SocketHub {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload ?? 64 * 1024 * 1024,
  })
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        ws.close(1003, 'Only binary frames are understood.')
        return
      }
      void answer(ws, options.handlers, data, options.guard)
    })
    ws.on('error', () => ws.terminate())
  })
  const unsubscribe = options.onEvent((event, payload) => {
    if (wss.clients.size === 0) return
    let frame: Uint8Array
    try {
      frame = encodeMessage({ type: 'event', event, payload } satisfies ServerMessage)
    } catch (error) {
      console.error(`[serve] event ${event} could not be encoded`, error)
      return
    }
    for (const ws of wss.clients)
      if (ws.readyState === WebSocket.OPEN) ws.send(frame, { binary: true })
  })
  return {
    accept(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
    },
    close() {
      unsubscribe()
      for (const ws of wss.clients) ws.terminate()
      wss.close()
    },
  }
}
