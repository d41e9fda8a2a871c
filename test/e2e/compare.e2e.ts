// The UMAP comparison, end to end in Chromium through `studio serve`, on the bundled
// Fashion-MNIST sample: raw pixels beside a run's codes, a third pane with another run's, linked
// hover, a selection shared by the panes, and the metrics table. Screenshots:
// test-results/e2e/compare-*.png.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipReason } from './browser'
import { importSample, openApp, openHash, type App } from './cli'

const root = join(import.meta.dirname, '..', '..')
const shots = join(root, 'test-results', 'e2e')
if (skipReason) console.warn(`compare e2e skipped: ${skipReason}`)

/** The metrics table's trustworthiness cells, once every pane has one. */
async function filledMetrics(page: Page, panes: number): Promise<number[]> {
  const cells = page.getByTestId('metrics').locator('tbody tr td:nth-child(2)')
  await expect
    .poll(async () => (await cells.allTextContents()).filter((t) => t !== '–').length, {
      timeout: 90_000,
    })
    .toBe(panes)
  return (await cells.allTextContents()).map(Number)
}

describe.skipIf(Boolean(skipReason))('UMAP comparison, end to end in Chromium', () => {
  let app: App
  let page: Page
  let runId = 0

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    app = await openApp(
      'studio-e2e-compare-',
      (db) => {
        const { train } = importSample(db)
        const epochs = ['--epochs', '3']
        runId = train('--preset', 'quick-look', ...epochs)
        train('--variant', 'denoising', '--name', 'denoising run', ...epochs)
      },
      { width: 1500, height: 1000 },
    )
    page = app.page
  }, 180_000)

  afterAll(() => app?.close())

  it('lays out the raw pixels and the codes side by side, and measures both', async () => {
    await openHash(page, `#/runs/${runId}/compare`)
    const trust = await filledMetrics(page, 2)
    expect(trust.every((t) => t > 0.8 && t <= 1)).toBe(true)
    const knn = await page
      .getByTestId('metrics')
      .locator('tbody tr td:nth-child(3)')
      .allTextContents()
    expect(knn.map(Number).every((k) => k > 0.4)).toBe(true) // ten classes: chance is 0.1
    // the layout's kNN accuracy says which it is: not the runs' 80/20 holdout diagnostic
    const heading = page.getByTestId('metrics').locator('thead th:nth-child(3)')
    expect(await heading.innerText()).toMatch(/kNN accuracy \(leave-one-out, k = 10\)/)
    await page.waitForTimeout(800)
    await page.screenshot({ path: join(shots, 'compare-panes.png') })
  })

  it('marks the image hovered in one pane in the other', async () => {
    const raw = (await page.getByTestId('pane-raw').locator('canvas').boundingBox())!
    let shown = false
    for (let i = 0; i < 80 && !shown; i++) {
      const angle = i * 0.7
      const r = 3 + i * 2.5
      await page.mouse.move(
        raw.x + raw.width / 2 + r * Math.cos(angle),
        raw.y + raw.height / 2 + r * Math.sin(angle),
      )
      shown = await page
        .getByTestId('hover-card')
        .isVisible()
        .catch(() => false)
      if (!shown) await page.waitForTimeout(100)
    }
    expect(shown).toBe(true)
    await expect
      .poll(() => page.getByTestId(`pane-latent-${runId}`).getByTestId('linked-marker').count())
      .toBe(1)
    await page.screenshot({ path: join(shots, 'compare-linked-hover.png') })
  })

  it('adds a third pane with another run, and shares a box selection across the panes', async () => {
    await page.getByTestId('other-run').selectOption({ label: 'denoising run' })
    await filledMetrics(page, 3)
    const pane = (await page.getByTestId(`pane-latent-${runId}`).locator('canvas').boundingBox())!
    await page.keyboard.down('Shift')
    await page.mouse.move(pane.x + pane.width * 0.3, pane.y + pane.height * 0.3)
    await page.mouse.down()
    await page.mouse.move(pane.x + pane.width * 0.7, pane.y + pane.height * 0.7, { steps: 5 })
    await page.mouse.up()
    await page.keyboard.up('Shift')
    const gallery = page.getByTestId('selection-gallery')
    await gallery.waitFor({ timeout: 20_000 })
    expect(await gallery.locator('canvas').count()).toBeGreaterThan(0)
    await page.waitForTimeout(800)
    await page.screenshot({ path: join(shots, 'compare-three-panes.png'), fullPage: true })
  })

  it('colours every pane by the run’s reconstruction error, with the colour map’s range', async () => {
    await page.getByTestId('colour-by').selectOption('error')
    const legend = page.getByTestId('scatter-legend')
    await expect.poll(() => legend.textContent()).toMatch(/Reconstruction error.*0\.0\d+.*0\.\d+/s)
    await page.waitForTimeout(800)
    await page.screenshot({ path: join(shots, 'compare-error.png') })
  })

  it('fits every pane to its own size: no point off the canvas at 1024 × 768 with three panes', async () => {
    await page.setViewportSize({ width: 1024, height: 768 })
    const canvases = page.locator('[data-testid^="pane-"] canvas')
    await expect.poll(() => canvases.count()).toBe(3)
    // runs in the page: the scatter's test hook on its canvas (LatentScatter.vue)
    const extents = () =>
      canvases.evaluateAll((all) =>
        all.map((canvas) =>
          (canvas as unknown as { screenExtent(): Record<string, number> }).screenExtent(),
        ),
      )
    await expect
      .poll(async () => (await extents()).map((e) => [e.width > 0, e.outside]), {
        timeout: 20_000,
      })
      .toEqual([
        [true, 0],
        [true, 0],
        [true, 0],
      ])
    for (const e of await extents()) {
      expect(e.count).toBe(2000)
      // framed, not merely inside: the layout spans most of the pane one way or the other
      expect(Math.max((e.maxX - e.minX) / e.width, (e.maxY - e.minY) / e.height)).toBeGreaterThan(
        0.7,
      )
    }
    await page.waitForTimeout(800)
    await page.screenshot({ path: join(shots, 'compare-1024.png') })
  })
})
