import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import type { Page } from 'playwright-core'

const root = join(import.meta.dirname, '..', '..')

/** Runs the built `studio` command on a workspace, as a user would, and returns its --json result. */
export function studioCli(db: string, ...args: string[]): unknown {
  const out = execFileSync(
    process.execPath,
    [join(root, 'out', 'main', 'cli.js'), ...args, '--db', db, '--json'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  )
  return JSON.parse(out.trim().split('\n').pop()!)
}

/** Goes to a view of the app by its hash route ("#/runs/1/latent"). */
export function openHash(page: Page, hash: string): Promise<void> {
  return page.evaluate((h) => {
    // runs in the page; the Node-side types have no DOM
    ;(globalThis as unknown as { location: { hash: string } }).location.hash = h
  }, hash)
}
