// The contract's run export (docs/data.md, "Data out"); the clusterings' and reconstructions'
// exports are with their own handlers (clustering/handlers.ts, reconstruction/handlers.ts).
import type { Handlers } from '../dispatch'
import { exportRun, type ExportStores } from './index'

export function exportHandlers(stores: ExportStores): Pick<Handlers, 'runs.export'> {
  return { 'runs.export': (params) => exportRun(stores, params) }
}
