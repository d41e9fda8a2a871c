// Worker threads that decode image files (decode.worker.ts), so that both cores run the
// JavaScript PNG and JPEG readers while the main thread stores items. Where no worker script
// can be found (a build without the decode-worker entry) the import decodes on the main thread.
import { RpcWorker } from '../jobs/worker-rpc'
import { workerEntry } from '../worker-entry'
import type { PixelOptions } from './decode'
import type { DecodeProtocol } from './decode.worker'
import type { ImageSource, Outcome } from './tasks'

export class DecodePool {
  private readonly workers: RpcWorker<DecodeProtocol>[]
  private failure: Error | null = null

  private constructor(threads: number, entry: NonNullable<ReturnType<typeof workerEntry>>) {
    this.workers = Array.from(
      { length: threads },
      () => new RpcWorker<DecodeProtocol>(entry, 'a decoding thread', (error) => this.fail(error)),
    )
  }

  /** `threads` workers, or null when there is no worker script to start. */
  static start(threads: number): DecodePool | null {
    const entry = workerEntry('decode', import.meta.dirname)
    if (!entry || threads < 1) return null
    return new DecodePool(threads, entry)
  }

  /** The outcomes of one image file, decoded by the least busy worker. */
  decode(source: ImageSource, options: PixelOptions): Promise<Outcome[]> {
    if (this.failure) return Promise.reject(this.failure)
    const load = this.workers.map((worker) => worker.busy)
    return this.workers[load.indexOf(Math.min(...load))].invoke({ source, options })
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()))
  }

  /** One thread failed: what any thread still has in flight fails with the same reason. */
  private fail(error: Error): void {
    this.failure ??= error
    for (const worker of this.workers) void worker.terminate(error)
  }
}
