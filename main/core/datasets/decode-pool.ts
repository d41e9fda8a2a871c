// Worker threads that decode image files (decode.worker.ts), so that both cores run the
// JavaScript PNG and JPEG readers while the main thread stores items. Where no worker script
// can be found (a build without the decode-worker entry) the import decodes on the main thread.
import { Worker } from 'node:worker_threads'
import { workerEntry } from '../worker-entry'
import type { PixelOptions } from './decode'
import type { DecodeReply, DecodeRequest } from './decode.worker'
import type { ImageSource, Outcome } from './tasks'

interface Waiting {
  resolve: (outcomes: Outcome[]) => void
  reject: (error: Error) => void
}

export class DecodePool {
  private readonly waiting = new Map<number, Waiting>()
  /** requests in flight per worker */
  private readonly load: number[]
  private nextId = 0
  private failure: Error | null = null
  private closed = false

  private constructor(private readonly workers: Worker[]) {
    this.load = workers.map(() => 0)
    workers.forEach((worker, index) => {
      worker.on('message', ({ id, outcomes }: DecodeReply) => {
        this.load[index]--
        this.waiting.get(id)?.resolve(outcomes)
        this.waiting.delete(id)
      })
      worker.on('error', (error) => this.fail(error))
      worker.on('exit', (code) => this.fail(new Error(`a decoding thread stopped (code ${code})`)))
    })
  }

  /** `threads` workers, or null when there is no worker script to start. */
  static start(threads: number): DecodePool | null {
    const entry = workerEntry('decode', import.meta.dirname)
    if (!entry || threads < 1) return null
    return new DecodePool(
      Array.from({ length: threads }, () => new Worker(entry.script, { eval: entry.eval })),
    )
  }

  /** The outcomes of one image file, decoded by the least busy worker. */
  decode(source: ImageSource, options: PixelOptions): Promise<Outcome[]> {
    if (this.failure) return Promise.reject(this.failure)
    const index = this.load.indexOf(Math.min(...this.load))
    const id = this.nextId++
    this.load[index]++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.workers[index].postMessage({ id, source, options } satisfies DecodeRequest)
    })
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all(this.workers.map((worker) => worker.terminate()))
  }

  private fail(error: Error): void {
    if (this.closed) return
    this.failure ??= error
    for (const { reject } of this.waiting.values()) reject(error)
    this.waiting.clear()
  }
}
