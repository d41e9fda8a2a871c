// `studio serve` and the user's files, end to end in Chromium: a clustering downloads through the
// browser as a ZIP of one folder per cluster and as a CSV (nothing is written on the server), and
// a tab from before a restart says the token changed and how to get back in.
// Screenshots: test-results/e2e/serve-paths-*.png.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, skipReason } from './browser'
import { importSample, openHash, openStart, studioCli } from './cli'
import { startServe, type RunningServer } from './server'

const root = join(import.meta.dirname, '..', '..')
const shots = join(root, 'test-results', 'e2e')
if (skipReason) console.warn(`serve-paths e2e skipped: ${skipReason}`)

describe.skipIf(Boolean(skipReason))('studio serve and paths, in Chromium', () => {
  let work = ''
  let db = ''
  let runId = 0
  let browser: Browser
  let page: Page
  let server: RunningServer

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    work = mkdtempSync(join(tmpdir(), 'studio-e2e-paths-'))
    db = join(work, 'workspace.sqlite')
    runId = importSample(db).train('--preset', 'quick-look', '--epochs', '1')
    studioCli(db, 'cluster', '--run', String(runId), '--k', '3')
    server = await startServe(db)
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true })
    await openStart(page, server.url)
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (work) rmSync(work, { recursive: true, force: true })
  })

  it('downloads one folder per cluster as a ZIP, every image once', async () => {
    await openHash(page, `#/runs/${runId}/clusters`)
    await page.getByTestId('export-format').selectOption('folders')
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByTestId('export-run').click(),
    ])
    expect(download.suggestedFilename()).toMatch(/-clusters\.zip$/)
    const zip = join(work, 'clusters.zip')
    await download.saveAs(zip)
    const names = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n')
    expect(names).toHaveLength(2000)
    const folders = new Set(names.map((name) => name.split('/').slice(0, 2).join('/')))
    expect(folders.size).toBe(3)
    expect(names.every((name) => name.endsWith('.png'))).toBe(true)
    expect(new Set(names).size).toBe(2000)
    execFileSync('unzip', ['-tq', zip])
    await expect.poll(() => page.getByText(/Exported 2,000 files: downloading/).count()).toBe(1)
    await page.screenshot({ path: join(shots, 'serve-paths-export.png') })
  })

  it('downloads the clusters as a CSV', async () => {
    await page.getByTestId('export-format').selectOption('csv')
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByTestId('export-run').click(),
    ])
    expect(download.suggestedFilename()).toMatch(/-clusters\.csv$/)
    const csv = join(work, 'clusters.csv')
    await download.saveAs(csv)
    const lines = readFileSync(csv, 'utf8').trim().split('\r\n')
    expect(lines[0]).toBe('path,cluster,name,distance,label')
    expect(lines).toHaveLength(2001)
  })

  it('tells a tab from before a restart that the token changed, and how to get back in', async () => {
    const port = new URL(server.url).port
    await server.stop()
    server = await startServe(db, '--port', port)
    const notice = page.getByTestId('token-changed')
    await notice.waitFor({ state: 'visible', timeout: 30_000 })
    expect(await notice.innerText()).toMatch(/access token changed[\s\S]*\?token=/)
    expect(await page.getByText(/retrying/i).count()).toBe(0)
    await page.screenshot({ path: join(shots, 'serve-paths-token-changed.png') })
    await page.reload()
    const served = page.getByTestId('token-changed')
    await served.waitFor()
    expect(await served.innerText()).toMatch(/--token-file/)
    await page.screenshot({ path: join(shots, 'serve-paths-token-changed-reload.png') })
    await openStart(page, server.url)
  })
})
