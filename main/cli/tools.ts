// What every `studio` command shares: the workspace it opens, calls through the same dispatch
// (and param checks) as the UI, --json output, number flags, and waiting on a stored job.
import { join } from 'node:path'
import { InvalidArgumentError } from 'commander'
import type { MethodName, ParamsOf, ResultOf } from '../core/contract'
import { dispatch } from '../core/dispatch'
import { defaultWorkspaceFile } from '../core/paths'
import { Studio } from '../core/service'
import type { StudioErrorData } from '../core/shared/types'
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

/** The two kinds of stored job, and the names of their events and cancel method. */
const storedJobs = {
  projection: {
    progress: 'projection:progress',
    status: 'projection:status',
    cancel: 'projections.cancel',
  },
  clustering: {
    progress: 'clustering:progress',
    status: 'clustering:status',
    cancel: 'clusterings.cancel',
  },
} as const

/**
 * Starts a stored job (a projection or a clustering) and waits for it to finish: its progress on
 * the bar, Ctrl+C cancels it, and an end other than completed fails the command. Returns its id.
 */
export async function awaitStoredJob(
  studio: Studio,
  kind: keyof typeof storedJobs,
  bar: ProgressBar,
  start: () => Promise<{ id: number; status: string }>,
): Promise<number> {
  const names = storedJobs[kind]
  let jobId = 0
  const finished = new Promise<{ status: string; error?: string | null }>((resolve) =>
    studio.onEvent((event, payload) => {
      const job = payload as { id?: number; phase?: string; fraction?: number; status?: string }
      if (job.id !== jobId) return
      if (event === names.progress) bar.fraction(job.phase ?? kind, job.fraction ?? 0)
      if (event === names.status && job.status !== 'running')
        resolve(payload as { status: string; error?: string | null })
    }),
  )
  const interrupt = () => void call(studio, names.cancel, { id: jobId }).catch(() => {})
  process.once('SIGINT', interrupt)
  try {
    const started = await start()
    jobId = started.id
    const end = started.status === 'completed' ? started : await finished
    if (end.status !== 'completed')
      throw new CommandFailed({
        code: end.status === 'cancelled' ? 'cancelled' : 'internal',
        message: `${kind === 'projection' ? 'Projection' : 'Clustering'} ${jobId} ${end.status}${'error' in end && end.error ? `: ${end.error}` : '.'}`,
      })
    return jobId
  } finally {
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
