// Files the system asks the app to open: a .npy or IDX file double-clicked or chosen with "Open
// with" (electron-builder.yml's fileAssociations). macOS says so with app's open-file event, even
// before the app is ready; Windows and Linux put the path on the command line, of the first
// launch or of a second one, which the single-instance lock turns into second-instance. Each opens
// the import dialog for the file: the path is granted for reading (the user chose it in the
// system's file manager) and sent to the window once its page listens.
import { basename, isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { idxName } from '../core/datasets/scan'
import type { EventName, Events } from '../core/contract'
import type { PathGrants } from './grants'
import { broadcast, type AppWindow } from './ipc'

/** The kinds of file the app registers with the system: NumPy arrays and MNIST-style IDX files. */
export function isOpenableFile(path: string): boolean {
  const name = basename(path)
  return /\.npy$/i.test(name) || idxName.test(name)
}

export interface ArgvContext {
  /** the folder the command ran in: relative paths are resolved against it */
  cwd: string
  /**
   * true when Electron runs the app from a folder (`electron .`, process.defaultApp): argv[1] is
   * then that folder, not a file to open
   */
  defaultApp: boolean
}

/**
 * The files to open named on a command line (process.argv, or second-instance's argv): what
 * follows the executable (and the app folder in development), minus switches, as absolute paths,
 * only of the kinds the app opens. A Linux desktop entry may pass file:// URLs (%U).
 */
export function filesFromArgv(argv: readonly string[], context: ArgvContext): string[] {
  const files: string[] = []
  for (const arg of argv.slice(context.defaultApp ? 2 : 1)) {
    if (arg === '' || arg.startsWith('-')) continue
    let path = arg
    if (/^file:\/\//i.test(arg)) {
      try {
        path = fileURLToPath(arg)
      } catch {
        continue
      }
    } else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(arg)) continue // another scheme: not a file
    path = isAbsolute(path) ? resolve(path) : resolve(context.cwd, path)
    if (isOpenableFile(path) && !files.includes(path)) files.push(path)
  }
  return files
}

/**
 * Messages for the page that may come before it listens (at launch, or while it reloads): kept
 * until the window's page has loaded, then sent in order. Once loaded, they go at once.
 */
export class PageInbox {
  private pending: [EventName, unknown][] = []
  private window: AppWindow | undefined

  post<E extends EventName>(event: E, payload: Events[E]): void {
    if (this.window && !this.window.isDestroyed()) broadcast([this.window], event, payload)
    else this.pending.push([event, payload])
  }

  /** The window's page has loaded (its listeners are in place): deliver what waited. */
  ready(window: AppWindow): void {
    this.window = window
    const pending = this.pending
    this.pending = []
    for (const [event, payload] of pending) broadcast([window], event, payload)
  }

  /** The window is closing or its page reloading: keep messages until it has loaded again. */
  notReady(window: AppWindow): void {
    if (this.window === window) this.window = undefined
  }

  /** What waits to be delivered (for tests and the log). */
  get waiting(): number {
    return this.pending.length
  }
}

/** Grants the files for reading and asks the page to open the import dialog with them. */
export function openFiles(
  paths: readonly string[],
  deps: { grants: PathGrants; inbox: PageInbox },
): boolean {
  const files = paths.filter((path) => isAbsolute(path) && isOpenableFile(path))
  if (files.length === 0) return false
  for (const path of files) deps.grants.grantRead(path)
  deps.inbox.post('desktop:open-files', { paths: files })
  return true
}

/** The part of Electron's app this module listens to (an EventEmitter in tests). */
export interface OpenRequestSource {
  on(event: string, listener: (...args: unknown[]) => void): unknown
}

export interface OpenRequestDeps {
  app: OpenRequestSource
  /** this launch's command line and folder (process.argv, process.cwd()) */
  argv: readonly string[]
  cwd: string
  defaultApp: boolean
  grants: PathGrants
  inbox: PageInbox
  /** brings the app's window forward, opening one if there is none (a no-op before ready) */
  showWindow(): void
}

/**
 * Routes every way the system asks the app to open a file to the import dialog: this launch's
 * command line, macOS's open-file (registered here, before ready, so a file that launched the
 * app is not lost), and a second launch's command line (the single-instance lock's
 * second-instance, which also brings the window forward).
 */
export function routeOpenRequests(deps: OpenRequestDeps): void {
  const open = (paths: readonly string[]) => {
    if (openFiles(paths, deps)) deps.showWindow()
  }
  deps.app.on('open-file', (...args) => {
    const [event, path] = args as [{ preventDefault(): void }, string]
    event.preventDefault() // handled: macOS does not report a failure to open it
    if (typeof path === 'string') open([path])
  })
  deps.app.on('second-instance', (...args) => {
    const [, argv, workingDirectory] = args as [unknown, string[], string]
    deps.showWindow()
    if (Array.isArray(argv))
      open(filesFromArgv(argv, { cwd: workingDirectory, defaultApp: deps.defaultApp }))
  })
  open(filesFromArgv(deps.argv, { cwd: deps.cwd, defaultApp: deps.defaultApp }))
}
