import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

const root = join(import.meta.dirname, '..', '..')

export interface RunningServer {
  url: string
  origin: string
  stop(): Promise<void>
}

/** Starts the built `studio serve` (on a free port unless args name one) and waits for its URL. */
export async function startServe(db: string, ...args: string[]): Promise<RunningServer> {
  const port = args.includes('--port') ? [] : ['--port', '0']
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'out', 'main', 'cli.js'), 'serve', '--db', db, ...port, '--json', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk) => (stderr += chunk))
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      try {
        resolve((JSON.parse(line) as { url: string }).url)
      } catch {
        // not the JSON line
      }
    })
    child.once('exit', (code) => reject(new Error(`studio serve exited with ${code}: ${stderr}`)))
    setTimeout(() => reject(new Error(`studio serve did not start: ${stderr}`)), 30_000)
  })
  return {
    url,
    origin: new URL(url).origin,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
