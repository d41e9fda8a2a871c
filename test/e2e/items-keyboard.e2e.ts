// The items table below the latent plot and the record view from the keyboard, end to end in
// Chromium through `studio serve` on the bundled Fashion-MNIST sample: rows picked below the
// plot light up in it and a lasso marks its rows, the table's filter dims the plot, and the plot
// keeps a full screen at 1024×768 and 1440×900; every gallery's thumbnails (selection panel,
// table rows, cluster cards, "All members", reconstructions, outliers) take the focus and Enter
// opens the record view; "All members" scrolls into view. Screenshots:
// test-results/e2e/items-*.png.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipReason } from './browser'
import { importSample, openApp, openHash, studioCli, type App } from './cli'

const root = join(import.meta.dirname, '..', '..')
const shots = join(root, 'test-results', 'e2e')
if (skipReason) console.warn(`items and keyboard e2e skipped: ${skipReason}`)

const selectedCount = async (page: Page) =>
  Number((await page.getByTestId('selection-count').innerText()).replace(/\D/g, ''))
const lit = (page: Page) => page.getByTestId('latent-stage').getAttribute('data-lit')
// runs in the page; the Node-side types have no DOM
const tabbable = (target: Locator) =>
  target.evaluate((el) => (el as { tabIndex: number }).tabIndex >= 0)

/** Focuses `target`, presses Enter, and answers the record view's path; Esc closes it. */
async function openWithEnter(page: Page, target: Locator, shot?: string): Promise<string> {
  expect(await tabbable(target)).toBe(true)
  await target.focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByTestId('record-dialog')
  await dialog.waitFor()
  await expect.poll(() => dialog.getByTestId('record-path').count(), { timeout: 30_000 }).toBe(1)
  const path = await dialog.getByTestId('record-path').innerText()
  if (shot) {
    await expect
      .poll(() => dialog.getByTestId('record-neighbour').count(), { timeout: 30_000 })
      .toBe(12)
    await page.screenshot({ path: join(shots, shot) })
  }
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached' })
  return path
}

