import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  parentChannel,
  parentPollMs,
  type ChildProcessLike,
} from '../../../../main/core/jobs/parent-channel'
import { parentPidArgument } from '../../../../main/core/jobs/spawner'

function forkedProcess() {
  const proc = Object.assign(new EventEmitter(), {
    argv: ['node', 'train-process.js'],
    send: vi.fn(),
    disconnect: vi.fn(),
    exit: vi.fn(),
  })
  return proc as typeof proc & ChildProcessLike
}

function utilityProcess(argv: string[]) {
  const port = Object.assign(new EventEmitter(), { postMessage: vi.fn() })
  const proc = Object.assign(new EventEmitter(), { argv, parentPort: port, exit: vi.fn() })
  return { proc: proc as typeof proc & ChildProcessLike, port }
}

afterEach(() => vi.useRealTimers())

describe('parentChannel under fork', () => {
  it('carries messages over IPC, hears the parent leave, and leaves by disconnecting', () => {
    const proc = forkedProcess()
    const channel = parentChannel(proc)
    const received: unknown[] = []
    const gone = vi.fn()
    channel.onMessage((message) => received.push(message))
    channel.onParentGone(gone)
    proc.emit('message', { type: 'start' })
    channel.send({ type: 'started' })
    proc.emit('disconnect')
    channel.leave()
    expect(received).toEqual([{ type: 'start' }])
    expect(proc.send).toHaveBeenCalledWith({ type: 'started' })
    expect(gone).toHaveBeenCalledOnce()
    expect(proc.disconnect).toHaveBeenCalledOnce()
    expect(proc.exit).not.toHaveBeenCalled()
  })
})

describe('parentChannel in a utility process', () => {
  it("unwraps parentPort's message events, posts replies, and leaves by exiting", () => {
    const { proc, port } = utilityProcess(['electron', 'train-process.js'])
    const channel = parentChannel(proc)
    const received: unknown[] = []
    channel.onMessage((message) => received.push(message))
    port.emit('message', { data: { type: 'start', pixels: new Uint8Array([1, 2]) } })
    channel.send({ type: 'progress' })
    channel.leave()
    expect(received).toEqual([{ type: 'start', pixels: new Uint8Array([1, 2]) }])
    expect(port.postMessage).toHaveBeenCalledWith({ type: 'progress' })
    expect(proc.exit).toHaveBeenCalledWith(0)
  })

  it('says the parent is gone once the pid it was given no longer exists', () => {
    vi.useFakeTimers()
    const { proc } = utilityProcess(['electron', 'x.js', `${parentPidArgument}4242`])
    let parentAlive = true
    const asked: number[] = []
    const channel = parentChannel(proc, (pid) => (asked.push(pid), parentAlive))
    const gone = vi.fn()
    channel.onParentGone(gone)
    vi.advanceTimersByTime(parentPollMs * 3)
    expect(gone).not.toHaveBeenCalled()
    parentAlive = false
    vi.advanceTimersByTime(parentPollMs * 3)
    expect(gone).toHaveBeenCalledOnce()
    expect(new Set(asked)).toEqual(new Set([4242]))
  })

  it('watches nothing when no parent pid was passed', () => {
    vi.useFakeTimers()
    const { proc } = utilityProcess(['electron', 'x.js'])
    const alive = vi.fn(() => false)
    parentChannel(proc, alive).onParentGone(() => {})
    vi.advanceTimersByTime(parentPollMs * 3)
    expect(alive).not.toHaveBeenCalled()
  })
})
