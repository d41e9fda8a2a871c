// A job the core runs in a process of its own and stores when it is done (a projection, a
// clustering), followed by a view: the framework-free follower (main/core/shared/stored-job.ts,
// which the CLI uses too) over the app's transport, with the job it follows as a ref. The Latent,
// Compare and Clusters views all follow their jobs through this one (use-stored-job.ts gives it
// the app's transport and stops it with the component).
import { ref } from 'vue'
import type { EventName, Events, MethodName, ParamsOf, ResultOf } from '../../../main/core/contract'
import {
  followStoredJobs,
  type FollowedJob,
  type FollowOptions,
  type StartedJob,
} from '@shared/stored-job'

export type { FollowedJob }

/** The two halves of the transport a job needs (renderer/src/api.ts in the app). */
export interface JobTransport {
  call: <M extends MethodName>(method: M, params: ParamsOf<M>) => Promise<ResultOf<M>>
  on: <E extends EventName>(event: E, listener: (payload: Events[E]) => void) => () => void
}

const domains = {
  projection: { get: 'projections.get', cancel: 'projections.cancel' },
  clustering: { get: 'clusterings.get', cancel: 'clusterings.cancel' },
} as const

export type StoredJobKind = keyof typeof domains
type ResultOfKind<K extends StoredJobKind> = ResultOf<(typeof domains)[K]['get']>
type ProgressOf<K extends StoredJobKind> = Events[`${K}:progress`]

export type StoredJobOptions<K extends StoredJobKind> = Omit<
  FollowOptions<ResultOfKind<K>, ProgressOf<K>>,
  'onJob'
>

export function storedJob<K extends StoredJobKind>(
  kind: K,
  transport: JobTransport,
  options: StoredJobOptions<K>,
) {
  const { call, on } = transport
  const { get, cancel } = domains[kind]
  /** the job being followed, while it runs */
  const job = ref<FollowedJob | null>(null)
  const follower = followStoredJobs<ResultOfKind<K>, ProgressOf<K>>(
    {
      get: (id) => call(get, { id }) as Promise<ResultOfKind<K>>,
      cancel: (id) => call(cancel, { id }),
      onProgress: (listener) =>
        on(`${kind}:progress`, (payload) => listener(payload as ProgressOf<K>)),
      onStatus: (listener) => on(`${kind}:status`, listener),
    },
    { ...options, onJob: (followed) => (job.value = followed) },
  )

  /**
   * Starts a job with `begin` (its errors are the caller's) and follows it; one started earlier
   * and no longer followed is left to run, its events ignored.
   */
  const start = (begin: () => Promise<StartedJob>, label?: string) => follower.start(begin, label)

  return { job, start, cancel: follower.cancel, stop: follower.stop }
}