describe.skipIf(Boolean(skipReason))(
  'the items table below the plot, and records by keyboard',
  () => {
    let app: App
    let page: Page
    let runId = 0

    beforeAll(async () => {
      mkdirSync(shots, { recursive: true })
      app = await openApp('studio-e2e-items-', (db) => {
        runId = importSample(db).train('--preset', 'quick-look', '--epochs', '2')
        studioCli(db, 'cluster', '--run', String(runId), '--k', '4')
      })
      page = app.page
    }, 180_000)

    afterAll(() => app?.close())

    it('keeps the plot a full screen at 1024×768 and 1440×900, with the table below it', async () => {
      for (const [width, height] of [
        [1024, 768],
        [1440, 900],
      ]) {
        await page.setViewportSize({ width, height })
        await openHash(page, `#/runs/${runId}/latent`)
        const stage = page.getByTestId('latent-stage')
        await stage.locator('canvas').waitFor({ timeout: 60_000 })
        await page.getByTestId('projecting').waitFor({ state: 'detached', timeout: 60_000 })
        await page.waitForTimeout(500)
        const box = (await stage.boundingBox())!
        const table = (await page.getByTestId('latent-table').boundingBox())!
        // the plot takes most of the first screen and ends on it; the table follows below
        expect(box.height).toBeGreaterThan(height * 0.55)
        expect(box.y + box.height).toBeLessThanOrEqual(height)
        expect(table.y).toBeGreaterThan(box.y + box.height)
        await page.screenshot({ path: join(shots, `items-latent-${width}.png`) })
      }
      await page.setViewportSize({ width: 1400, height: 1000 })
    })

    it('links the table below the plot both ways, and its filter dims the plot', async () => {
      const below = page.getByTestId('latent-table')
      const rows = below.getByTestId('table-row')
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(10)
      await rows.nth(0).click()
      await rows.nth(3).click({ modifiers: ['Shift'] })
      await expect.poll(() => selectedCount(page)).toBe(4)
      await expect.poll(() => lit(page)).toBe('4')
      expect(await below.locator('[data-testid="table-row"].selected').count()).toBe(4)
      await expect.poll(() => below.getByTestId('table-thumb').count()).toBeGreaterThan(10)
      await below.scrollIntoViewIfNeeded()
      await page.screenshot({ path: join(shots, 'items-below-selected.png') })

      // a click on a point: its row is the one selected below
      await page.getByTestId('selection-clear').click()
      await expect.poll(() => lit(page)).toBe('all')
      await below.getByTestId('filter-text').fill('Bag')
      await expect.poll(() => below.getByTestId('table-count').innerText()).toMatch(/^\d+ of 2,000/)
      const bags = Number((await below.getByTestId('table-count').innerText()).split(' of ')[0])
      expect(bags).toBeGreaterThan(50)
      await expect.poll(() => lit(page)).toBe(String(bags))
      // Space on a focused row selects it, ↓ moves on, Shift+Space takes the range
      await rows.first().focus()
      await page.keyboard.press('Space')
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('Shift+Space')
      await expect.poll(() => selectedCount(page)).toBe(3)
      await expect.poll(() => lit(page)).toBe('3')
      await page.screenshot({ path: join(shots, 'items-below-filtered.png') })
      await below.getByTestId('filter-reset').click()
      await expect.poll(() => lit(page)).toBe('3')
    })

    it('opens the record view with Enter from the selection panel and a table row', async () => {
      const gallery = page.getByTestId('selection-gallery')
      await expect.poll(() => gallery.getByTestId('open-record').count()).toBe(3)
      await openWithEnter(page, gallery.getByTestId('open-record').first())
      const row = page.getByTestId('latent-table').getByTestId('table-row').first()
      const name = (await row.locator('.path').innerText()).trim()
      expect(await openWithEnter(page, row, 'items-record-from-row.png')).toContain(name)
    })

    it('opens cluster cards and "All members" by keyboard, scrolling the members into view', async () => {
      await page.setViewportSize({ width: 1024, height: 768 })
      await openHash(page, `#/runs/${runId}/clusters`)
      const card = page.getByTestId('cluster-card').first()
      await expect.poll(() => card.getByTestId('open-record').count(), { timeout: 30_000 }).toBe(10)
      await openWithEnter(page, card.getByTestId('open-record').first())
      const all = card.getByRole('button', { name: 'All members' })
      await all.focus()
      await page.keyboard.press('Enter')
      const title = page.getByTestId('cluster-members-title')
      await title.waitFor()
      // scrolled into view, and the focus moved to the members
      const top = async () => Math.round((await title.boundingBox())?.y ?? -1)
      await expect.poll(top).toBeGreaterThanOrEqual(0)
      await expect.poll(top).toBeLessThan(768 - 40)
      expect(await title.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true)
      await page.screenshot({ path: join(shots, 'items-cluster-members.png') })
      const members = page.getByTestId('cluster-members').getByTestId('open-record')
      await openWithEnter(page, members.nth(2))
      await page.setViewportSize({ width: 1400, height: 1000 })
    })

    it('opens the reconstruction gallery and the outliers by keyboard', async () => {
      await openHash(page, `#/runs/${runId}/reconstructions`)
      const triplet = page.getByTestId('recon-triplet').first()
      await triplet.waitFor({ timeout: 60_000 })
      await expect.poll(() => triplet.getAttribute('title')).toMatch(/\S/)
      const name = (await triplet.getAttribute('title'))!.split(' · ')[0]
      expect(await openWithEnter(page, triplet)).toContain(name)

      await page.getByTestId('tab-outliers').click()
      const outliers = page.getByTestId('outliers').getByTestId('open-record')
      await expect.poll(() => outliers.count(), { timeout: 30_000 }).toBeGreaterThan(3)
      // the worst first: the record view steps through the outliers in the gallery's order
      const first = await outliers.first().getAttribute('aria-label')
      const path = await openWithEnter(page, outliers.first(), 'items-outlier-record.png')
      expect(first).toContain(path.split('/').pop()!)
      await outliers.nth(1).click()
      const dialog = page.getByTestId('record-dialog')
      await expect.poll(() => dialog.getByTestId('record-path').innerText()).not.toBe(path)
      await page.keyboard.press('ArrowLeft')
      await expect.poll(() => dialog.getByTestId('record-path').innerText()).toBe(path)
      await page.keyboard.press('Escape')
    })

    it('lists the record shortcuts in the ? sheet', async () => {
      await page.locator('body').press('?')
      const sheet = page.getByTestId('shortcut-sheet')
      await sheet.waitFor()
      const text = await sheet.innerText()
      expect(text).toContain('Open the focused thumbnail or row in the record view')
      expect(text).toContain('Step through the list (record view)')
      await page.screenshot({ path: join(shots, 'items-shortcut-sheet.png') })
      await page.keyboard.press('Escape')
    })
  },
)
