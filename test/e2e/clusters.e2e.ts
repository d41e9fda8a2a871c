// Clusters, end to end in Chromium through `studio serve`, on the bundled Fashion-MNIST sample:
// sweep k, cluster with k-means, read the cards and the cluster × label heatmap, refine with
// IDEC, rename a cluster, open its members, export one folder of images per cluster, colour
// the latent explorer by cluster, and cluster with N2D over several runs. Screenshots: test-results/e2e/clusters-*.png.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipReason } from './browser'
import { importSample, openApp, openHash, type App } from './cli'

const root = join(import.meta.dirname, '..', '..')
const shots = join(root, 'test-results', 'e2e')
if (skipReason) console.warn(`clusters e2e skipped: ${skipReason}`)

describe.skipIf(Boolean(skipReason))('clusters, end to end in Chromium', () => {
  let app: App
  let page: Page
  let work = ''
  let runId = 0

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    app = await openApp(
      'studio-e2e-clusters-',
      (db) => {
        runId = importSample(db).train('--preset', 'quick-look', '--epochs', '4')
      },
      { width: 1400, height: 1000 },
    )
    ;({ page, work } = app)
  }, 180_000)

  afterAll(() => app?.close())

  it('sweeps k and marks the suggested k', async () => {
    await openHash(page, `#/runs/${runId}/clusters`)
    await page.getByTestId('sweep').click()
    const sweep = page.getByTestId('sweep-result')
    await sweep.waitFor({ state: 'visible', timeout: 60_000 })
    expect(await sweep.locator('h3').textContent()).toMatch(/suggested k = \d+/)
    // the charts draw a frame after the section appears
    await expect.poll(() => sweep.locator('canvas').count()).toBeGreaterThan(0)
  })

  it('clusters with k = 10 and shows cards, metrics and the cluster × label heatmap', async () => {
    await page.getByTestId('k').fill('10')
    await page.getByTestId('cluster').click()
    await expect.poll(() => page.getByTestId('cluster-card').count(), { timeout: 60_000 }).toBe(10)
    const metrics = await page.getByTestId('cluster-metrics').innerText()
    const acc = Number(metrics.match(/ACC\s+([\d.]+)/)![1])
    expect(acc).toBeGreaterThan(0.3) // ten classes: chance is about 0.1
    await expect.poll(() => page.getByTestId('confusion').locator('tbody tr').count()).toBe(10)
    await expect
      .poll(() => page.getByTestId('cluster-card').first().locator('canvas').count())
      .toBe(10) // 6 central + 4 uncertain
    await page.screenshot({ path: join(shots, 'clusters-cards.png'), fullPage: true })
  })

  it('refines the clusters with IDEC and shows its epochs', async () => {
    await page.getByTestId('method').selectOption('idec')
    await page.getByTestId('deep-epochs').fill('2')
    await expect.poll(() => page.getByTestId('deep-weight').inputValue()).toBe('0.1')
    await page.getByTestId('cluster').click()
    const refinement = page.getByTestId('refinement')
    await refinement.waitFor({ state: 'visible', timeout: 120_000 })
    expect(await refinement.locator('h3').innerText()).toMatch(/Refinement: [12] epochs? of IDEC/)
    await expect.poll(() => refinement.locator('canvas').count()).toBeGreaterThan(0)
    expect(
      await page.getByTestId('clustering-select').locator('option:checked').innerText(),
    ).toMatch(/IDEC · k = 10/)
    await expect.poll(() => page.getByTestId('cluster-card').count()).toBe(10)
    const acc = Number(
      (await page.getByTestId('cluster-metrics').innerText()).match(/ACC\s+([\d.]+)/)![1],
    )
    expect(acc).toBeGreaterThan(0.3)
    // how far it moved from its k-means, with the labels' ACC before and after
    const moved = await page.getByTestId('refinement-moved').innerText()
    const [, percent, before, after] = moved.match(
      /It moved ([\d.]+)% of the images from the k-means it started from \(ACC ([\d.]+) → ([\d.]+)/,
    )!
    expect(Number(after)).toBeCloseTo(acc, 3)
    expect(Number(before)).toBeGreaterThan(0.3)
    // the warning shows exactly when it moved (next to) nothing
    expect(await page.getByTestId('refinement-nothing').count()).toBe(Number(percent) < 0.1 ? 1 : 0)
    expect(await page.getByTestId('separation').innerText()).toMatch(
      /In the codes these clusters are .+ \(silhouette -?[\d.]+, from −1 to 1\)/,
    )
    await page.screenshot({ path: join(shots, 'clusters-idec.png'), fullPage: true })
  })

  it('renames a cluster and opens its members', async () => {
    const name = page.getByTestId('cluster-card').first().locator('input')
    await name.fill('first group')
    await name.press('Enter')
    await expect
      .poll(() =>
        page.getByTestId('confusion').locator('tbody th', { hasText: 'first group' }).count(),
      )
      .toBe(1)
    await page
      .getByTestId('cluster-card')
      .first()
      .getByRole('button', { name: 'All members' })
      .click()
    const members = page.getByTestId('cluster-members')
    await members.waitFor()
    // the thumbnails draw once their page of images has loaded, after the list appears
    await expect.poll(() => members.locator('canvas').count()).toBeGreaterThan(10)
  })

  it('exports one folder of images per cluster, named by the clusters', async () => {
    const out = join(work, 'by-cluster')
    await page.getByTestId('export-format').selectOption('folders')
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByTestId('export-run').click(),
    ])
    const zip = join(work, 'by-cluster.zip')
    await download.saveAs(zip)
    execFileSync('unzip', ['-q', zip, '-d', out])
    await expect.poll(() => page.getByText(/Exported 2,000 files/).count()).toBe(1)
    const [top] = readdirSync(out)
    const folders = readdirSync(join(out, top))
    expect(folders).toHaveLength(10)
    expect(folders).toContain('first group')
    expect(
      folders.reduce((sum, folder) => sum + readdirSync(join(out, top, folder)).length, 0),
    ).toBe(2000)
  })

  it('colours the latent explorer by cluster', async () => {
    await openHash(page, `#/runs/${runId}/latent`)
    await page.getByTestId('latent-stage').locator('canvas').waitFor({ timeout: 60_000 })
    await page.getByTestId('colour-by').selectOption('cluster')
    await expect.poll(() => page.getByTestId('scatter-legend').innerText()).toMatch(/first group/)
    await page.waitForTimeout(1000)
    await page.screenshot({ path: join(shots, 'clusters-latent.png') })
  })

  it('clusters with N2D over three runs and lists it with its runs', async () => {
    await openHash(page, `#/runs/${runId}/clusters`)
    await page.getByTestId('method').selectOption('n2d')
    await expect.poll(() => page.getByTestId('n2d-runs').inputValue()).toBe('5')
    await page.getByTestId('n2d-runs').fill('3')
    await page.getByTestId('cluster').click()
    const chosen = page.getByTestId('clustering-select').locator('option:checked')
    await expect.poll(() => chosen.innerText(), { timeout: 120_000 }).toMatch(/N2D × 3 · k = 10/)
    await expect.poll(() => page.getByTestId('cluster-card').count()).toBe(10)
    const acc = Number(
      (await page.getByTestId('cluster-metrics').innerText()).match(/ACC\s+([\d.]+)/)![1],
    )
    expect(acc).toBeGreaterThan(0.3)
    await page.screenshot({ path: join(shots, 'clusters-n2d.png'), fullPage: true })
  })
})
