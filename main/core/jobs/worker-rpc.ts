// The one way the core talks to its worker threads: a typed request goes in, a promise of the
// typed response comes back, with notes (progress, partial results) heard on the way. Buffers
// named for transfer move instead of being copied; an error thrown in the worker is thrown
// again here with its message; and the worker lives until it is terminated explicitly, so a
// caller may keep it warm for the next request (kmeans.ts keeps idle ones). The worker side is
// `serveRequests` below. An abort terminates the worker: a thread stopped mid-request holds no
// state anyone could trust (docs/architecture.md, "Cancelling").
import { parentPort, Worker } from 'node:worker_threads'
import type { WorkerEntry } from '../worker-entry'
import { abortError, onAbort } from './cancel'

/** What a worker answers: its request, its response, and the notes it may send before it. */
export interface WorkerProtocol {
  request: unknown
  response: unknown
  note: unknown
}

type ToWorker<P extends WorkerProtocol> = { id: number; request: P['request'] }
type FromWorker<P extends WorkerProtocol> =
  | { id: number; note: P['note'] }
  | { id: number; response: P['response'] }
  | { id: number; error: string }

export interface InvokeOptions<P extends WorkerProtocol> {
  /** buffers of the request to move to the worker rather than copy */
  transfer?: ArrayBuffer[]
  /** aborting terminates the worker and rejects with the signal's reason */
  signal?: AbortSignal
  onNote?: (note: P['note']) => void
}

interface Pending<P extends WorkerProtocol> {
  resolve(response: P['response']): void
  reject(error: Error): void
  onNote?: (note: P['note']) => void
}

/** A worker thread that answers requests of protocol `P`. */
export class RpcWorker<P extends WorkerProtocol> {
  private readonly worker: Worker
  private readonly pending = new Map<number, Pending<P>>()
  private nextId = 0
  private failure: Error | null = null
  private terminated = false

  /** Starts the worker `entry`; `name` says which one failed, in an error message. */
  constructor(
    entry: WorkerEntry,
    private readonly name: string,
    private readonly onFailure?: (error: Error) => void,
  ) {
    this.worker = new Worker(entry.script, { eval: entry.eval })
    this.worker.on('message', (message: FromWorker<P>) => this.hear(message))
    this.worker.on('error', (error) => this.fail(error))
    this.worker.on('exit', (code) => this.fail(new Error(`${name} stopped with code ${code}`)))
  }

  /** Requests in flight. */
  get busy(): number {
    return this.pending.size
  }

  /** False once it has failed or been terminated: a new request would be refused. */
  get usable(): boolean {
    return !this.failure && !this.terminated
  }

  invoke(request: P['request'], options: InvokeOptions<P> = {}): Promise<P['response']> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.terminated) return Promise.reject(new Error(`${this.name} was stopped.`))
    const { signal, onNote, transfer = [] } = options
    if (signal?.aborted) return Promise.reject(abortError(signal))
    const id = this.nextId++
    return new Promise<P['response']>((resolve, reject) => {
      const forget = onAbort(signal, () => {
        this.pending.delete(id)
        void this.terminate()
        reject(abortError(signal!))
      })
      this.pending.set(id, {
        resolve: (response) => (forget(), resolve(response)),
        reject: (error) => (forget(), reject(error)),
        onNote,
      })
      this.worker.postMessage({ id, request } satisfies ToWorker<P>, transfer)
    })
  }

  /** Lets the process exit while the worker waits idle (or not, with `true`). */
  keepProcessAlive(keep: boolean): void {
    if (keep) this.worker.ref()
    else this.worker.unref()
  }

  /** Ends the worker; requests in flight are rejected, with `reason` when one is given. */
  async terminate(reason?: Error): Promise<void> {
    if (this.terminated) return
    this.terminated = true
    this.rejectAll(reason ?? new Error(`${this.name} was stopped.`))
    await this.worker.terminate()
  }

  private hear(message: FromWorker<P>): void {
    const waiting = this.pending.get(message.id)
    if (!waiting) return
    if ('note' in message) return waiting.onNote?.(message.note)
    this.pending.delete(message.id)
    if ('error' in message) waiting.reject(new Error(message.error))
    else waiting.resolve(message.response)
  }

  private fail(error: Error): void {
    if (this.terminated || this.failure) return
    this.failure = error
    this.rejectAll(error)
    this.onFailure?.(error)
  }

  private rejectAll(error: Error): void {
    const waiting = [...this.pending.values()]
    this.pending.clear()
    for (const { reject } of waiting) reject(error)
  }
}

/** What a request's handler may do besides answering: send notes, and name buffers to move. */
export interface RequestContext<P extends WorkerProtocol> {
  note(note: P['note'], transfer?: ArrayBuffer[]): void
}

/**
 * The worker side: answers each request with `handle`'s response (its `transfer` buffers
 * moved), or with the message of what it threw. Requests are handled as they come.
 */
export function serveRequests<P extends WorkerProtocol>(
  handle: (request: P['request'], context: RequestContext<P>) => Promise<P['response']>,
  transfer: (response: P['response']) => ArrayBuffer[] = () => [],
): void {
  const port = parentPort
  if (!port) throw new Error('serveRequests runs in a worker thread.')
  port.on('message', ({ id, request }: ToWorker<P>) => {
    const context: RequestContext<P> = {
      note: (note, buffers = []) => port.postMessage({ id, note } satisfies FromWorker<P>, buffers),
    }
    handle(request, context).then(
      (response) => port.postMessage({ id, response } satisfies FromWorker<P>, transfer(response)),
      (error: unknown) =>
        port.postMessage({
          id,
          error: error instanceof Error ? error.message : String(error),
        } satisfies FromWorker<P>),
    )
  })
}

/** The buffers under some typed arrays, for a transfer list. */
export function buffersOf(...arrays: (ArrayBufferView | null | undefined)[]): ArrayBuffer[] {
  return arrays.flatMap((array) => (array ? [array.buffer as ArrayBuffer] : []))
}
