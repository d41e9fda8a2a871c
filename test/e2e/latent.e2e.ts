// The latent explorer, end to end in Chromium through `studio serve`: a run trained on all
// 70,000 Fashion-MNIST images renders in 3D, hovering a point shows its thumbnail, a lasso fills
// the gallery, one point shows its 12 nearest neighbours, the epochs replay, and the view saves
// as PNG. Screenshots: test-results/e2e/latent-*.png.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipReason } from './browser'
import { openApp, openHash, studioCli, type App } from './cli'

const root = join(import.meta.dirname, '..', '..')
const shots = join(root, 'test-results', 'e2e')
const fashion = '/usr/share/datasets/fashion-mnist'
const files = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
].map((f) => join(fashion, f))
const why =
  skipReason ||
  (files.every(existsSync) ? '' : `${fashion} not found (apt-get install dataset-fashion-mnist)`)
if (why) console.warn(`latent e2e skipped: ${why}`)

describe.skipIf(Boolean(why))('latent explorer, end to end in Chromium', () => {
  let app: App
  let page: Page
  let work = ''
  let runId = 0

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    app = await openApp(
      'studio-e2e-latent-',
      (db) => {
        const imported = studioCli(db, 'import', ...files, '--name', 'Fashion-MNIST') as {
          datasetId: number
          items: number
        }
        expect(imported.items).toBe(70_000)
        const trained = studioCli(
          db,
          'train',
          '--dataset',
          String(imported.datasetId),
          '--preset',
          'quick-look',
          '--epochs',
          '2',
        ) as { runId: number }
        runId = trained.runId
      },
      { width: 1400, height: 900 },
    )
    ;({ page, work } = app)
  }, 240_000)

  afterAll(() => app?.close())

  it('renders all 70,000 codes in 3D with a legend of the ten classes', async () => {
    await openHash(page, `#/runs/${runId}/latent`)
    await page.getByTestId('latent-stage').locator('canvas').waitFor({ timeout: 60_000 })
    await page.getByTestId('projecting').waitFor({ state: 'detached', timeout: 60_000 })
    await expect.poll(() => page.getByTestId('scatter-legend').locator('button').count()).toBe(10)
    await expect(page.getByText('All 70,000 images')).toBeTruthy()
    await page.waitForTimeout(1500)
    await page.screenshot({ path: join(shots, 'latent-70k.png') })
  })

  it('shows the thumbnail, name, label and error of a hovered point', async () => {
    const box = (await page.getByTestId('latent-stage').boundingBox())!
    let shown = false
    // walk a small spiral from the centre until a point is under the pointer
    for (let i = 0; i < 60 && !shown; i++) {
      const angle = i * 0.7
      const r = 4 + i * 3
      await page.mouse.move(
        box.x + box.width / 2 + r * Math.cos(angle),
        box.y + box.height / 2 + r * Math.sin(angle),
      )
      shown = await page
        .getByTestId('hover-card')
        .isVisible()
        .catch(() => false)
      if (!shown) await page.waitForTimeout(120)
    }
    expect(shown).toBe(true)
    const card = page.getByTestId('hover-card')
    await expect.poll(() => card.locator('canvas').count()).toBe(1)
    expect(await card.textContent()).toMatch(/ubyte\.gz#\d+.*error 0\.\d+/s)
    await page.screenshot({ path: join(shots, 'latent-hover.png') })
  })

  it('fills the gallery from a lasso, and shows 12 neighbours of one clicked point', async () => {
    await page.getByTestId('tool-lasso').click()
    const box = (await page.getByTestId('latent-stage').boundingBox())!
    const cx = box.x + box.width / 2
    const cy = box.y + box.height / 2
    await page.mouse.move(cx - 120, cy - 100)
    await page.mouse.down()
    for (const [dx, dy] of [
      [120, -130],
      [130, 0],
      [100, 120],
      [-20, 140],
      [-130, 60],
      [-120, -100],
    ])
      await page.mouse.move(cx + dx, cy + dy, { steps: 4 })
    await page.mouse.up()
    const gallery = page.getByTestId('selection-gallery')
    await gallery.waitFor({ timeout: 30_000 })
    const selected = Number(
      (await page.getByTestId('selection').locator('h3').first().textContent())!.replace(/\D/g, ''),
    )
    expect(selected).toBeGreaterThan(100)
    await expect.poll(() => gallery.locator('canvas').count()).toBe(Math.min(200, selected))
    await page.screenshot({ path: join(shots, 'latent-lasso.png') })

    await page.getByRole('button', { name: 'Orbit' }).click()
    await page.keyboard.press('Escape')
    for (let i = 0; i < 60; i++) {
      await page.mouse.click(cx + (i % 8) * 6 - 24, cy + Math.floor(i / 8) * 6 - 24)
      if (
        await page
          .getByTestId('neighbours')
          .isVisible()
          .catch(() => false)
      )
        break
    }
    await expect.poll(() => page.getByTestId('neighbours').locator('canvas').count()).toBe(12)
    await page.screenshot({ path: join(shots, 'latent-neighbours.png') })
  })

  it('`studio project` reuses the stored PCA layout, measures it, and writes it as CSV', async () => {
    const csv = join(work, 'layout.csv')
    const db = join(work, 'workspace.sqlite')
    const result = studioCli(
      db,
      'project',
      '--run',
      String(runId),
      '--method',
      'pca',
      '--dims',
      '3',
      '--csv',
      csv,
    ) as {
      projectionId: number
      trustworthiness: number
      knnAccuracy: number
    }
    expect(result.trustworthiness).toBeGreaterThan(0.8)
    expect(result.knnAccuracy).toBeGreaterThan(0.5)
    const lines = readFileSync(csv, 'utf8').trim().split('\r\n')
    expect(lines[0]).toBe('path,label,x,y,z')
    expect(lines).toHaveLength(70_001)
    expect(lines[1].split(',')).toHaveLength(5)
  })

  it('replays the stored epochs and saves the view as PNG', async () => {
    await page.getByTestId('view-epochs').click()
    const slider = page.getByTestId('epoch-slider')
    await slider.waitFor()
    expect(await slider.getAttribute('max')).toBe('1') // two epochs
    await slider.fill('0')
    await expect.poll(() => page.getByText(/epoch 1 of 2/).count()).toBe(1)
    await page.waitForTimeout(800)
    await page.screenshot({ path: join(shots, 'latent-epoch-1.png') })
    const download = page.waitForEvent('download')
    await page.getByTestId('save-png').click()
    const file = join(work, 'latent.png')
    await (await download).saveAs(file)
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG')
  })
})
