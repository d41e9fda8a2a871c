import { defineStore } from 'pinia'
import { reactive, ref } from 'vue'
import type {
  Background,
  Channels,
  Fit,
  ImportProgress,
  ImportResult,
  StudioErrorData,
} from '@shared/types'
import { setCounts } from '@shared/items'
import { call, errorData, on } from '../api'
import {
  pathsFromDrop,
  pickFolderAndGetPaths,
  type UploadOptions,
  type UploadProgress,
} from '../file-transfer'
import { count, fileName, plural } from '../format'
import { router } from '../router'
import { useDatasets } from './use-datasets'
import { useToasts } from './use-toasts'

/** closed → (uploading →) options → running → closed; an error returns to options. */
export type ImportStage = 'closed' | 'uploading' | 'options' | 'running'

export interface ImportChoices {
  name: string
  size: number
  channels: Channels
  fit: Fit
  background: Background
}

type PathSource = (options: UploadOptions) => Promise<string[] | null>

function describeRoots(roots: string[]): string {
  return roots.length <= 3
    ? roots.join(', ')
    : `${roots.slice(0, 3).join(', ')} and ${roots.length - 3} more`
}

export function importSummary(result: ImportResult): string {
  const skipped = `${count(result.skipped.length)} skipped`
  const sets = setCounts(result.sets).map(([set, n]) => `${count(n)} ${set}`)
  return `Imported ${plural(result.items, 'image')}${sets.length ? `: ${sets.join(', ')}` : ''} (${skipped}, ${plural(result.duplicates.length, 'duplicate')})`
}

