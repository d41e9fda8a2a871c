// Chooses the tfjs backend at the edge (docs/architecture.md, "Backends"): native TensorFlow when
// @tensorflow/tfjs-node loads, else WebAssembly, else plain JavaScript; and says which.
import * as tf from '@tensorflow/tfjs-core'
import { backendNames, type BackendName } from '../shared/train-config'

export type { BackendName }
export type BackendChoice = 'auto' | BackendName

export interface BackendInfo {
  name: BackendName
  /** why faster backends were passed over, for the user to read */
  notes: string[]
}

const loaders: Record<BackendName, () => Promise<unknown>> = {
  // optionalDependency: absent where its native library could not be installed
  tensorflow: () => import('@tensorflow/tfjs-node' as string),
  wasm: () => import('@tensorflow/tfjs-backend-wasm'),
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
}

async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    await loaders[name]()
    if (!(await tf.setBackend(name))) return `${name} did not initialise`
    await tf.ready()
    return null
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
    return `${name} is not available (${message})`
  }
}

/** Sets the backend; with 'auto', the fastest one that loads. Throws if a forced one fails. */
export async function useBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  // PROD skips tfjs's debug checks and its console advice; which backend runs is reported instead
  tf.env().set('PROD', true)
  if (choice !== 'auto') {
    const failure = await tryBackend(choice)
    if (failure) throw new Error(`Cannot train on the ${choice} backend: ${failure}.`)
    return { name: choice, notes: [] }
  }
  const notes: string[] = []
  for (const name of backendNames) {
    const failure = await tryBackend(name)
    if (!failure) return { name, notes }
    notes.push(failure)
  }
  throw new Error(`No TensorFlow.js backend could start: ${notes.join('; ')}`)
}
