import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { RpcWorker } from '../../../../main/core/jobs/worker-rpc'
import type { WorkerEntry } from '../../../../main/core/worker-entry'
import type { EchoProtocol } from '../../../fixtures/workers/echo.worker'

// from source, as main/core/worker-entry.ts starts a worker in tests: tsx's require hook first
const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api')
const source = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'workers', 'echo.worker.ts')
const entry: WorkerEntry = {
  script: `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(source)})`,
  eval: true,
}

const started: RpcWorker<EchoProtocol>[] = []
function start(): RpcWorker<EchoProtocol> {
  const worker = new RpcWorker<EchoProtocol>(entry, 'the echo worker')
  started.push(worker)
  return worker
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((worker) => worker.terminate()))
})

describe('RpcWorker', () => {
  it('answers a typed request, moving the buffers named for transfer both ways', async () => {
    const worker = start()
    const values = new Float32Array([1, 2, 3])
    const answer = worker.invoke(
      { op: 'double', values, transfer: true },
      { transfer: [values.buffer] },
    )
    expect(values.byteLength).toBe(0) // moved, not copied
    const { values: doubled } = await answer
    expect([...doubled!]).toEqual([2, 4, 6])
  })

  it('copies a request whose buffers are not named', async () => {
    const worker = start()
    const values = new Float32Array([5])
    const { values: doubled } = await worker.invoke({ op: 'double', values, transfer: false })
    expect(values.byteLength).toBe(4)
    expect([...doubled!]).toEqual([10])
  })

  it('hears the notes of a request before its answer, and serves requests on one worker', async () => {
    const worker = start()
    const notes: number[] = []
    const first = await worker.invoke({ op: 'count', notes: 3 }, { onNote: (n) => notes.push(n) })
    const second = await worker.invoke({ op: 'count', notes: 0 })
    expect(notes).toEqual([0, 1, 2])
    // the worker kept its state: the same thread answered both
    expect([first.count, second.count]).toEqual([1, 2])
    expect(worker.busy).toBe(0)
  })

  it("throws a worker's error again with its message, and stays usable", async () => {
    const worker = start()
    await expect(worker.invoke({ op: 'fail', message: 'no such file: a.png' })).rejects.toThrow(
      'no such file: a.png',
    )
    expect(worker.usable).toBe(true)
    expect((await worker.invoke({ op: 'count', notes: 0 })).count).toBe(2)
  })

  it('terminates the worker on abort, rejecting with the reason', async () => {
    const worker = start()
    const controller = new AbortController()
    const hanging = worker.invoke({ op: 'hang' }, { signal: controller.signal })
    const reason = new Error('The clustering was cancelled.')
    controller.abort(reason)
    await expect(hanging).rejects.toBe(reason)
    expect(worker.usable).toBe(false)
    await expect(worker.invoke({ op: 'count', notes: 0 })).rejects.toThrow('was stopped')
  })

  it('refuses a request whose signal is already aborted, without sending it', async () => {
    const worker = start()
    await expect(
      worker.invoke({ op: 'count', notes: 0 }, { signal: AbortSignal.abort(new Error('late')) }),
    ).rejects.toThrow('late')
    expect((await worker.invoke({ op: 'count', notes: 0 })).count).toBe(1)
  })

  it('fails what is in flight, and what comes after, when the worker dies', async () => {
    const failures: Error[] = []
    const worker = new RpcWorker<EchoProtocol>(entry, 'the echo worker', (e) => failures.push(e))
    started.push(worker)
    const hanging = expect(worker.invoke({ op: 'hang' })).rejects.toThrow(
      'the echo worker stopped with code 3',
    )
    await expect(worker.invoke({ op: 'crash' })).rejects.toThrow(
      'the echo worker stopped with code 3',
    )
    await hanging
    await expect(worker.invoke({ op: 'count', notes: 0 })).rejects.toThrow('stopped with code 3')
    expect(failures.map((e) => e.message)).toEqual(['the echo worker stopped with code 3'])
  })

  it('rejects what is in flight with the reason it is terminated for', async () => {
    const worker = start()
    const hanging = expect(worker.invoke({ op: 'hang' })).rejects.toThrow(
      'a decoding thread failed',
    )
    await worker.terminate(new Error('a decoding thread failed'))
    await hanging
  })
})
