// A user's first session, in real Chromium through `studio serve`: open the app, import a folder
// through the UI, see the counts and the grid, open the skipped list. Screenshots: test-results/e2e.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeImage, writeText, writeTruncated } from '../fixtures/images'
import { launchBrowser, skipReason } from './browser'
import { startServe, type RunningServer } from './server'

const shots = join(import.meta.dirname, '..', '..', 'test-results', 'e2e')
if (skipReason) console.warn(`e2e skipped: ${skipReason}`)

/** shapes/{circles,squares}: 12 + 8 images, plus two files that cannot be read. */
async function makeFolder(root: string): Promise<string> {
  const folder = join(root, 'shapes')
  for (let i = 0; i < 12; i++)
    await writeImage(join(folder, 'circles'), `circle ${i}.png`, 40 + i, 40, (x, y) =>
      (x - 20) ** 2 + (y - 20) ** 2 < 150 ? [250, 250, 250] : [10, 10, 10],
    )
  for (let i = 0; i < 8; i++)
    await writeImage(
      join(folder, 'squares'),
      `square-${i}.jpg`,
      50,
      30 + i,
      (x, y) => (x > 10 && x < 40 && y > 5 && y < 25 ? [240, 240, 240] : [0, 0, 0]),
      'jpeg',
    )
  writeText(join(folder, 'squares'), 'notes.png')
  await writeTruncated(join(folder, 'circles'), 'broken.png', 'png')
  return folder
}

describe.skipIf(Boolean(skipReason))('datasets, end to end in Chromium', () => {
  let work: string
  let server: RunningServer
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    work = mkdtempSync(join(tmpdir(), 'studio-e2e-'))
    server = await startServe(join(work, 'workspace.sqlite'))
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on('pageerror', (error) => console.error('page error:', error))
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    rmSync(work, { recursive: true, force: true })
  })

  it('opens on an empty workspace and offers the sample', async () => {
    await page.goto(server.url)
    await expect.poll(() => page.getByTestId('empty-state').isVisible()).toBe(true)
    expect(await page.getByTestId('sample-button').isVisible()).toBe(true)
    // the token is kept out of the address bar once the page has it
    expect(page.url()).not.toContain('token=')
    await page.screenshot({ path: join(shots, 'datasets-01-empty.png') })
  })

  it('imports a folder chosen with the picker, with progress, labels and skipped files', async () => {
    const folder = await makeFolder(work)
    await page.getByTestId('folder-input').setInputFiles(folder)
    const dialog = page.getByTestId('import-dialog')
    await dialog.waitFor()
    await page.screenshot({ path: join(shots, 'datasets-02-import-dialog.png') })
    await page.getByTestId('import-start').click()

    await page.getByTestId('dataset-grid').waitFor({ timeout: 60_000 })
    const header = page.locator('h1')
    await expect.poll(() => header.textContent()).toContain('shapes')
    await expect.poll(() => page.getByTestId('grid-cell').count()).toBe(20)
    const chips = page.getByTestId('label-filter')
    await expect.poll(() => chips.textContent()).toMatch(/circles\s*12/)
    expect(await chips.textContent()).toMatch(/squares\s*8/)
    expect(await page.getByTestId('toast').first().textContent()).toMatch(/20 images.*2 skipped/)
    await page.screenshot({ path: join(shots, 'datasets-03-grid.png') })

    await chips.getByText('squares').click()
    await expect.poll(() => page.getByTestId('grid-cell').count()).toBe(8)

    await page.getByTestId('skipped-tab').click()
    const skipped = page.getByTestId('skipped-list')
    await skipped.waitFor()
    const text = (await skipped.textContent()) ?? ''
    expect(text).toContain('notes.png')
    expect(text).toContain('broken.png')
    expect(text).toMatch(/not an image/i)
    expect(text).toMatch(/truncated|damaged/i)
    await page.screenshot({ path: join(shots, 'datasets-04-skipped.png') })
  })

  it('says so when the folder picked is empty or holds no image, in the app and on the command line', async () => {
    const empty = join(work, 'empty')
    mkdirSync(empty, { recursive: true })
    await page.getByTestId('folder-input').setInputFiles(empty)
    const error = page.getByTestId('import-error')
    await expect.poll(() => error.textContent()).toMatch(/empty: there are no files/)
    await page.screenshot({ path: join(shots, 'datasets-04b-empty-folder.png') })
    await page.keyboard.press('Escape')
    await page.getByTestId('import-dialog').waitFor({ state: 'detached' })

    const notes = join(work, 'notes')
    writeText(notes, 'readme.txt')
    writeText(notes, 'todo.txt')
    await page.getByTestId('folder-input').setInputFiles(notes)
    await page.getByTestId('import-start').click()
    // named as the user knows it, not by the upload folder the server kept it in
    await expect.poll(() => error.textContent()).toMatch(/No images found in notes: it has 2 files/)
    await page.screenshot({ path: join(shots, 'datasets-04c-no-images.png') })
    await page.keyboard.press('Escape')

    const cli = join(import.meta.dirname, '..', '..', 'out', 'main', 'cli.js')
    for (const [folder, said] of [
      [empty, /The folder .*empty is empty/],
      [notes, /No images found in .*notes/],
    ] as const) {
      const run = spawnSync(
        process.execPath,
        [cli, 'import', folder, '--db', join(work, 'cli.sqlite')],
        {
          encoding: 'utf8',
        },
      )
      expect(run.status).not.toBe(0)
      expect(run.stderr).toMatch(said)
    }
  })

  it('lists the dataset, renames it, and deletes it only after confirmation', async () => {
    await page.goto(server.origin + '/#/datasets')
    const row = page.getByTestId('dataset-row').first()
    await row.waitFor()
    expect(await row.textContent()).toContain('20')
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join(shots, 'datasets-05-list-dark.png') })
    await page.emulateMedia({ colorScheme: 'light' })

    await row.getByTestId('rename-button').click()
    const input = page.getByTestId('rename-input')
    await input.fill('Shapes, renamed')
    await input.press('Enter')
    await expect.poll(() => row.textContent()).toContain('Shapes, renamed')

    await row.getByTestId('delete-button').click()
    const confirm = page.getByTestId('confirm-dialog')
    await confirm.waitFor()
    expect(await confirm.textContent()).toContain('Shapes, renamed')
    await page.keyboard.press('Escape')
    expect(await page.getByTestId('dataset-row').count()).toBe(1)
    await row.getByTestId('delete-button').click()
    await page.getByTestId('confirm-ok').click()
    await expect.poll(() => page.getByTestId('dataset-row').count()).toBe(0)
  })

  it('loads the bundled Fashion-MNIST sample from the empty state', async () => {
    await page.getByTestId('sample-button').click()
    await page.getByTestId('dataset-grid').waitFor({ timeout: 60_000 })
    const chips = page.getByTestId('label-filter')
    await expect.poll(() => chips.textContent()).toMatch(/Ankle boot/)
    const toast = page.getByTestId('toast').filter({ hasText: '2,000 images' })
    await toast.waitFor()
    // the LICENSE beside the sample files is not an image the user should hear about
    expect(await toast.textContent()).not.toMatch(/[1-9]\d* skipped/)
    await page.screenshot({ path: join(shots, 'datasets-06-sample.png') })
  })
})
