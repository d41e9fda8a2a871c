// End to end in Chromium through `studio serve`, on the bundled Fashion-MNIST sample clustered
// by N2D (which gives each image a certainty): the latent view framing a fresh run's codes (and
// F fitting them again); a box selection exported as JSON and as a folder copy (a ZIP download);
// "Use as filter"; the certainty range narrowing the table and the plot; then the run's
// TensorBoard projector bundle and its model downloaded with export progress on the way.
// Screenshots: test-results/e2e/selection-data-*.png.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipReason } from './browser'
import { importSample, openApp, openHash, studioCli, type App } from './cli'
import { fashionClassNames } from '../../main/core/datasets/idx'

const root = join(import.meta.dirname, '..', '..')
const shots = join(root, 'test-results', 'e2e')
if (skipReason) console.warn(`selection data e2e skipped: ${skipReason}`)

const selectedCount = async (page: Page) =>
  Number((await page.getByTestId('selection-count').innerText()).replace(/\D/g, ''))
const lit = (page: Page) => page.getByTestId('latent-stage').getAttribute('data-lit')
const tableCount = async (page: Page) =>
  Number((await page.getByTestId('table-count').innerText()).split(' of ')[0].replace(/\D/g, ''))

const labels = fashionClassNames

describe.skipIf(Boolean(skipReason))('a selection out of the app and as a filter', () => {
  let app: App
  let page: Page
  let work = ''
  let runId = 0
  let selected = 0

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    app = await openApp(
      'studio-e2e-selection-data-',
      (db) => {
        runId = importSample(db).train('--preset', 'quick-look', '--epochs', '2')
        studioCli(
          db,
          'cluster',
          '--run',
          String(runId),
          '--method',
          'n2d',
          '--k',
          '4',
          '--runs',
          '1',
        )
      },
      { width: 1400, height: 1000 },
    )
    ;({ page, work } = app)
  }, 240_000)

  afterAll(() => app?.close())

  it('frames a fresh run’s codes on load, and fits them again with F after a zoom', async () => {
    await openHash(page, `#/runs/${runId}/latent`)
    const canvas = page.getByTestId('latent-stage').locator('canvas')
    await canvas.waitFor({ timeout: 60_000 })
    await page.getByTestId('projecting').waitFor({ state: 'detached', timeout: 60_000 })
    /** the share of the canvas the points' box covers, and how many points lie off it */
    const framing = () =>
      // runs in the page: the scatter's test hook on its canvas (LatentScatter.vue)
      canvas.evaluate((c) => {
        const e = (c as unknown as { screenExtent(): Record<string, number> }).screenExtent()
        const area = ((e.maxX - e.minX) * (e.maxY - e.minY)) / (e.width * e.height)
        return { area, outside: e.outside, count: e.count }
      })
    const loaded = await framing()
    expect(loaded.count).toBe(2000)
    expect(loaded.outside).toBe(0)
    expect(loaded.area).toBeGreaterThan(0.4)
    await page.waitForTimeout(600)
    await page.screenshot({ path: join(shots, 'selection-data-fitted.png') })

    const box = (await canvas.boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 400)
    await expect.poll(async () => (await framing()).area).toBeLessThan(loaded.area * 0.8)
    await page.keyboard.press('f')
    await expect.poll(async () => (await framing()).area).toBeGreaterThan(0.4)
    expect((await framing()).outside).toBe(0)
  })

  it('exports a box selection as JSON, with each item’s cluster and certainty', async () => {
    const box = (await page.getByTestId('latent-stage').boundingBox())!
    await page.keyboard.down('Shift')
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.7, { steps: 6 })
    await page.mouse.up()
    await page.keyboard.up('Shift')
    await page.getByTestId('selection-bar').waitFor({ timeout: 30_000 })
    selected = await selectedCount(page)
    expect(selected).toBeGreaterThan(5)

    const download = page.waitForEvent('download')
    await page.getByTestId('export-json').click()
    const file = join(work, 'selection.json')
    await (await download).saveAs(file)
    const { items } = JSON.parse(readFileSync(file, 'utf8')) as {
      items: { id: number; path: string; label: string; cluster: number; certainty: number }[]
    }
    expect(items).toHaveLength(selected)
    expect(new Set(items.map((item) => item.id)).size).toBe(selected)
    for (const item of items) {
      expect(labels).toContain(item.label)
      expect(item.path).toMatch(/#\d+$/)
      expect(item.cluster).toBeGreaterThanOrEqual(1) // numbered from 1 in exports
      expect(item.cluster).toBeLessThanOrEqual(4)
      expect(item.certainty).toBeGreaterThan(0)
      expect(item.certainty).toBeLessThanOrEqual(1)
    }
  })

  it('exports the selection as a folder copy: a ZIP of one folder per label', async () => {
    const download = page.waitForEvent('download', { timeout: 60_000 })
    await page.getByTestId('export-folders').click()
    const zip = join(work, 'selection.zip')
    const saved = await download
    expect(saved.suggestedFilename()).toMatch(/\.zip$/)
    await saved.saveAs(zip)
    const out = join(work, 'unzipped')
    execFileSync('unzip', ['-q', zip, '-d', out])
    const images = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) =>
      e.isFile(),
    )
    expect(images).toHaveLength(selected)
    expect(images.every((e) => /\.png$/.test(e.name))).toBe(true)
    // every image sits in the folder of its label
    const folders = new Set(
      images.map((e) =>
        e.parentPath
          .slice(out.length + 1)
          .split('/')
          .pop(),
      ),
    )
    for (const folder of folders) expect(labels.map((l) => l.replace('/', '_'))).toContain(folder)
  })

  it('uses the selection as a filter: the rest stays dimmed once the selection is cleared', async () => {
    await page.getByTestId('selection-filter').click()
    await expect
      .poll(() => page.getByTestId('filter-note').innerText())
      .toContain(`${selected.toLocaleString('en-US')} kept`)
    await page.getByTestId('selection-clear').click()
    await expect.poll(() => lit(page)).toBe(String(selected))
    await page.waitForTimeout(600)
    await page.screenshot({ path: join(shots, 'selection-data-as-filter.png') })
    await openHash(page, `#/runs/${runId}/table`)
    await expect.poll(() => tableCount(page), { timeout: 30_000 }).toBe(selected)
    await page.getByTestId('filter-reset').click()
    await expect.poll(() => page.getByTestId('table-count').innerText()).toMatch(/^2,000 items/)
  })

  it('narrows the table and the plot to a certainty range', async () => {
    const least = page.getByLabel('Certainty at least')
    await least.waitFor({ timeout: 30_000 })
    await least.fill('0.99')
    await expect
      .poll(() => page.getByTestId('table-count').innerText(), { timeout: 30_000 })
      .toMatch(/ of 2,000/)
    const sure = await tableCount(page)
    expect(sure).toBeGreaterThan(0)
    expect(sure).toBeLessThan(2000)
    await page.screenshot({ path: join(shots, 'selection-data-certainty-table.png') })
    await page.getByLabel('Certainty at most').fill('0.99')
    await least.fill('')
    await expect.poll(() => tableCount(page), { timeout: 30_000 }).toBe(2000 - sure)
    await page.getByLabel('Certainty at most').fill('')
    await least.fill('0.99')
    await expect.poll(() => tableCount(page), { timeout: 30_000 }).toBe(sure)

    await openHash(page, `#/runs/${runId}/latent`)
    await expect.poll(() => lit(page), { timeout: 30_000 }).toBe(String(sure))
    expect(await page.getByTestId('filter-note').innerText()).toContain(
      `${sure.toLocaleString('en-US')} kept`,
    )
    await page.waitForTimeout(600)
    await page.screenshot({ path: join(shots, 'selection-data-certainty-latent.png') })
  })

  it('downloads the projector bundle and the model as ZIPs, with export progress on the way', async () => {
    // a fresh page load, so the app's socket is one this test listens to
    const progress: string[] = []
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        const text = payload.toString()
        if (text.includes('export:progress')) progress.push(text)
      }),
    )
    await openHash(page, '#/runs')
    await page.reload()
    const row = page.getByTestId('run-row').first()
    await row.waitFor({ timeout: 60_000 })
    for (const [kind, file, check] of [
      ['projector', 'vectors.tsv', (text: string) => text.trim().split('\n').length === 2000],
      ['model', 'encoder/model.json', (text: string) => 'modelTopology' in JSON.parse(text)],
    ] as const) {
      progress.length = 0
      await row.getByTestId('export-button').click()
      const dialog = page.getByTestId('export-dialog')
      await dialog.waitFor()
      await dialog.locator(`input[value="${kind}"]`).check()
      const download = page.waitForEvent('download', { timeout: 90_000 })
      await page.getByTestId('export-start').click()
      // the bar shows while the server writes; a fast export may be done before it is seen
      await page
        .getByTestId('export-progress')
        .waitFor({ timeout: 5_000 })
        .then(() => page.screenshot({ path: join(shots, `selection-data-progress-${kind}.png`) }))
        .catch(() => undefined)
      const saved = await download
      expect(saved.suggestedFilename()).toMatch(new RegExp(`-${kind}\\.zip$`))
      const zip = join(work, `${kind}.zip`)
      await saved.saveAs(zip)
      const text = execFileSync('unzip', ['-p', zip, `*/${file}`], { encoding: 'utf8' })
      expect(check(text)).toBe(true)
      expect(progress.length).toBeGreaterThan(0)
      await page.getByTestId('export-files').waitFor()
      await page.screenshot({ path: join(shots, `selection-data-export-${kind}.png`) })
      await page.keyboard.press('Escape')
      await dialog.waitFor({ state: 'detached' })
    }
  })
})
