// What every `studio` command shares: the workspace it opens, calls through the same dispatch
// (and param checks) as the UI, --json output, number flags, and waiting on a stored job.
import { join } from 'node:path'
import { InvalidArgumentError } from 'commander'
import type { MethodName, ParamsOf, ResultOf } from '../core/contract'
import { dispatch } from '../core/dispatch'
import { defaultWorkspaceFile } from '../core/paths'
import { Studio } from '../core/service'
import type { StudioErrorData } from '../core/shared/types'
import {
  followStoredJobs,
  type JobProgressPayload,
  type StartedJob,
} from '../core/shared/stored-job'
import { appRoot, appVersion } from './locate'
import type { ProgressBar } from './progress'

export interface GlobalOptions {
  db?: string
  json?: boolean
}

export class CommandFailed extends Error {
  constructor(readonly error: StudioErrorData) {
    super(error.message)
  }
}

/** the app's folder: its resources and package.json */
export const root = appRoot()

export function openStudio(options: GlobalOptions, shell: 'serve' | 'cli' = 'cli'): Studio {
  return new Studio({
    workspaceFile: options.db ?? defaultWorkspaceFile(),
    resourcesDir: join(root, 'resources'),
    shell,
    version: appVersion(root),
  })
}

/** Calls a method through the same dispatch (and param checks) the UI goes through. */
export async function call<M extends MethodName>(studio: Studio, method: M, params: ParamsOf<M>) {
  const outcome = await dispatch(studio.handlers, method, params)
  if (!outcome.ok) throw new CommandFailed(outcome.error)
  return outcome.result as ResultOf<M>
}

export function emitJson(options: GlobalOptions, result: unknown): boolean {
  if (options.json) process.stdout.write(JSON.stringify(result) + '\n')
  return Boolean(options.json)
}

/** The two kinds of stored job: the methods that fetch and cancel one, and its events' names. */
const storedJobs = {
  projection: {
    get: 'projections.get',
    cancel: 'projections.cancel',
    progress: 'projection:progress',
    status: 'projection:status',
  },
  clustering: {
    get: 'clusterings.get',
    cancel: 'clusterings.cancel',
    progress: 'clustering:progress',
    status: 'clustering:status',
  },
} as const

type StoredJobKind = keyof typeof storedJobs
type StoredResult<K extends StoredJobKind> = ResultOf<(typeof storedJobs)[K]['get']>

/**
 * Starts a stored job (a projection or a clustering) and waits for it to finish, followed as the
 * app follows it (main/core/shared/stored-job.ts): its progress on the bar, Ctrl+C cancels it,
 * and an end other than completed fails the command. Returns the stored job.
 */
export async function awaitStoredJob<K extends StoredJobKind>(
  studio: Studio,
  kind: K,
  bar: ProgressBar,
  start: () => Promise<StartedJob>,
): Promise<StoredResult<K>> {
  const names = storedJobs[kind]
  const listen =
    <P>(name: string) =>
    (listener: (payload: P) => void) =>
      studio.onEvent((event, payload) => {
        if (event === name) listener(payload as P)
      })
  let jobId = 0
  /** why the finished job's result could not be read: the command fails with it as it is */
  let unreadable: unknown = null
  let settle!: { resolve: (result: StoredResult<K>) => void; reject: (error: unknown) => void }
  const ended = new Promise<StoredResult<K>>((resolve, reject) => (settle = { resolve, reject }))
  // handled where it is awaited, below; a job that ends as it starts rejects it before then
  ended.catch(() => {})
  const follower = followStoredJobs<StoredResult<K>, JobProgressPayload>(
    {
      get: (id) =>
        (call(studio, names.get, { id }) as Promise<StoredResult<K>>).catch((error: unknown) => {
          unreadable = error
          throw error
        }),
      cancel: (id) => call(studio, names.cancel, { id }),
      onProgress: listen(names.progress),
      onStatus: listen(names.status),
    },
    {
      onResult: (result) => settle.resolve(result),
      onEnd: (end) =>
        settle.reject(
          unreadable ??
            new CommandFailed({
              code: end.status === 'cancelled' ? 'cancelled' : 'internal',
              message: `${kind === 'projection' ? 'Projection' : 'Clustering'} ${jobId} ${end.status}${end.error ? `: ${end.error}` : '.'}`,
            }),
        ),
      onProgress: (progress) => bar.fraction(progress.phase ?? kind, progress.fraction),
    },
  )
  const interrupt = () => void follower.cancel().catch(() => {})
  process.once('SIGINT', interrupt)
  try {
    await follower.start(async () => {
      const started = await start()
      jobId = started.id
      return started
    })
    return await ended
  } finally {
    follower.stop()
    bar.stop()
    process.off('SIGINT', interrupt)
  }
}

/** A flag's value that must read as a number; commander names the flag when it does not. */
export function numeric(value: string): string {
  if (value.trim() === '' || !Number.isFinite(Number(value)))
    throw new InvalidArgumentError('expected a number.')
  return value
}
