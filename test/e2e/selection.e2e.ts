// One selection everywhere, end to end in Chromium through `studio serve`, on the bundled
// Fashion-MNIST sample: a lasso in the latent view lights the selected points and dims the rest,
// and the items table shows the same items; rows picked in the table light up in the plot; a
// selection saved under a name is there after a reload, and still selected; tag, relabel and
// undo from the selection bar; the record view opens from a gallery thumbnail with its
// neighbours; the selection downloads as CSV. Screenshots: test-results/e2e/selection-*.png.
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipReason } from './browser'
import { importSample, openApp, openHash, studioCli, type App } from './cli'

const root = join(import.meta.dirname, '..', '..')
const shots = join(root, 'test-results', 'e2e')
if (skipReason) console.warn(`selection e2e skipped: ${skipReason}`)

const selectedCount = async (page: Page) =>
  Number((await page.getByTestId('selection-count').innerText()).replace(/\D/g, ''))
const lit = (page: Page) => page.getByTestId('latent-stage').getAttribute('data-lit')

async function lasso(page: Page): Promise<void> {
  await page.getByTestId('tool-lasso').click()
  const box = (await page.getByTestId('latent-stage').boundingBox())!
  const cx = box.x + box.width / 2
  const cy = box.y + box.height / 2
  await page.mouse.move(cx - 80, cy - 60)
  await page.mouse.down()
  for (const [dx, dy] of [
    [0, -90],
    [80, -60],
    [90, 40],
    [0, 90],
    [-80, 60],
    [-80, -60],
  ])
    await page.mouse.move(cx + dx, cy + dy, { steps: 4 })
  await page.mouse.up()
}

