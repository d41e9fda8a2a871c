// The workspace as a whole: `app.info`, and the guard that refuses every method that would
// change a read-only workspace before it starts anything (docs/architecture.md, "Read-only and
// damaged workspaces").
import { existsSync } from 'node:fs'
import type { MethodName } from './contract'
import type { Handlers } from './dispatch'
import { itemWriteMethods } from './items/handlers'
import type { AppInfo } from './shared/types'
import { readOnlyError, type ReadOnly } from './store/workspace'

/** The methods that change the workspace: refused, before they start anything, when it is read-only. */
export const writeMethods: readonly MethodName[] = [
  'datasets.rename',
  'datasets.delete',
  'datasets.import',
  'datasets.importSample',
  'runs.start',
  'runs.pause',
  'runs.resume',
  'runs.cancel',
  'runs.continue',
  'runs.rename',
  'runs.setNotes',
  'runs.delete',
  'projections.start',
  'projections.cancel',
  'clusterings.start',
  'clusterings.sweep',
  'clusterings.cancel',
  'clusterings.renameCluster',
  'clusterings.delete',
  ...itemWriteMethods,
]

export function appHandlers(app: {
  version: string
  workspaceFile: string
  shell: AppInfo['shell']
  sampleDir: string
  readOnly: ReadOnly | undefined
}): Pick<Handlers, 'app.info'> {
  return {
    'app.info': () => ({
      version: app.version,
      workspace: app.workspaceFile,
      shell: app.shell,
      sampleAvailable: existsSync(app.sampleDir),
      readOnly: app.readOnly ?? null,
    }),
  }
}

/** Replaces each of `writeMethods` with one that throws `readOnlyError`. */
export function refuseWrites(handlers: Handlers, workspaceFile: string, readOnly: ReadOnly): void {
  for (const method of writeMethods)
    (handlers as Record<MethodName, unknown>)[method] = () => {
      throw readOnlyError(workspaceFile, readOnly)
    }
}
