import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { launchBrowser } from './browser'
import { startServe } from './server'

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

/** Imports the bundled sample into `db`; then `train(...args)` trains on it and gives the run's id. */
export function importSample(db: string): {
  datasetId: number
  train: (...args: string[]) => number
} {
  const { datasetId } = studioCli(db, 'import', ...sampleFiles) as { datasetId: number }
  const train = (...args: string[]) =>
    (studioCli(db, 'train', '--dataset', String(datasetId), ...args) as { runId: number }).runId
  return { datasetId, train }
}

/** Goes to a view of the app by its hash route ("#/runs/1/latent") and waits until it is there. */
export async function openHash(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    // runs in the page; the Node-side types have no DOM
    ;(globalThis as unknown as { location: { hash: string } }).location.hash = h
  }, hash)
  // the view may add its state to the query (a filter set in another view of the run)
  const more = hash.includes('?') ? '&' : '?'
  await page.waitForURL((url) => url.hash === hash || url.hash.startsWith(hash + more))
}

/**
 * Opens the app and waits for its first view. The router listens for hash changes only once
 * its first navigation (the redirect to #/datasets, which loads that view's chunk) is done: a
 * hash set before then is lost, and the redirect wins. CI saw this when the chunk came late.
 */
export async function openStart(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.waitForURL((at) => at.hash === '#/datasets')
  await page.getByTestId('import-button').waitFor()
}

export interface App {
  /** the test's own folder, removed by close() */
  work: string
  page: Page
  close(): Promise<void>
}

/**
 * A workspace prepared through the CLI (import, train…), served by `studio serve`, and a page
 * of Chromium on it: how the analysis views' end-to-end tests start.
 */
export async function openApp(
  prefix: string,
  prepare: (db: string) => void,
  viewport = { width: 1400, height: 1000 },
): Promise<App> {
  const work = mkdtempSync(join(tmpdir(), prefix))
  const db = join(work, 'workspace.sqlite')
  prepare(db)
  const server = await startServe(db)
  const browser = await launchBrowser()
  const page = await browser.newPage({ viewport, acceptDownloads: true })
  page.on('pageerror', (error) => console.error('page error:', error))
  await openStart(page, server.url)
  return {
    work,
    page,
    async close() {
      await browser.close()
      await server.stop()
      rmSync(work, { recursive: true, force: true })
    },
  }
}

/** Images of the bundled Fashion-MNIST sample (2,000, labelled). */
export const sampleFiles = ['sample-images-idx3-ubyte.gz', 'sample-labels-idx1-ubyte.gz'].map(
  (file) => join(root, 'resources', 'sample', 'fashion-mnist', file),
)
