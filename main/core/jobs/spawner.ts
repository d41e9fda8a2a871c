// How the core starts a compute process (training, projection, clustering, decoding): one small
// interface, so the CLI and `studio serve` fork Node processes while the Electron app starts
// Electron utility processes (main/electron/utility-spawner.ts), which need no ELECTRON_RUN_AS_NODE.
// Every start goes through `startProcess` below, which also watches how the process ends; the
// child side of the same channel is ./parent-channel.ts.
import { fork } from 'node:child_process'
import { setPriority } from 'node:os'

/** A compute process's script and the Node flags it needs (`--import tsx` from source). */
export interface ProcessEntry {
  /** out/main/<name>-process.js, or the .ts source in tests */
  path: string
  execArgv: string[]
}

/** A started compute process, whichever way it was started. */
export interface ComputeChild {
  /** the process id, once it has started */
  readonly pid: number | undefined
  /** false once the process has exited: messages can no longer reach it */
  readonly connected: boolean
  /** sends a message; both spawners carry typed arrays (structured clone) */
  send(message: object): void
  onMessage<Message>(listener: (message: Message) => void): void
  /** the process ended; `signal` is null where the runtime reports only a code */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void
  onStderr(listener: (chunk: Buffer) => void): void
  /** stops the process (SIGTERM where signals exist) */
  kill(signal?: NodeJS.Signals): void
  /** forgets every listener set above: the process's end is no longer reported */
  removeAllListeners(): void
}

/** Starts `entry` as a compute process, below the UI's priority. */
export type Spawner = (entry: ProcessEntry) => ComputeChild

/** The argument that tells a child its parent's pid, for runtimes without a 'disconnect' event. */
export const parentPidArgument = '--studio-parent-pid='

/** Lowers a compute process below the UI's priority: on a busy machine the app stays responsive. */
export function lowerPriority(pid: number | undefined): void {
  if (!pid) return
  try {
    setPriority(pid, 10)
  } catch {
    // not permitted on this system: run at normal priority
  }
}

/** Node's child_process.fork, for the CLI, `studio serve` and the tests. */
export const forkSpawner: Spawner = (entry) => {
  const child = fork(entry.path, [], {
    execArgv: entry.execArgv,
    // structured clone, as a utility process's postMessage: typed arrays cross as they are
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  })
  lowerPriority(child.pid)
  return {
    get pid() {
      return child.pid
    },
    get connected() {
      return child.connected
    },
    send: (message) => child.send(message),
    onMessage: (listener) => child.on('message', listener as (message: unknown) => void),
    onExit: (listener) => child.on('exit', listener),
    onStderr: (listener) => child.stderr?.on('data', listener),
    kill: (signal = 'SIGTERM') => child.kill(signal),
    removeAllListeners: () => {
      child.removeAllListeners()
      child.stderr?.removeAllListeners('data')
    },
  }
}

/**
 * Watches a compute child's stderr (passing it on to this process's) and says how it ended in
 * words a user can read: what is `kept`, then the last line it wrote (the last "error" line
 * when `preferErrors`).
 */
export function describeExits(
  child: ComputeChild,
  noun: string,
  { preferErrors = false, kept = '' }: { preferErrors?: boolean; kept?: string } = {},
): (code: number | null, signal: NodeJS.Signals | null) => string {
  let stderr = ''
  child.onStderr((chunk) => {
    process.stderr.write(chunk)
    stderr = (stderr + chunk.toString()).slice(-2000)
  })
  return (code, signal) => {
    const how = signal ? `it was stopped by ${signal}` : `it exited with code ${code}`
    const lines = stderr.trim().split('\n')
    const last = lines[lines.length - 1]
    const lastWords = preferErrors ? (lines.findLast((line) => /error/i.test(line)) ?? last) : last
    return (
      `The ${noun} process stopped unexpectedly (${how}${signal === 'SIGKILL' ? ', which is what running out of memory looks like' : ''}).` +
      (kept ? ` ${kept}` : '') +
      (lastWords ? ` Its last message: ${lastWords}` : '')
    )
  }
}

export interface StartProcessOptions {
  /** what the work is called in an error message: "training", "projection", "decoder" */
  noun: string
  /** the last stderr line that mentions an error is the one quoted (see describeExits) */
  preferErrors?: boolean
  /** what a user keeps when the process dies, said before its last words */
  kept?: string
  /** the process exited; `error` says how, in words a user can read */
  onExit(error: string): void
}

/**
 * The one way the core starts a compute process: `entry` through `spawn` (fork or a utility
 * process), its stderr passed on, and its end told to `onExit` with the last line it wrote.
 */
export function startProcess(
  spawn: Spawner,
  entry: ProcessEntry,
  { noun, preferErrors, kept, onExit }: StartProcessOptions,
): ComputeChild {
  const child = spawn(entry)
  const describe = describeExits(child, noun, { preferErrors, kept })
  child.onExit((code, signal) => onExit(describe(code, signal)))
  return child
}
