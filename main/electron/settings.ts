// The desktop app's own settings, kept in settings.json in its user-data folder beside
// window-state.json: the workspace folder it last opened and the update check's switch and time.
// A missing or damaged file reads as the defaults; a value of the wrong type is dropped alone.
import {
  accessSync,
  constants,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join } from 'node:path'

export interface AppSettings {
  /** the folder of the workspace opened last (its workspace.sqlite); absent: the default one */
  workspace?: string
  /** look for a newer release on launch, at most once a day */
  checkForUpdates: boolean
  /** when the last automatic check ran (ms since 1970) */
  lastUpdateCheck?: number
}

export const defaultSettings: AppSettings = { checkForUpdates: true }

/** The file a workspace folder holds, as the default workspace's is named. */
export const workspaceFileName = 'workspace.sqlite'

export function settingsFile(userData: string): string {
  return join(userData, 'settings.json')
}

export function readSettings(file: string): AppSettings {
  let saved: unknown
  try {
    saved = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return { ...defaultSettings } // none yet, or unreadable: start afresh
  }
  if (typeof saved !== 'object' || saved === null) return { ...defaultSettings }
  const s = saved as Record<string, unknown>
  const settings: AppSettings = {
    checkForUpdates:
      typeof s.checkForUpdates === 'boolean' ? s.checkForUpdates : defaultSettings.checkForUpdates,
  }
  if (typeof s.workspace === 'string' && s.workspace !== '') settings.workspace = s.workspace
  if (typeof s.lastUpdateCheck === 'number' && Number.isFinite(s.lastUpdateCheck))
    settings.lastUpdateCheck = s.lastUpdateCheck
  return settings
}

/** Writes the settings whole or not at all (a crash mid-write leaves the old file). */
export function writeSettings(file: string, settings: AppSettings): void {
  mkdirSync(dirname(file), { recursive: true })
  const temp = `${file}.tmp`
  writeFileSync(temp, JSON.stringify(settings, null, 2))
  renameSync(temp, file)
}

/** Reads, changes and writes back; returns the new settings. */
export function changeSettings(file: string, change: Partial<AppSettings>): AppSettings {
  const next = { ...readSettings(file), ...change }
  for (const key of Object.keys(next) as (keyof AppSettings)[])
    if (next[key] === undefined) delete next[key]
  writeSettings(file, next)
  return next
}

/** Why a folder cannot hold a workspace, or null when it can be opened. */
export function workspaceFolderProblem(dir: string): string | null {
  try {
    if (!statSync(dir).isDirectory()) return `${dir} is not a folder`
  } catch {
    return `${dir} is gone (moved, deleted, or on a disk that is not connected)`
  }
  try {
    accessSync(dir, constants.R_OK | constants.X_OK)
  } catch {
    return `${dir} cannot be read (no permission)`
  }
  return null
}

export interface WorkspaceChoice {
  /** the workspace file to open */
  file: string
  /** the remembered folder it is in; absent for the default workspace */
  folder?: string
  /** why the remembered workspace was passed over for the default one */
  notice?: string
}

/** The workspace to open on launch: the remembered folder's, else the default file. */
export function chooseWorkspace(settings: AppSettings, defaultFile: string): WorkspaceChoice {
  const folder = settings.workspace
  if (!folder) return { file: defaultFile }
  const problem = workspaceFolderProblem(folder)
  if (problem) return { file: defaultFile, notice: fallbackNotice(problem) }
  return { file: join(folder, workspaceFileName), folder }
}

/** The message shown when the default workspace opened in place of the remembered one. */
export function fallbackNotice(problem: string): string {
  return (
    `The workspace opened last could not be opened: ${problem}. The default workspace is open ` +
    'instead; choose another with File → Open workspace….'
  )
}
