// Which workspace the desktop app has open. On launch, the folder opened last (settings.ts), or
// the default workspace with a notice saying why when that folder is gone or its file cannot be
// opened. File → Open workspace… opens another folder's workspace.sqlite (a new one where there
// is none), remembers it, and reloads the windows onto it; the old one is closed only once the
// new one has opened, so a folder that fails leaves the app as it was.
import { join, resolve } from 'node:path'
import type { DesktopNotice } from '../core/contract'
import {
  changeSettings,
  chooseWorkspace,
  fallbackNotice,
  readSettings,
  workspaceFileName,
  workspaceFolderProblem,
} from './settings'

export interface WorkspaceHostDeps<S extends { close(): void }> {
  /** opens the workspace file (new Studio in the app); throws when it cannot */
  open(file: string): S
  /** connects the windows to it (registerIpc in the app); returns the disconnect */
  attach(studio: S): () => void
  /** the settings file (settings.ts) */
  settingsFile: string
  /** the workspace opened when none is remembered */
  defaultFile: string
  /** reloads the windows' pages, so they show the workspace now open */
  reloadWindows(): void
  notify(notice: DesktopNotice): void
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

export class WorkspaceHost<S extends { close(): void }> {
  private studio: S | undefined
  private detach: (() => void) | undefined
  private file: string | undefined

  constructor(private readonly deps: WorkspaceHostDeps<S>) {}

  get current(): S | undefined {
    return this.studio
  }

  /** The workspace file now open. */
  get currentFile(): string | undefined {
    return this.file
  }

  /**
   * Opens the workspace to launch with. Throws only when the default workspace itself cannot be
   * opened (the app then says so and quits, as before there was a choice).
   */
  start(): S {
    const choice = chooseWorkspace(readSettings(this.deps.settingsFile), this.deps.defaultFile)
    let notice = choice.notice
    let studio: S | undefined
    let file = choice.file
    if (choice.folder)
      try {
        studio = this.deps.open(choice.file)
      } catch (error) {
        notice = fallbackNotice(`${choice.file}: ${messageOf(error)}`)
      }
    if (!studio) {
      file = this.deps.defaultFile
      studio = this.deps.open(file)
    }
    this.use(studio, file)
    if (notice) this.deps.notify({ kind: 'error', message: notice })
    return studio
  }

  /**
   * Opens the workspace in `folder` in place of the current one; remembers it for the next launch.
   * Resolves to null when it opened, or to the reason it could not (the current one stays open).
   */
  switchTo(folder: string): string | null {
    const dir = resolve(folder)
    const problem = workspaceFolderProblem(dir)
    if (problem) return `${problem}.`
    const file = join(dir, workspaceFileName)
    if (file === this.file) {
      this.remember(dir)
      return null
    }
    let next: S
    try {
      next = this.deps.open(file)
    } catch (error) {
      return `${file} could not be opened: ${messageOf(error)}`
    }
    this.close()
    this.use(next, file)
    this.remember(dir)
    this.deps.reloadWindows()
    return null
  }

  close(): void {
    this.detach?.()
    this.detach = undefined
    this.studio?.close()
    this.studio = undefined
    this.file = undefined
  }

  private remember(folder: string): void {
    try {
      changeSettings(this.deps.settingsFile, { workspace: folder })
    } catch {
      // a read-only profile: this workspace stays open, the next launch opens the default one
    }
  }

  private use(studio: S, file: string): void {
    this.studio = studio
    this.file = file
    this.detach = this.deps.attach(studio)
  }
}
