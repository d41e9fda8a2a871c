import { describe, expect, it, vi } from 'vitest'
import { abortChild, abortError, closing, onAbort } from '../../../../main/core/jobs/cancel'
import type { ComputeChild } from '../../../../main/core/jobs/spawner'

function fakeChild(connected = true) {
  return {
    pid: 42,
    connected,
    send: vi.fn(),
    onMessage: vi.fn(),
    onExit: vi.fn(),
    onStderr: vi.fn(),
    kill: vi.fn(),
    removeAllListeners: vi.fn(),
  } satisfies ComputeChild
}

describe('onAbort', () => {
  it('acts once, with the reason, when the signal aborts', () => {
    const controller = new AbortController()
    const heard: unknown[] = []
    onAbort(controller.signal, (reason) => heard.push(reason))
    expect(heard).toEqual([])
    controller.abort('stop')
    controller.abort('again')
    expect(heard).toEqual(['stop'])
  })

  it('acts at once on a signal already aborted, and not at all once forgotten', () => {
    const heard: unknown[] = []
    onAbort(AbortSignal.abort('early'), (reason) => heard.push(reason))
    const controller = new AbortController()
    const forget = onAbort(controller.signal, (reason) => heard.push(reason))
    forget()
    controller.abort('late')
    expect(heard).toEqual(['early'])
  })
})

describe('abortChild', () => {
  it("tells the child process to cancel: its side turns 'cancel' back into an abort", () => {
    const child = fakeChild()
    const controller = new AbortController()
    abortChild(controller.signal, child)
    controller.abort()
    expect(child.send).toHaveBeenCalledWith({ type: 'cancel' })
    expect(child.kill).not.toHaveBeenCalled()
  })

  it('ends the process, unheard, when the app is closing', () => {
    const child = fakeChild()
    const controller = new AbortController()
    abortChild(controller.signal, child)
    controller.abort(closing)
    expect(child.removeAllListeners).toHaveBeenCalled()
    expect(child.kill).toHaveBeenCalled()
    expect(child.send).not.toHaveBeenCalled()
  })

  it('sends nothing to a process that has already gone', () => {
    const child = fakeChild(false)
    const controller = new AbortController()
    abortChild(controller.signal, child)
    controller.abort()
    expect(child.send).not.toHaveBeenCalled()
  })
})

describe('abortError', () => {
  it("is the signal's reason when that is an error, else an AbortError", () => {
    const reason = new Error('The app was closed.')
    expect(abortError(AbortSignal.abort(reason))).toBe(reason)
    expect(abortError(AbortSignal.abort('no'))).toMatchObject({ name: 'AbortError' })
  })
})
