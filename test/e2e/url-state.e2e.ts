// A view's state lives in its URL, end to end in Chromium through `studio serve`: the latent
// view's colouring and mode, the compare view's third pane, UMAP parameters and colouring come
// back after a reload or from a bookmark, and back/forward step through them.
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
})
