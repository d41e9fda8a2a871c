import { EventEmitter } from 'node:events'
import type { UtilityProcess } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { describeExits, parentPidArgument } from '../../../main/core/jobs/spawner'
import { utilitySpawner, type UtilityFork } from '../../../main/electron/utility-spawner'

function fakeFork() {
  const started: { path: string; args: string[]; child: ReturnType<typeof fakeChild> }[] = []
  function fakeChild() {
    return Object.assign(new EventEmitter(), {
      pid: 777 as number | undefined,
      stderr: new EventEmitter(),
      postMessage: vi.fn(),
      kill: vi.fn(() => true),
    })
  }
  const fork: UtilityFork = (path, args) => {
    const child = fakeChild()
    started.push({ path, args, child })
    return child as unknown as UtilityProcess
  }
  return { fork, started }
}

describe('utilitySpawner', () => {
  it('starts the entry with the parent pid, and carries messages both ways', () => {
    const { fork, started } = fakeFork()
    const child = utilitySpawner(
      fork,
      1234,
    )({ path: '/app/out/main/train-process.js', execArgv: [] })
    const { child: utility, args, path } = started[0]
    expect(path).toBe('/app/out/main/train-process.js')
    expect(args).toEqual([`${parentPidArgument}1234`])
    const heard: unknown[] = []
    child.onMessage((message) => heard.push(message))
    utility.emit('message', { type: 'epoch' })
    child.send({ type: 'pause' })
    expect(heard).toEqual([{ type: 'epoch' }])
    expect(utility.postMessage).toHaveBeenCalledWith({ type: 'pause' })
    expect(child.pid).toBe(777)
  })

  it('reports an exit with its code and the last stderr line, then counts as disconnected', () => {
    const { fork, started } = fakeFork()
    const child = utilitySpawner(fork)({ path: 'p.js', execArgv: [] })
    const describe = describeExits(child, 'projection')
    const errors: string[] = []
    child.onExit((code, signal) => errors.push(describe(code, signal)))
    const { child: utility } = started[0]
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    utility.stderr.emit('data', Buffer.from('loading\nRangeError: too big\n'))
    vi.mocked(process.stderr.write).mockRestore()
    expect(child.connected).toBe(true)
    utility.emit('exit', 3)
    expect(child.connected).toBe(false)
    expect(errors).toEqual([
      'The projection process stopped unexpectedly (it exited with code 3). Its last message: RangeError: too big',
    ])
  })

  it('forgets its listeners on request but still knows when the process is gone', () => {
    const { fork, started } = fakeFork()
    const child = utilitySpawner(fork)({ path: 'p.js', execArgv: [] })
    const onExit = vi.fn()
    child.onExit(onExit)
    child.removeAllListeners()
    child.kill()
    started[0].child.emit('exit', 0)
    expect(started[0].child.kill).toHaveBeenCalledOnce()
    expect(onExit).not.toHaveBeenCalled()
    expect(child.connected).toBe(false)
  })
})