describe.skipIf(Boolean(skipReason))('one selection everywhere, end to end in Chromium', () => {
  let app: App
  let page: Page
  let work = ''
  let runId = 0

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    app = await openApp(
      'studio-e2e-selection-',
      (db) => {
        runId = importSample(db).train('--preset', 'quick-look', '--epochs', '2')
        studioCli(db, 'cluster', '--run', String(runId), '--k', '4')
      },
      { width: 1400, height: 1000 },
    )
    ;({ page, work } = app)
  }, 180_000)

  afterAll(() => app?.close())

  it('lights a lasso in the latent view, dims the rest, and the table shows the same items', async () => {
    await openHash(page, `#/runs/${runId}/latent`)
    await page.getByTestId('latent-stage').locator('canvas').waitFor({ timeout: 60_000 })
    await page.getByTestId('projecting').waitFor({ state: 'detached', timeout: 60_000 })
    expect(await lit(page)).toBe('all')
    await lasso(page)
    await page.getByTestId('selection-bar').waitFor({ timeout: 30_000 })
    const n = await selectedCount(page)
    expect(n).toBeGreaterThan(5)
    await expect.poll(() => lit(page)).toBe(String(n))
    await page.waitForTimeout(600)
    await page.screenshot({ path: join(shots, 'selection-latent-lasso.png') })

    await openHash(page, `#/runs/${runId}/table`)
    await page.getByTestId('selected-only').check()
    await expect
      .poll(() => page.getByTestId('table-count').innerText())
      .toMatch(new RegExp(`^${n.toLocaleString('en-US')} of `))
    const rows = page.getByTestId('table-row')
    await expect.poll(() => rows.count()).toBe(Math.min(n, await rows.count()))
    // every row shown is marked selected
    expect(await page.locator('[data-testid="table-row"]:not(.selected)').count()).toBe(0)
    await page.screenshot({ path: join(shots, 'selection-table.png') })
    await page.getByTestId('selected-only').uncheck()
  })

  it('lights in the plot the rows picked in the table', async () => {
    await page.getByTestId('selection-clear').click()
    const rows = page.getByTestId('table-row')
    await expect.poll(() => rows.count()).toBeGreaterThan(10)
    await rows.nth(1).click()
    await rows.nth(5).click({ modifiers: ['Shift'] })
    await expect.poll(() => selectedCount(page)).toBe(5)
    expect(await page.locator('[data-testid="table-row"].selected').count()).toBe(5)
    await openHash(page, `#/runs/${runId}/latent`)
    await expect.poll(() => lit(page), { timeout: 30_000 }).toBe('5')
    expect(await selectedCount(page)).toBe(5)
    await page.waitForTimeout(600)
    await page.screenshot({ path: join(shots, 'selection-from-table.png') })
  })

  it('saves the selection under a name, and it is there after a reload', async () => {
    await page.getByTestId('selection-save').click()
    await page.getByTestId('selection-input').fill('five shirts')
    await page.getByTestId('selection-input').press('Enter')
    await page.getByText('Saved “five shirts” (5).').waitFor()
    await openHash(page, `#/runs/${runId}/table`)
    await page.reload()
    await page.getByTestId('items-table').waitFor()
    // the saved selection selected is in the URL: the reload selects it again
    await expect.poll(() => selectedCount(page)).toBe(5)
    expect(await page.getByTestId('selection-name').innerText()).toBe('five shirts')
    await page.getByTestId('selection-clear').click()
    expect(await page.getByTestId('selection-bar').count()).toBe(0)
    const saved = page.getByTestId('filter-selection')
    await expect
      .poll(async () => (await saved.locator('option').allInnerTexts()).map((t) => t.trim()))
      .toContain('five shirts (5)')
    await saved.selectOption({ label: 'five shirts (5)' })
    await expect.poll(() => page.getByTestId('table-count').innerText()).toMatch(/^5 of /)
    await page.getByTestId('select-saved').click()
    await expect.poll(() => selectedCount(page)).toBe(5)
  })

  it('tags and relabels the selection from the bar, and undoes the relabelling', async () => {
    const rows = page.getByTestId('table-row')
    const labelsBefore = await rows.locator('span:nth-child(3)').allInnerTexts()
    await page.getByTestId('selection-tag').click()
    await page.getByTestId('selection-input').fill('look-again')
    await page.getByTestId('selection-input').press('Enter')
    await expect
      .poll(() => rows.locator('span:nth-child(8)').allInnerTexts())
      .toEqual(Array(5).fill('look-again'))

    await page.getByTestId('selection-relabel').click()
    await page.getByTestId('selection-input').fill('misfiled')
    await page.getByTestId('selection-input').press('Enter')
    await expect
      .poll(() => rows.locator('span:nth-child(3)').allInnerTexts())
      .toEqual(Array(5).fill('misfiled'))
    await page.screenshot({ path: join(shots, 'selection-relabelled.png') })
    await page.getByTestId('relabel-undo').click()
    await expect.poll(() => rows.locator('span:nth-child(3)').allInnerTexts()).toEqual(labelsBefore)
  })

  it('downloads the selection as CSV', async () => {
    const download = page.waitForEvent('download')
    await page.getByTestId('export-csv').click()
    const file = join(work, 'selection.csv')
    await (await download).saveAs(file)
    const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/)
    expect(lines[0]).toBe('id,path,label,split,error,cluster,cluster_name,certainty,tags')
    expect(lines).toHaveLength(6)
    expect(lines.slice(1).every((l) => l.endsWith(',look-again'))).toBe(true)
  })

  it('dims in the latent view and the UMAP panes what the table filter drops', async () => {
    await page.getByTestId('filter-selection').selectOption({ label: 'Any saved selection' })
    await page.getByTestId('filter-label').selectOption('Coat')
    // the count of the saved selection's filter (5) stays until the label's query answers
    const counted = async () =>
      Number((await page.getByTestId('table-count').innerText()).split(' of ')[0])
    await expect.poll(counted).toBeGreaterThan(100)
    const coats = await counted()
    await page.getByTestId('selection-clear').click()
    await openHash(page, `#/runs/${runId}/latent`)
    await expect.poll(() => lit(page), { timeout: 30_000 }).toBe(String(coats))
    expect(await page.getByTestId('filter-note').innerText()).toContain(`${coats} kept`)
    await page.waitForTimeout(600)
    await page.screenshot({ path: join(shots, 'selection-filtered-latent.png') })

    await openHash(page, `#/runs/${runId}/compare`)
    const cells = page.getByTestId('metrics').locator('tbody tr td:nth-child(2)')
    await expect
      .poll(async () => (await cells.allTextContents()).filter((t) => t !== '–').length, {
        timeout: 120_000,
      })
      .toBe(2)
    await page.waitForTimeout(800)
    await page.screenshot({ path: join(shots, 'selection-filtered-compare.png') })
    await openHash(page, `#/runs/${runId}/table`)
    await page.getByTestId('filter-reset').click()
    await expect.poll(() => page.getByTestId('table-count').innerText()).toMatch(/^2,000 items/)
  })

  it('opens the record view from a gallery thumbnail, with its neighbours; arrows step, Esc closes', async () => {
    const rows = page.getByTestId('table-row')
    await rows.nth(0).click()
    await rows.nth(4).click({ modifiers: ['Shift'] })
    await openHash(page, `#/runs/${runId}/latent`)
    const gallery = page.getByTestId('selection-gallery')
    await expect.poll(() => gallery.getByTestId('open-record').count(), { timeout: 30_000 }).toBe(5)
    await gallery.getByTestId('open-record').first().click()
    const dialog = page.getByTestId('record-dialog')
    await dialog.waitFor()
    await expect
      .poll(() => dialog.getByTestId('record-neighbour').locator('canvas').count(), {
        timeout: 30_000,
      })
      .toBe(12)
    const first = await dialog.getByTestId('record-path').innerText()
    expect(first).toMatch(/#\d+$/)
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(shots, 'selection-record.png') })
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => dialog.getByTestId('record-path').innerText()).not.toBe(first)
    await dialog.getByTestId('record-neighbour').first().click()
    await expect.poll(() => dialog.getByTestId('record-path').innerText()).not.toBe(first)
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
  })

  it('selects a cluster from its card, and opens a card’s thumbnail in the record view', async () => {
    await openHash(page, `#/runs/${runId}/clusters`)
    const card = page.getByTestId('cluster-card').first()
    await card.waitFor({ timeout: 30_000 })
    const size = Number((await card.getByTestId('cluster-size').innerText()).replace(/\D/g, ''))
    await card.getByTestId('select-cluster').click()
    await expect.poll(() => selectedCount(page)).toBe(size)
    await expect.poll(() => card.getByTestId('open-record').count()).toBeGreaterThan(0)
    await card.getByTestId('open-record').first().click()
    const dialog = page.getByTestId('record-dialog')
    await expect
      .poll(() => dialog.getByTestId('record-facts').innerText())
      .toMatch(/Cluster\s+Cluster 1/)
    await page.screenshot({ path: join(shots, 'selection-cluster-record.png') })
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
  })

  it('opens the record view from the reconstruction gallery', async () => {
    await openHash(page, `#/runs/${runId}/reconstructions`)
    const triplet = page.getByTestId('recon-triplet').first()
    await triplet.waitFor({ timeout: 60_000 })
    const name = (await triplet.getAttribute('title'))!.split(' · ')[0]
    await triplet.click()
    const dialog = page.getByTestId('record-dialog')
    await expect.poll(() => dialog.getByTestId('record-path').innerText()).toContain(name)
    await expect
      .poll(() => dialog.getByTestId('record-neighbour').count(), { timeout: 30_000 })
      .toBe(12)
    await page.screenshot({ path: join(shots, 'selection-recon-record.png') })
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
  })
})
