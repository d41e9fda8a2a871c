// The child side of a compute process's channel (train.process.ts, decode.process.ts and the
// stored jobs of jobs/compute-child.ts): the same calls whether the process was forked by
// Node (process.send, 'message', 'disconnect') or started as an Electron utility process
// (process.parentPort, which has no 'disconnect': the parent's pid, passed by
// main/electron/utility-spawner.ts, is watched instead). The parent side is ./spawner.ts.
import { EventEmitter } from 'node:events'
import { parentPidArgument } from './spawner'
import { isAlive } from '../store/owners'

export interface ParentChannel {
  send(message: object): void
  onMessage<Message>(listener: (message: Message) => void): void
  /** the parent went away (closed or killed): nobody can follow or stop the work any more */
  onParentGone(listener: () => void): void
  /** the work is done: the process leaves */
  leave(): void
}

/** What this module uses of `process`: a fork's IPC, or a utility process's parentPort. */
export interface ChildProcessLike extends EventEmitter {
  argv: string[]
  send?: (message: object) => unknown
  disconnect?: () => void
  exit(code?: number): never
  parentPort?: {
    on(event: 'message', listener: (event: { data: unknown }) => void): unknown
    postMessage(message: unknown): void
  }
}

/** How often a utility process looks for its parent. */
export const parentPollMs = 1000

export function parentChannel(
  proc: ChildProcessLike = process as unknown as ChildProcessLike,
  alive: (pid: number) => boolean = isAlive,
): ParentChannel {
  const port = proc.parentPort
  if (!port)
    return {
      send: (message) => proc.send?.(message),
      onMessage: (listener) => proc.on('message', listener),
      onParentGone: (listener) => proc.on('disconnect', listener),
      leave: () => proc.disconnect?.(),
    }
  const gone = new EventEmitter()
  const argument = proc.argv.find((arg) => arg.startsWith(parentPidArgument))
  const parentPid = argument ? Number(argument.slice(parentPidArgument.length)) : NaN
  if (Number.isInteger(parentPid) && parentPid > 0) {
    const timer = setInterval(() => {
      if (alive(parentPid)) return
      clearInterval(timer)
      gone.emit('gone')
    }, parentPollMs)
    timer.unref() // the parentPort keeps the process alive; the watch must not
  }
  return {
    send: (message) => port.postMessage(message),
    onMessage: <Message>(listener: (message: Message) => void) =>
      port.on('message', (event) => listener(event.data as Message)),
    onParentGone: (listener) => gone.once('gone', listener),
    // a utility process's parentPort never closes from this side: leaving is exiting
    leave: () => proc.exit(0),
  }
}
