// Searches the second half of the rows for knn.ts on another core, on the same tfjs backend,
// and answers with the result's arrays transferred (jobs/worker-rpc.ts).
import { buffersOf, serveRequests } from '../jobs/worker-rpc'
import { useHelperBackend, type BackendName } from '../training/backend'
import { searchRows, type RowNeighbours, type SearchJob } from './knn-rows'

export interface KnnProtocol {
  request: {
    /** rows and space on SharedArrayBuffers, read by both threads */
    job: SearchJob
    rowStart: number
    rowEnd: number
    backend: string
  }
  response: RowNeighbours
  note: never
}

serveRequests<KnnProtocol>(
  async ({ job, rowStart, rowEnd, backend }) => {
    await useHelperBackend(backend as BackendName)
    return searchRows(job, rowStart, rowEnd)
  },
  (result) => buffersOf(result.indices, result.distances),
)
