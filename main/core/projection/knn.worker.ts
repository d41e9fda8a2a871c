// Searches the second half of the rows for knn.ts on another core, on the same tfjs backend (the
// CPU path beside a process on the GPU), and posts the result back with its arrays transferred.
import { parentPort, workerData } from 'node:worker_threads'
import { useHelperBackend, type BackendName } from '../training/backend'
import { searchRows, type RowNeighbours, type SearchJob } from './knn-rows'

export interface KnnWorkerData {
  /** rows and space on SharedArrayBuffers, read by both threads */
  job: SearchJob
  rowStart: number
  rowEnd: number
  backend: string
}

export type KnnWorkerMessage = { result: RowNeighbours } | { error: string }

async function run(): Promise<void> {
  const { job, rowStart, rowEnd, backend } = workerData as KnnWorkerData
  try {
    await useHelperBackend(backend as BackendName)
    const result = await searchRows(job, rowStart, rowEnd)
    parentPort!.postMessage({ result } satisfies KnnWorkerMessage, [
      result.indices.buffer as ArrayBuffer,
      result.distances.buffer as ArrayBuffer,
    ])
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    parentPort!.postMessage({ error: message } satisfies KnnWorkerMessage)
  }
}

// (no top-level await: from source this file is loaded through tsx's CommonJS hook)
void run()
