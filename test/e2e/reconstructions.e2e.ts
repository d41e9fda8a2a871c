// Reconstructions, end to end in Chromium through `studio serve`, on the bundled Fashion-MNIST
// sample with a 2-D VAE: the gallery sorted by error, the outlier histogram, the denoising demo,
// the interpolation strip, the VAE's samples and manifold grid, and the first-layer units.
// Screenshots: test-results/e2e/reconstructions-*.png.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipReason } from './browser'
import { importSample, openApp, openHash, type App } from './cli'

const root = join(import.meta.dirname, '..', '..')
const shots = join(root, 'test-results', 'e2e')
if (skipReason) console.warn(`reconstructions e2e skipped: ${skipReason}`)

/** Canvases under a test id that have been drawn. */
function drawn(page: Page, testId: string): Promise<number> {
  return page
    .getByTestId(testId)
    .locator('canvas')
    .evaluateAll(
      (canvases) => canvases.filter((c) => Number((c as { width?: number }).width) > 0).length,
    )
}

describe.skipIf(Boolean(skipReason))('reconstructions, end to end in Chromium', () => {
  let app: App
  let page: Page
  let runId = 0

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    app = await openApp(
      'studio-e2e-recon-',
      (db) => {
        runId = importSample(db).train('--preset', 'vae-2d', '--epochs', '6')
      },
      { width: 1400, height: 1000 },
    )
    page = app.page
  }, 180_000)

  afterAll(() => app?.close())

  it('shows the gallery worst first: errors fall along it, three images per item', async () => {
    await openHash(page, `#/runs/${runId}/reconstructions`)
    const gallery = page.getByTestId('recon-gallery')
    await expect.poll(() => drawn(page, 'recon-gallery'), { timeout: 60_000 }).toBeGreaterThan(30)
    const captions = await gallery.locator('figcaption').allTextContents()
    const errors = captions.map((c) => Number(c.split('·')[1])).filter(Number.isFinite)
    expect(errors.length).toBeGreaterThan(10)
    expect(errors).toEqual([...errors].sort((a, b) => b - a))
    await page.screenshot({ path: join(shots, 'reconstructions-gallery.png') })
  })

  it('sets an outlier threshold on the histogram and lists the images above it', async () => {
    await page.getByTestId('tab-outliers').click()
    const histogram = page.getByTestId('error-histogram')
    const box = (await histogram.boundingBox())!
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height / 2)
    await expect
      .poll(() => page.getByTestId('outlier-count').textContent())
      .toMatch(/\d+ images above it/)
    await expect.poll(() => drawn(page, 'outliers')).toBeGreaterThan(0)
    const above = Number(
      (await page.getByTestId('outlier-count').textContent())!
        .match(/([\d,]+) images above/)![1]
        .replace(/,/g, ''),
    )
    await page.getByTestId('outliers-select').click()
    await expect
      .poll(() => page.getByTestId('selection-count').textContent())
      .toContain(`${above} selected`)
    await page.screenshot({ path: join(shots, 'reconstructions-outliers.png') })
  })

  it('denoises live as the noise level changes', async () => {
    await page.getByTestId('tab-denoise').click()
    await expect.poll(() => drawn(page, 'denoise')).toBe(18)
    await page.getByTestId('noise-kind').selectOption('salt-pepper')
    await page.getByTestId('noise-level').fill('0.6')
    await page.waitForTimeout(800)
    expect(await drawn(page, 'denoise')).toBe(18)
    await page.screenshot({ path: join(shots, 'reconstructions-denoise.png') })
  })

  it('draws the interpolation strip, and the VAE samples and 2-D manifold grid', async () => {
    await page.getByTestId('tab-interpolate').click()
    await expect.poll(() => drawn(page, 'interpolation')).toBe(10)
    // between the first two selected images (the outliers added above)
    await page.getByTestId('selected-pair').click()
    await expect
      .poll(() => page.locator('.interpolate-tab input[type=number]').first().inputValue())
      .not.toBe('0')
    await expect.poll(() => drawn(page, 'interpolation')).toBe(10)
    await page.screenshot({ path: join(shots, 'reconstructions-interpolation.png') })
    await page.getByTestId('tab-generate').click()
    await expect.poll(() => drawn(page, 'manifold'), { timeout: 30_000 }).toBe(225)
    await expect.poll(() => drawn(page, 'samples')).toBe(64)
    await page.screenshot({ path: join(shots, 'reconstructions-manifold.png'), fullPage: true })
  })

  it('draws the first-layer units and the images that excite one most', async () => {
    await page.getByTestId('tab-units').click()
    await expect.poll(() => drawn(page, 'filters'), { timeout: 30_000 }).toBe(512)
    await page.getByTestId('filters').locator('canvas').nth(5).click()
    await expect.poll(() => drawn(page, 'top-activating')).toBe(12)
    await page.screenshot({ path: join(shots, 'reconstructions-units.png') })
  })
})