/** The import dialog's state and the whole import flow: choose files, set options, run, report. */
export const useImport = defineStore('import', () => {
  const stage = ref<ImportStage>('closed')
  const kind = ref<'files' | 'sample'>('files')
  const paths = ref<string[]>([])
  /** the name used when the name field is left empty (the dropped folder's name in the browser) */
  const defaultName = ref<string | undefined>(undefined)
  const namePlaceholder = ref('')
  /** how to show a path in the list: a browser upload's folder reads as what was dropped */
  const pathLabels = ref<Record<string, string>>({})
  const choices = reactive<ImportChoices>({
    name: '',
    size: 28,
    channels: 'grey',
    fit: 'pad',
    background: 'black',
  })
  const upload = ref<UploadProgress | null>(null)
  const progress = ref<ImportProgress | null>(null)
  const error = ref<StudioErrorData | null>(null)
  const cancelling = ref(false)
  let jobId: string | null = null
  let uploadAbort: AbortController | null = null

  on('import:progress', (payload) => {
    if (payload.jobId === jobId) progress.value = payload
  })

  /** Messages name uploaded files by their place in the upload folder: show them from the drop down. */
  function readable(data: StudioErrorData): StudioErrorData {
    let message = data.message
    for (const path of Object.keys(pathLabels.value)) {
      const parent = path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1)
      if (parent) message = message.replaceAll(parent, '')
    }
    return { ...data, message }
  }

  const busy = () => stage.value === 'uploading' || stage.value === 'running'

  function openWith(newPaths: string[], upload?: UploadProgress | null): void {
    const roots = upload?.roots
    const adding = stage.value === 'options' && kind.value === 'files' && paths.value.length > 0
    paths.value = adding ? [...new Set([...paths.value, ...newPaths])] : newPaths
    if (!adding) {
      choices.name = ''
      error.value = null
      // A browser upload lives in a folder with a generated name: name the dataset after what was dropped.
      defaultName.value = roots?.length === 1 ? roots[0] : undefined
      namePlaceholder.value = defaultName.value ?? fileName(newPaths[0])
      pathLabels.value = {}
    }
    if (upload)
      for (const path of newPaths)
        pathLabels.value[path] =
          newPaths.length === 1
            ? `${describeRoots(upload.roots)} (${plural(upload.total, 'file')} uploaded)`
            : `${fileName(path)} (uploaded)`
    kind.value = 'files'
    stage.value = 'options'
  }

  /**
   * Gets paths from a picker or a drop (uploaded first in the browser) and opens the dialog.
   * `source` is called at once: a drop's DataTransfer must be read before anything is awaited.
   */
  async function gather(source: PathSource): Promise<void> {
    if (busy()) return
    const abort = new AbortController()
    uploadAbort = abort
    const wasOpen = stage.value === 'options'
    try {
      const result = await source({
        signal: abort.signal,
        onProgress: (p) => {
          upload.value = p
          stage.value = 'uploading'
          kind.value = 'files'
        },
      })
      if (abort.signal.aborted) return
      if (result?.length) openWith(result, upload.value)
      else if (stage.value === 'uploading') stage.value = wasOpen ? 'options' : 'closed'
    } catch (caught) {
      const data = errorData(caught)
      if (data.code === 'cancelled') return
      kind.value = 'files'
      if (!wasOpen) {
        paths.value = []
        namePlaceholder.value = ''
      }
      error.value = data
      stage.value = 'options'
    } finally {
      upload.value = null
      if (uploadAbort === abort) uploadAbort = null
    }
  }

  const fromPicker = () => gather((options) => pickFolderAndGetPaths(options))
  /** Call synchronously from the drop handler. */
  const fromDrop = (event: DragEvent) => gather((options) => pathsFromDrop(event, options))
  /** Files the browser's folder input got without a pick in progress (an e2e test, say). */
  const fromUnpromptedPick = (run: (options: UploadOptions) => Promise<string[]>) => gather(run)
  /** Files the desktop app was asked to open (a .npy or IDX file opened in the file manager). */
  function fromOpened(opened: string[]): Promise<void> {
    if (busy()) {
      const names = opened.map(fileName).join(', ')
      useToasts().show(`An import is running: open ${names} again once it has finished.`, 'error')
      return Promise.resolve()
    }
    return gather(() => Promise.resolve(opened))
  }

  function removePath(path: string): void {
    paths.value = paths.value.filter((p) => p !== path)
  }

  function choicesError(): string | null {
    const size = choices.size
    if (!Number.isInteger(size) || size < 4 || size > 512)
      return 'The size must be a whole number from 4 to 512.'
    return null
  }

  async function run(work: (jobId: string) => Promise<ImportResult>): Promise<void> {
    jobId = crypto.randomUUID()
    progress.value = null
    error.value = null
    cancelling.value = false
    stage.value = 'running'
    try {
      const result = await work(jobId)
      stage.value = 'closed'
      useToasts().show(importSummary(result), 'success')
      void useDatasets().load()
      await router.push(`/datasets/${result.datasetId}`)
    } catch (caught) {
      const data = errorData(caught)
      if (data.code === 'cancelled') stage.value = 'closed'
      else {
        error.value = readable(data)
        stage.value = 'options'
      }
    } finally {
      jobId = null
      cancelling.value = false
    }
  }

  async function start(): Promise<void> {
    if (stage.value !== 'options' || kind.value !== 'files' || paths.value.length === 0) return
    const invalid = choicesError()
    if (invalid) {
      error.value = { code: 'bad-params', message: invalid }
      return
    }
    const { name, size, channels, fit, background } = choices
    const params = {
      paths: paths.value,
      name: name.trim() || defaultName.value,
      size,
      channels,
      fit,
      background,
    }
    await run((id) => call('datasets.import', { ...params, jobId: id }))
  }

  async function importSample(): Promise<void> {
    if (busy()) return
    kind.value = 'sample'
    paths.value = []
    await run((id) => call('datasets.importSample', { jobId: id }))
  }

  async function cancel(): Promise<void> {
    if (stage.value === 'uploading') {
      uploadAbort?.abort()
      stage.value = 'closed'
    } else if (stage.value === 'running' && jobId && !cancelling.value) {
      cancelling.value = true
      try {
        await call('jobs.cancel', { jobId })
      } catch (caught) {
        error.value = errorData(caught)
        cancelling.value = false
      }
    }
  }

  function close(): void {
    if (busy()) return
    stage.value = 'closed'
    error.value = null
  }

  return {
    stage,
    kind,
    paths,
    namePlaceholder,
    pathLabels,
    choices,
    upload,
    progress,
    error,
    cancelling,
    fromPicker,
    fromDrop,
    fromUnpromptedPick,
    fromOpened,
    removePath,
    start,
    importSample,
    cancel,
    close,
  }
})
