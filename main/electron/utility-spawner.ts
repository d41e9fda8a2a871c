// The app's compute processes as Electron utility processes: unlike child_process.fork from the
// main process, they need no ELECTRON_RUN_AS_NODE, so the packaged app turns the RunAsNode fuse
// off (electron-builder.yml). Messages cross as structured clones, as under fork's 'advanced'
// serialization; the child side is main/core/jobs/parent-channel.ts.
import { basename } from 'node:path'
import type { ForkOptions, UtilityProcess } from 'electron'
import {
  lowerPriority,
  parentPidArgument,
  type ComputeChild,
  type Spawner,
} from '../core/jobs/spawner'

/** Electron's utilityProcess.fork, passed in by main/index.ts. */
export type UtilityFork = (
  modulePath: string,
  args: string[],
  options: ForkOptions,
) => UtilityProcess

export function utilitySpawner(fork: UtilityFork, parentPid: number = process.pid): Spawner {
  return (entry) => {
    const child = fork(entry.path, [`${parentPidArgument}${parentPid}`], {
      execArgv: entry.execArgv,
      stdio: ['ignore', 'inherit', 'pipe'],
      serviceName: basename(entry.path, '.js'),
    })
    let exited = false
    const markExited = () => (exited = true)
    child.once('spawn', () => lowerPriority(child.pid))
    child.on('exit', markExited)
    const computeChild: ComputeChild = {
      get pid() {
        return child.pid
      },
      get connected() {
        return !exited
      },
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', listener),
      // a utility process reports only its exit code, never the signal that ended it
      onExit: (listener) => child.on('exit', (code) => listener(code, null)),
      onStderr: (listener) => child.stderr?.on('data', listener),
      kill: (signal) => {
        if (signal && signal !== 'SIGTERM' && child.pid) process.kill(child.pid, signal)
        else child.kill()
      },
      removeAllListeners: () => {
        child.removeAllListeners('message')
        child.removeAllListeners('exit')
        child.stderr?.removeAllListeners('data')
        child.on('exit', markExited)
      },
    }
    return computeChild
  }
}
