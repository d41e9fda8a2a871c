// The service side of the decoder: one long-lived process (decode.process.ts), started on the
// first request, that keeps models and pages warm; each request resolves with its reply. A
// process that dies fails what was pending with its reason, and the next request starts anew.
import { StudioError, type ErrorCode } from '../errors'
import type { DecodeRequest } from '../shared/reconstructions'
import { startProcess, type ComputeChild, type ProcessEntry, type Spawner } from '../jobs/spawner'
import type { FromDecoder, ToDecoder } from './decoder-messages'

interface Pending {
  resolve(result: unknown): void
  reject(error: Error): void
}

export class Decoders {
  private child: ComputeChild | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  constructor(
    private readonly options: {
      entry: ProcessEntry
      spawn: Spawner
      workspaceFile: string
      nativeBinding?: string
    },
  ) {}

  request<T>(request: DecodeRequest): Promise<T> {
    const child = this.child ?? this.start()
    const requestId = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (result: unknown) => void, reject })
      const message: ToDecoder = { type: 'request', requestId, request }
      child.send(message)
    })
  }

  /** A run's model changed (it was trained on, or deleted): forget what was decoded from it. */
  forget(): void {
    this.stop()
  }

  stop(): void {
    const child = this.child
    this.child = null
    if (!child) return
    child.removeAllListeners()
    child.kill()
    this.failPending('The decoder was stopped.')
  }

  /** For tests that kill the process the way the system would. */
  get pid(): number | undefined {
    return this.child?.pid
  }

  private start(): ComputeChild {
    const { entry, spawn, workspaceFile, nativeBinding } = this.options
    const child = startProcess(spawn, entry, {
      noun: 'decoder',
      onExit: (error) => {
        if (this.child === child) this.child = null
        this.failPending(`${error} Ask again and it starts anew.`)
      },
    })
    child.onMessage((message: FromDecoder) => {
      const waiting = this.pending.get(message.requestId)
      if (!waiting) return
      this.pending.delete(message.requestId)
      if (message.type === 'reply') waiting.resolve(message.result)
      else waiting.reject(new StudioError(message.error.code as ErrorCode, message.error.message))
    })
    const start: ToDecoder = { type: 'start', workspaceFile, nativeBinding }
    child.send(start)
    this.child = child
    return child
  }

  private failPending(message: string): void {
    for (const waiting of this.pending.values())
      waiting.reject(new StudioError('internal', message))
    this.pending.clear()
  }
}
