// MNIST's train and test sets imported together, end to end through the CLI and in Chromium:
// `studio import` and `studio datasets` name the sets, the dataset page counts them, the items
// table's tag filter keeps one, and the record view says an item's set. Screenshots:
// test-results/e2e/import-sets-*.png.
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeIdxImages, writeIdxLabels } from '../fixtures/arrays'
import { skipReason } from './browser'
import { openApp, openHash, studioCli, type App } from './cli'

const root = join(import.meta.dirname, '..', '..')
const shots = join(root, 'test-results', 'e2e')
if (skipReason) console.warn(`import-sets e2e skipped: ${skipReason}`)

/** FashionMNIST/raw as torchvision leaves it: 60 train and 20 t10k images, gzipped and not. */
function torchvisionRaw(work: string): string {
  const raw = join(work, 'FashionMNIST', 'raw')
  for (const [name, count] of [
    ['train', 60],
    ['t10k', 20],
  ] as const)
    for (const gzip of [false, true]) {
      const ext = gzip ? '.gz' : ''
      writeIdxImages(raw, `${name}-images-idx3-ubyte${ext}`, { count, height: 28, width: 28, gzip })
      const labels = Array.from({ length: count }, (_, i) => i % 10)
      writeIdxLabels(raw, `${name}-labels-idx1-ubyte${ext}`, labels, gzip)
    }
  return raw
}

/** The CLI's plain output, as a user reads it. */
function cliText(db: string, ...args: string[]): string {
  return execFileSync(
    process.execPath,
    [join(root, 'out', 'main', 'cli.js'), ...args, '--db', db],
    {
      encoding: 'utf8',
    },
  )
}

describe.skipIf(Boolean(skipReason))("MNIST's train and test sets, end to end", () => {
  let app: App
  let page: Page
  let datasetId = 0
  let runId = 0
  let imported = ''
  let listed = ''

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    app = await openApp('studio-e2e-sets-', (db) => {
      imported = cliText(db, 'import', torchvisionRaw(join(db, '..')))
      listed = cliText(db, 'datasets')
      datasetId = (studioCli(db, 'datasets') as { id: number }[])[0].id
      runId = (
        studioCli(
          db,
          'train',
          '--dataset',
          String(datasetId),
          '--preset',
          'quick-look',
          '--epochs',
          '1',
        ) as {
          runId: number
        }
      ).runId
    })
    ;({ page } = app)
  }, 180_000)

  afterAll(() => app?.close())

  it('names the sets in the CLI and on the dataset page', async () => {
    expect(imported).toMatch(/^Imported 80 images/m)
    expect(imported).toMatch(/^Sets \(tagged\): train 60, test 20$/m)
    const [header, row] = listed.trim().split('\n')
    expect(header).toMatch(/\bsets\b/)
    expect(row).toContain('train 60, test 20')

    await openHash(page, `#/datasets/${datasetId}`)
    await expect.poll(() => page.getByTestId('dataset-sets').innerText()).toBe('60 train, 20 test')
    await page.screenshot({ path: join(shots, 'import-sets-dataset.png') })
  })

  it("keeps one set with the table's tag filter, and the record view names it", async () => {
    await openHash(page, `#/runs/${runId}/table`)
    await page.getByTestId('items-table').waitFor()
    await expect.poll(() => page.getByTestId('table-count').innerText()).toMatch(/^80\b/)
    const tag = page.getByTestId('filter-tag')
    expect(
      (await tag.getByTestId('filter-sets').locator('option').allInnerTexts()).map((t) => t.trim()),
    ).toEqual(['test (20)', 'train (60)'])
    await tag.selectOption('test')
    await expect.poll(() => page.getByTestId('table-count').innerText()).toMatch(/^20 of 80/)
    const rows = page.getByTestId('table-row')
    await expect
      .poll(async () => new Set(await rows.getByTestId('row-tags').allInnerTexts()))
      .toEqual(new Set(['test']))
    await page.screenshot({ path: join(shots, 'import-sets-table.png') })

    await rows.first().dblclick()
    const dialog = page.getByTestId('record-dialog')
    await expect.poll(() => dialog.getByTestId('record-set').innerText()).toBe('test')
    await page.screenshot({ path: join(shots, 'import-sets-record.png') })
    await page.keyboard.press('Escape')
  })
})
