// The run's items filter in the Clusters and Reconstructions views, end to end in Chromium
// through `studio serve` on the bundled Fashion-MNIST sample (a short run, a k-means
// clustering): a label set in the table carries to both views (and their URLs); the cluster
// cards, "All members", the worst-first gallery and the outliers show only items of that label,
// with counts that add up to the table's; clearing it brings everything back.
// Screenshots: test-results/e2e/view-filters-*.png.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipReason } from './browser'
import { importSample, openApp, openHash, studioCli, type App } from './cli'

const root = join(import.meta.dirname, '..', '..')
const shots = join(root, 'test-results', 'e2e')
if (skipReason) console.warn(`view filters e2e skipped: ${skipReason}`)

const label = 'Trouser'
const number = (text: string) => Number(text.replace(/\D/g, ''))
/** the labels of the items shown under a test id (ItemGallery's and the gallery's data-label) */
const labelsUnder = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .locator('[data-label]')
    .evaluateAll((els) =>
      // runs in the page; the Node-side types have no DOM
      els.map((e) => (e as unknown as { dataset: { label: string } }).dataset.label),
    )
/** the sum of the cards' counts of members the filter keeps */
const shownInCards = (page: Page) =>
  page
    .getByTestId('cluster-card')
    .evaluateAll((els) =>
      els.reduce(
        (sum, e) => sum + Number((e as unknown as { dataset: { shown: string } }).dataset.shown),
        0,
      ),
    )

describe.skipIf(Boolean(skipReason))('the items filter in every view', () => {
  let app: App
  let page: Page
  let runId = 0
  /** how many items of the label the table keeps */
  let kept = 0

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    app = await openApp(
      'studio-e2e-view-filters-',
      (db) => {
        runId = importSample(db).train('--preset', 'quick-look', '--epochs', '2')
        studioCli(db, 'cluster', '--run', String(runId), '--k', '4')
      },
      { width: 1400, height: 1000 },
    )
    ;({ page } = app)
  }, 240_000)

  afterAll(() => app?.close())

  it('sets a label filter in the table', async () => {
    await openHash(page, `#/runs/${runId}/table`)
    await page.getByTestId('filter-label').selectOption(label)
    await expect
      .poll(() => page.getByTestId('table-count').innerText(), { timeout: 30_000 })
      .toMatch(/^[\d,]+ of 2,000/)
    kept = number((await page.getByTestId('table-count').innerText()).split(' of ')[0])
    expect(kept).toBeGreaterThan(0)
    expect(kept).toBeLessThan(2000)
  })

  it('shows only the filter’s items on the cluster cards and in "All members"', async () => {
    await openHash(page, `#/runs/${runId}/clusters`)
    await expect.poll(() => page.url()).toContain(`label=${label}`)
    await expect.poll(() => page.getByTestId('cluster-card').count(), { timeout: 60_000 }).toBe(4)
    // the note says it once, in the selection bar
    await expect.poll(() => page.getByTestId('filter-kept').innerText()).toMatch(/of 2,000$/)
    expect(await page.getByTestId('filter-kept').innerText()).toBe(
      `${kept.toLocaleString('en-US')} kept of 2,000`,
    )
    await expect.poll(() => shownInCards(page)).toBe(kept)
    const onCards = await labelsUnder(page, 'cluster-cards')
    expect(onCards.length).toBeGreaterThan(0)
    expect(new Set(onCards)).toEqual(new Set([label]))
    // every card says how many of its members are shown; those with none say so
    for (const card of await page.getByTestId('cluster-card').all()) {
      const shown = Number(await card.getAttribute('data-shown'))
      expect(await card.getByTestId('cluster-shown').innerText()).toMatch(
        shown ? /^[\d,]+ of [\d,]+ shown$/ : /none kept/,
      )
    }
    await page.screenshot({ path: join(shots, 'view-filters-clusters.png') })
    const fullest = page.locator('[data-testid="cluster-card"]:not(.none)').first()
    const inIt = Number(await fullest.getAttribute('data-shown'))
    await fullest.getByRole('button', { name: 'All members' }).click()
    await expect
      .poll(() => labelsUnder(page, 'cluster-members').then((l) => l.length))
      .toBe(Math.min(400, inIt))
    expect(new Set(await labelsUnder(page, 'cluster-members'))).toEqual(new Set([label]))
    await page.screenshot({ path: join(shots, 'view-filters-members.png') })
  })

  it('shows only the filter’s items in the gallery and among the outliers', async () => {
    await openHash(page, `#/runs/${runId}/reconstructions`)
    await expect.poll(() => page.url()).toContain(`label=${label}`)
    const gallery = page.getByTestId('recon-gallery')
    await expect
      .poll(() => page.locator('.gallery-tab .controls').innerText(), { timeout: 60_000 })
      .toMatch(/[\d,]+ images/)
    const total = await page.locator('.gallery-tab .controls').innerText()
    expect(number(total.match(/([\d,]+) images/)![1])).toBe(kept)
    expect(await page.getByTestId('filter-kept').innerText()).toBe(
      `${kept.toLocaleString('en-US')} kept of 2,000`,
    )
    await expect
      .poll(() => gallery.locator('[data-label]').count(), { timeout: 60_000 })
      .toBeGreaterThan(10)
    expect(new Set(await labelsUnder(page, 'recon-gallery'))).toEqual(new Set([label]))
    await page.screenshot({ path: join(shots, 'view-filters-gallery.png') })

    await page.getByTestId('tab-outliers').click()
    // a threshold low on the histogram, so that some of the label's items are above it
    const histogram = page.getByTestId('error-histogram')
    const box = (await histogram.boundingBox())!
    await histogram.click({ position: { x: box.width * 0.15, y: box.height / 2 } })
    const outliers = page.getByTestId('outlier-count')
    await expect.poll(() => outliers.innerText()).toMatch(/filter keeps/)
    const above = number((await outliers.innerText()).match(/([\d,]+) images above/)![1])
    expect(above).toBeGreaterThan(0)
    expect(above).toBeLessThanOrEqual(kept)
    await expect
      .poll(() => labelsUnder(page, 'outliers').then((l) => l.length))
      .toBe(Math.min(120, above))
    expect(new Set(await labelsUnder(page, 'outliers'))).toEqual(new Set([label]))
    await page.screenshot({ path: join(shots, 'view-filters-outliers.png'), fullPage: true })
  })

  it('clears the filter and everything returns', async () => {
    await page.getByTestId('filter-clear').click()
    await page.getByTestId('filter-note').waitFor({ state: 'detached' })
    await expect.poll(() => page.url()).not.toContain('label=')
    await expect
      .poll(() => page.getByTestId('outlier-count').innerText())
      .not.toMatch(/filter keeps/)
    await page.getByTestId('tab-gallery').click()
    await expect
      .poll(() => page.locator('.gallery-tab .controls').innerText(), { timeout: 60_000 })
      .toMatch(/2,000 images/)
    await expect
      .poll(async () => new Set(await labelsUnder(page, 'recon-gallery')).size, { timeout: 60_000 })
      .toBeGreaterThan(1)

    await openHash(page, `#/runs/${runId}/clusters`)
    await expect.poll(() => page.getByTestId('cluster-card').count(), { timeout: 60_000 }).toBe(4)
    expect(await page.getByTestId('filter-note').count()).toBe(0)
    expect(await page.getByTestId('cluster-shown').count()).toBe(0)
    await expect.poll(() => shownInCards(page)).toBe(2000)
    await expect
      .poll(async () => new Set(await labelsUnder(page, 'cluster-cards')).size)
      .toBeGreaterThan(1)
  })
})
