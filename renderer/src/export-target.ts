// One way to run an export from any view, the way the shell allows: in the desktop app a native
// save dialog says where (the page never names a path itself), and a file already there is
// replaced only once the user agreed; in a browser `studio serve` prepares the export and the
// browser downloads it (a folder as a .zip).
import type { ParamsOf } from '../../main/core/contract'
import { ApiError, call } from './api'
import { pickSave, prepareDownload, startDownload } from './file-transfer'

type ExportMethod = 'clusterings.export' | 'runs.exportOutliers' | 'runs.export' | 'items.export'
type ParamsWithoutOut<M extends ExportMethod> = Omit<ParamsOf<M>, 'out' | 'overwrite'>

export interface ExportTarget {
  /** one file (a save dialog) or many (a folder to export into) */
  kind: 'file' | 'folder'
  /** the dialog's title */
  title: string
  /** the suggested file name, or the download's name (a folder download adds .zip) */
  name: string
  extensions?: string[]
}

export type ExportOutcome =
  { where: 'saved'; files: string[] } | { where: 'downloaded'; name: string; files: number }

/** The toast after an export: what was written, or what the browser is downloading. */
export function exportedMessage(outcome: ExportOutcome): string {
  const n = outcome.where === 'saved' ? outcome.files.length : outcome.files
  const what = `${n.toLocaleString('en-US')} file${n === 1 ? '' : 's'}`
  return outcome.where === 'saved'
    ? `Exported ${what}.`
    : `Exported ${what}: downloading ${outcome.name}.`
}

/** A file name from a run's name (letters, digits, . _ -). */
export function slugOf(name: string, fallback: string): string {
  return (
    name
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || fallback
  )
}

/** Runs an export; null when the user cancelled the dialog or chose not to replace files. */
export async function exportTo<M extends ExportMethod>(
  method: M,
  params: ParamsWithoutOut<M>,
  target: ExportTarget,
  confirmReplace: (message: string) => boolean = (message) => window.confirm(message),
): Promise<ExportOutcome | null> {
  if (!pickSave) {
    const prepared = await prepareDownload(method, params, target.name)
    startDownload(prepared.url, prepared.name)
    return { where: 'downloaded', name: prepared.name, files: prepared.files }
  }
  const chosen = await pickSave({ ...target })
  if (!chosen) return null
  const run = (overwrite: boolean) =>
    call(method, { ...params, out: chosen.path, overwrite } as ParamsOf<M>) as Promise<{
      files: string[]
    }>
  try {
    return { where: 'saved', files: (await run(chosen.replaceAgreed)).files }
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'exists') throw error
    if (!confirmReplace(`${error.message.replace(/: choose another name.*$/, '.')} Replace?`))
      return null
    return { where: 'saved', files: (await run(true)).files }
  }
}
