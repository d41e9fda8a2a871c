import { homedir } from 'node:os'
import { join } from 'node:path'

export const appName = 'Autoencoder Studio'

/**
 * The workspace file the desktop app uses by default. The CLI and `studio serve` default to the
 * same file (docs/architecture.md, "The workspace store"), so a run trained from a script shows
 * up in the app. This mirrors Electron's app.getPath('userData') without importing Electron.
 */
export function defaultWorkspaceFile(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  const appData =
    platform === 'win32'
      ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (env.XDG_CONFIG_HOME ?? join(home, '.config'))
  return join(appData, appName, 'workspace.sqlite')
}
