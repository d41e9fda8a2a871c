// A view's state lives in its URL, end to end in Chromium through `studio serve`: the latent
// view's colouring and mode, the compare view's third pane, UMAP parameters and colouring, the
// items filter (text, error range, label) and the saved selection selected come back after a
// reload or from a bookmark, and back/forward step through them.
// Screenshots: test-results/e2e/url-*.png.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipReason } from './browser'
import { importSample, openApp, openHash, studioCli, type App } from './cli'

const root = join(import.meta.dirname, '..', '..')
const shots = join(root, 'test-results', 'e2e')
if (skipReason) console.warn(`URL state e2e skipped: ${skipReason}`)

const query = (page: Page) => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '')

describe.skipIf(Boolean(skipReason))('view state in the URL, in Chromium', () => {
  let app: App
  let page: Page
  let runId = 0
  let otherId = 0

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    app = await openApp('studio-e2e-url-', (db) => {
      const { train } = importSample(db)
      runId = train('--preset', 'quick-look', '--epochs', '2')
      otherId = train('--preset', 'quick-look', '--epochs', '2', '--name', 'other run')
      for (const k of ['3', '5']) studioCli(db, 'cluster', '--run', String(runId), '--k', k)
    })
    page = app.page
  }, 180_000)

  afterAll(() => app?.close())

  it('keeps the latent view colouring over a reload, and steps back and forward', async () => {
    await openHash(page, `#/runs/${runId}/latent`)
    const colour = page.getByTestId('colour-by')
    await colour.waitFor()
    expect(await colour.inputValue()).toBe('label')
    await colour.selectOption('error')
    await expect.poll(() => query(page).get('colour')).toBe('error')
    await page.getByTestId('search').fill('Bag')
    await expect.poll(() => query(page).get('q')).toBe('Bag')
    await page.reload()
    await colour.waitFor()
    expect(await colour.inputValue()).toBe('error')
    expect(await page.getByTestId('search').inputValue()).toBe('Bag')
    await page.screenshot({ path: join(shots, 'url-latent-reloaded.png') })
    // the search replaced its entry; the colour was an entry of its own
    await page.goBack()
    await expect.poll(() => colour.inputValue()).toBe('label')
    await page.goForward()
    await expect.poll(() => colour.inputValue()).toBe('error')
  })

  it('opens the compare view from a bookmark with its third pane, parameters and colouring', async () => {
    await openHash(
      page,
      `#/runs/${runId}/compare?umap=2,10,0.2,cosine,3&third=${otherId}&colour=error`,
    )
    const other = page.getByTestId('other-run')
    await other.waitFor()
    await expect.poll(() => other.inputValue()).toBe(String(otherId))
    expect(await page.getByTestId('colour-by').inputValue()).toBe('error')
    expect(await page.locator('select.select').filter({ hasText: 'cosine' }).inputValue()).toBe(
      'cosine',
    )
    await expect.poll(() => page.locator('[data-testid^="pane-"]').count()).toBe(3)
    await page.screenshot({ path: join(shots, 'url-compare-bookmark.png') })
    await other.selectOption({ label: 'none' })
    await expect.poll(() => query(page).get('third')).toBeNull()
    await expect.poll(() => page.locator('[data-testid^="pane-"]').count()).toBe(2)
    await page.goBack()
    await expect.poll(() => other.inputValue()).toBe(String(otherId))
    expect(query(page).get('umap')).toBe('2,10,0.2,cosine,3')
  })

  it('colours by the clustering the user picks, not silently the newest', async () => {
    await openHash(page, `#/runs/${runId}/latent?colour=cluster`)
    const pick = page.getByTestId('clustering-pick')
    await pick.waitFor()
    const options = await pick.locator('option').allTextContents()
    expect(options).toHaveLength(2)
    expect(options[0]).toMatch(/k = 5/) // the newest first, as before
    const legend = page.getByTestId('scatter-legend')
    await expect.poll(() => legend.textContent()).toMatch(/Cluster 5/)
    await pick.selectOption({ label: options[1] })
    await expect.poll(() => query(page).get('clustering')).toMatch(/^\d+$/)
    await expect.poll(() => legend.textContent()).not.toMatch(/Cluster 4/)
    expect(await legend.textContent()).toMatch(/Cluster 3/)
    await page.reload()
    await pick.waitFor()
    await expect.poll(() => pick.inputValue()).toBe(query(page).get('clustering'))
    await page.screenshot({ path: join(shots, 'url-latent-clustering.png') })
  })

  it('keeps the items filter and the saved selection over a reload, a bookmark and back/forward', async () => {
    await openHash(page, `#/runs/${runId}/latent`)
    const below = page.getByTestId('latent-table')
    const rows = below.getByTestId('table-row')
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(10)
    await rows.nth(0).click()
    await rows.nth(2).click({ modifiers: ['Shift'] })
    await page.getByTestId('selection-save').click()
    await page.getByTestId('selection-input').fill('three of them')
    await page.getByTestId('selection-input').press('Enter')
    await expect.poll(() => query(page).get('selection')).toBe('three of them')

    await below.getByTestId('filter-text').fill('Bag')
    await expect.poll(() => query(page).get('find')).toBe('Bag')
    await below.getByTestId('filter-error-min').fill('0.001')
    await expect.poll(() => query(page).get('error')).toBe('0.001,')
    await below.getByTestId('filter-label').selectOption('Bag')
    await expect.poll(() => query(page).get('label')).toBe('Bag')
    const count = below.getByTestId('table-count')
    await expect.poll(() => count.innerText()).toMatch(/^\d+ of 2,000/)
    const kept = await count.innerText()

    await page.reload()
    await expect.poll(() => below.getByTestId('filter-text').inputValue()).toBe('Bag')
    expect(await below.getByTestId('filter-error-min').inputValue()).toBe('0.001')
    // the label's options come with the dataset, after the fields
    await expect.poll(() => below.getByTestId('filter-label').inputValue()).toBe('Bag')
    await expect.poll(() => count.innerText()).toBe(kept)
    await expect.poll(() => page.getByTestId('selection-count').innerText()).toBe('3 selected')
    expect(await page.getByTestId('selection-name').innerText()).toBe('three of them')
    await page.screenshot({ path: join(shots, 'url-filter-reloaded.png') })

    // the label was a history entry of its own; typing replaced its entry
    await page.goBack()
    await expect.poll(() => below.getByTestId('filter-label').inputValue()).toBe('')
    expect(await below.getByTestId('filter-text').inputValue()).toBe('Bag')
    await page.goForward()
    await expect.poll(() => below.getByTestId('filter-label').inputValue()).toBe('Bag')

    // a bookmark on the table page: the saved selection selected, and the filter
    await page.getByTestId('selection-clear').click()
    await expect.poll(() => query(page).get('selection')).toBeNull()
    await openHash(page, `#/runs/${runId}/table?selection=three%20of%20them&label=Coat`)
    await expect.poll(() => page.getByTestId('selection-count').innerText()).toBe('3 selected')
    await expect.poll(() => page.getByTestId('filter-label').inputValue()).toBe('Coat')
    expect(await page.getByTestId('filter-text').inputValue()).toBe('')
    await expect.poll(() => page.getByTestId('table-count').innerText()).toMatch(/^\d+ of 2,000/)
    await page.screenshot({ path: join(shots, 'url-table-bookmark.png') })

    // the UMAP compare view shows the run's filter and writes it in its own URL
    await openHash(page, `#/runs/${runId}/compare`)
    await expect.poll(() => page.getByTestId('filter-label').inputValue()).toBe('Coat')
    await expect.poll(() => query(page).get('label')).toBe('Coat')
    await page.getByTestId('filter-label').selectOption('Bag')
    await expect.poll(() => query(page).get('label')).toBe('Bag')
    await page.screenshot({ path: join(shots, 'url-compare-filter.png') })
  })
})
