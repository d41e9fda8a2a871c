// The one place that knows how the renderer reaches the core: the Electron preload bridge
// (`window.studio`) when present, else a WebSocket to `studio serve`. Files in and out (uploads,
// downloads) are file-transfer.ts.
import { reactive, readonly } from 'vue'
import { decodeMessage, encodeMessage, type ServerMessage } from '@shared/wire'
import type { StudioErrorData } from '@shared/types'
import type { EventName, Events, MethodName, ParamsOf, ResultOf } from '../../main/core/contract'
import { ApiError, bridge } from './bridge'
import { showTokenChanged } from './token-changed'

export { ApiError } from './bridge'

export type ConnectionState = 'connecting' | 'open' | 'lost' | 'token-changed'

const connectionState = reactive({
  shell: bridge ? ('electron' as const) : ('browser' as const),
  state: (bridge ? 'open' : 'connecting') as ConnectionState,
  /** true from a drop of the socket until it is open again */
  retrying: false,
  /** when the next reconnection attempt happens (ms since epoch), while lost */
  retryAt: 0,
})
/** The transport's state, for the connection banner. Always 'open' in Electron. */
export const connection = readonly(connectionState)

type Listener = (payload: unknown) => void

// ---------------------------------------------------------------------------------------------
// WebSocket transport (browser, `studio serve`)

const tokenKey = 'studio-token'

/** Moves `?token=` from the address bar into sessionStorage, so it is not left on screen. */
function takeToken(): string | null {
  const url = new URL(location.href)
  const token = url.searchParams.get('token')
  if (token) {
    sessionStorage.setItem(tokenKey, token)
    url.searchParams.delete('token')
    history.replaceState(history.state, '', url.pathname + url.search + url.hash)
  }
  return sessionStorage.getItem(tokenKey)
}

class SocketClient {
  private socket: WebSocket | null = null
  private nextId = 1
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >()
  /** frames of calls made while disconnected, sent once the socket opens */
  private readonly outbox: Uint8Array[] = []
  private readonly listeners = new Map<string, Set<Listener>>()
  private attempts = 0
  private retryTimer: ReturnType<typeof setTimeout> | undefined

  constructor(private readonly url: string) {
    this.connect()
  }

  call(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++
    const frame = encodeMessage({ type: 'call', id, method, params })
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(frame)
      else this.outbox.push(frame)
    })
  }

  on(event: string, listener: Listener): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    set.add(listener)
    return () => set.delete(listener)
  }

  /** Skips the wait before the next reconnection attempt. */
  retryNow(): void {
    if (connectionState.state !== 'lost') return
    clearTimeout(this.retryTimer)
    this.connect()
  }

  private connect(): void {
    connectionState.state = 'connecting'
    const socket = new WebSocket(this.url)
    socket.binaryType = 'arraybuffer'
    this.socket = socket
    socket.onopen = () => {
      this.attempts = 0
      connectionState.state = 'open'
      connectionState.retrying = false
      for (const frame of this.outbox.splice(0)) socket.send(frame)
    }
    socket.onmessage = (event) => {
      if (event.data instanceof ArrayBuffer) this.receive(new Uint8Array(event.data))
    }
    socket.onclose = () => {
      if (this.socket !== socket) return
      this.socket = null
      // Calls in flight may or may not have run; their answers are gone either way.
      for (const { reject } of this.pending.values())
        reject(new ApiError('connection-lost', 'The connection to the app was lost.'))
      this.pending.clear()
      void this.afterClose()
    }
  }

  /**
   * A server that answers but refuses the token was restarted with a new one: retrying cannot
   * help, so the page says how to get back in. Any other failure (server down) is retried.
   */
  private async afterClose(): Promise<void> {
    const status = await fetch('/session', { credentials: 'same-origin', cache: 'no-store' }).then(
      (response) => response.status,
      () => 0,
    )
    if (status === 401) {
      connectionState.state = 'token-changed'
      connectionState.retrying = false
      showTokenChanged()
      return
    }
    this.scheduleReconnect()
  }

  private scheduleReconnect(): void {
    const delay = Math.min(10_000, 500 * 2 ** this.attempts)
    this.attempts++
    connectionState.state = 'lost'
    connectionState.retrying = true
    connectionState.retryAt = Date.now() + delay
    this.retryTimer = setTimeout(() => this.connect(), delay)
  }

  private receive(frame: Uint8Array): void {
    let message: ServerMessage
    try {
      message = decodeMessage(frame) as ServerMessage
    } catch (error) {
      console.error('Unreadable message from the server', error)
      return
    }
    if (message.type === 'event') {
      for (const listener of this.listeners.get(message.event) ?? []) listener(message.payload)
      return
    }
    const call = this.pending.get(message.id)
    if (!call) return
    this.pending.delete(message.id)
    if (message.type === 'result') call.resolve(message.result)
    else call.reject(errorOf(message.error))
  }
}

function socketUrl(token: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  const query = token ? `?token=${encodeURIComponent(token)}` : ''
  return `${scheme}://${location.host}/ws${query}`
}

const socket = bridge ? null : new SocketClient(socketUrl(takeToken()))

/** Reconnects at once instead of waiting for the backoff (browser mode). */
export function reconnectNow(): void {
  socket?.retryNow()
}

// ---------------------------------------------------------------------------------------------
// Calls and events

export async function call<M extends MethodName>(
  method: M,
  params: ParamsOf<M>,
): Promise<ResultOf<M>> {
  if (bridge) {
    const outcome = await bridge.call(method, params)
    if (!outcome.ok) throw errorOf(outcome.error)
    return outcome.result as ResultOf<M>
  }
  return (await socket!.call(method, params)) as ResultOf<M>
}

export function on<E extends EventName>(event: E, listener: (payload: Events[E]) => void) {
  const untyped = listener as Listener
  return bridge ? bridge.on(event, untyped) : socket!.on(event, untyped)
}

function errorOf({ code, message, issues }: StudioErrorData): ApiError {
  return new ApiError(code, message, issues)
}

/** Shapes anything thrown into the `{code, message, issues?}` the UI shows. */
export function errorData(error: unknown): StudioErrorData {
  if (error instanceof ApiError)
    return error.issues
      ? { code: error.code, message: error.message, issues: error.issues }
      : { code: error.code, message: error.message }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) }
}
