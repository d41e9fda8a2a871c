// A stored job (stored-job.ts) followed by a component: over the app's transport, and no longer
// listened to once the component is gone.
import { onScopeDispose } from 'vue'
import { call, on } from '../api'
import { storedJob, type StoredJobKind, type StoredJobOptions } from './stored-job'

export function useStoredJob<K extends StoredJobKind>(kind: K, options: StoredJobOptions<K>) {
  const job = storedJob(kind, { call, on }, options)
  onScopeDispose(job.stop)
  return job
}
