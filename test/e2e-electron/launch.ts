// Starts the desktop app for a test: the packaged executable named by STUDIO_PACKAGED_APP (the
// release workflow's smoke test), else the built app in out/ with the Electron binary of
// node_modules/electron. Says why it cannot when neither exists.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { _electron, chromium, type ElectronApplication, type Page } from 'playwright-core'

const root = join(import.meta.dirname, '..', '..')
const packaged = process.env.STUDIO_PACKAGED_APP

function electronBinary(): string | null {
  const dir = join(root, 'node_modules', 'electron')
  const pathFile = join(dir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

/** Why the app cannot start here, or undefined when it can. */
export const skipReason: string | undefined = packaged
  ? existsSync(packaged)
    ? undefined
    : `STUDIO_PACKAGED_APP=${packaged} does not exist`
  : !electronBinary()
    ? 'the Electron binary is not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD); install it to run these tests'
    : !existsSync(join(root, 'out', 'main', 'index.js'))
      ? 'the app is not built: run npx electron-vite build'
      : undefined

export interface RunningApp {
  page: Page
  /** the main process, to evaluate in; absent for the packaged app, whose inspector fuse is off */
  electron?: ElectronApplication
  close(): Promise<void>
}

/**
 * The app's command line for a second launch beside a running one (the single-instance lock hands
 * its arguments to the first): the executable and what comes before the caller's arguments.
 */
export function commandLine(userData: string, args: string[]): [string, string[]] {
  return packaged
    ? [packaged, [...args, `--user-data-dir=${userData}`]]
    : [electronBinary()!, [root, ...args, `--user-data-dir=${userData}`]]
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

/**
 * The packaged app has its Node inspector fuse off, which Playwright's _electron needs: it is
 * driven over Chromium's DevTools protocol instead, a switch no fuse turns off.
 */
async function launchPackaged(
  executable: string,
  userData: string,
  args: string[],
): Promise<RunningApp> {
  const port = await freePort()
  const child: ChildProcess = spawn(
    executable,
    [`--remote-debugging-port=${port}`, `--user-data-dir=${userData}`, ...args],
    { stdio: 'inherit' },
  )
  let browser: Awaited<ReturnType<typeof chromium.connectOverCDP>> | undefined
  for (let attempt = 0; !browser; attempt++) {
    try {
      browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`)
    } catch (error) {
      if (attempt > 60 || child.exitCode !== null) throw error
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
  const context = browser.contexts()[0]
  const page = context.pages()[0] ?? (await context.waitForEvent('page'))
  return {
    page,
    close: async () => {
      await browser.close()
      child.kill()
    },
  }
}

/** Starts the app on `userData`; `args` go on its command line (files to open, say). */
export async function launchApp(userData: string, args: string[] = []): Promise<RunningApp> {
  if (packaged) return launchPackaged(packaged, userData, args)
  const [executablePath, fullArgs] = commandLine(userData, args)
  const app = await _electron.launch({ executablePath, args: fullArgs })
  return { page: await app.firstWindow(), electron: app, close: () => app.close() }
}
