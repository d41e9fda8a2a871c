// Training from the UI, in real Chromium through `studio serve`: load the sample, start a Quick
// look run from the Train view, watch the chart and the reconstructions fill until it completes,
// then find it in the Runs view, overlay two runs, rename, export and delete. Screenshots:
// test-results/e2e.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, skipReason } from './browser'
import { startServe, type RunningServer } from './server'

const shots = join(import.meta.dirname, '..', '..', 'test-results', 'e2e')
if (skipReason) console.warn(`e2e skipped: ${skipReason}`)

/** Points per chart series, from the chart's data-points ("n:last,n:last,…"). */
async function seriesLengths(page: Page): Promise<number[]> {
  const points = (await page.getByTestId('loss-chart').getAttribute('data-points')) ?? ''
  return points
    .split(',')
    .filter(Boolean)
    .map((entry) => Number(entry.split(':')[0]))
}

/** Canvases of the strip that have been drawn (a drawn canvas has the image's width). */
function drawnCells(page: Page, testId: string): Promise<number> {
  return (
    page
      .getByTestId(testId)
      // runs in the page; the Node-side types have no DOM, so the canvas is typed by what is read
      .evaluateAll(
        (canvases) => canvases.filter((c) => Number((c as { width?: number }).width) > 0).length,
      )
  )
}

describe.skipIf(Boolean(skipReason))('training, end to end in Chromium', () => {
  let work: string
  let server: RunningServer
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    work = mkdtempSync(join(tmpdir(), 'studio-e2e-train-'))
    server = await startServe(join(work, 'workspace.sqlite'))
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
    page.on('pageerror', (error) => console.error('page error:', error))
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    rmSync(work, { recursive: true, force: true })
  })

  it('opens the Train view from the sample dataset with Quick look chosen', async () => {
    await page.goto(server.url)
    await page.getByTestId('sample-button').click()
    await page.getByTestId('dataset-grid').waitFor({ timeout: 60_000 })
    await page.getByTestId('train-dataset-button').click()
    await page.getByTestId('train-setup').waitFor()
    expect(page.url()).toMatch(/#\/train\?dataset=\d+/)
    const quickLook = page.locator('[data-testid="preset"][data-preset="quick-look"]')
    expect(await quickLook.getAttribute('aria-checked')).toBe('true')
    expect(await page.getByTestId('config-summary').textContent()).toContain('784-256-32 dense')
    await page.screenshot({ path: join(shots, 'training-01-setup.png') })
  })

  it('refuses an invalid value next to its field, before sending anything', async () => {
    await page.getByTestId('advanced-toggle').click()
    await page.getByTestId('field-latent').fill('1')
    await page.getByTestId('start-button').click()
    const error = page.getByTestId('error-tf-latent')
    await error.waitFor()
    expect(await error.textContent()).toMatch(/2 to 256/)
    expect(await page.getByTestId('start-error').textContent()).toMatch(/not valid/)
    expect(await page.getByTestId('live-panel').count()).toBe(0)
    await page.screenshot({ path: join(shots, 'training-02-invalid.png') })
    await page.getByTestId('field-latent').fill('32')
    await expect.poll(() => error.count()).toBe(0)
  })

  it("checks the chosen objective's gradients on request", async () => {
    await page.getByTestId('gradient-check-button').click()
    const result = page.getByTestId('gradient-check-result')
    await result.waitFor({ timeout: 30_000 })
    expect(await result.textContent()).toMatch(/Gradients agree: largest relative error \d/)
    await page
      .getByTestId('gradient-check')
      .screenshot({ path: join(shots, 'training-02b-gradcheck.png') })
  })

  it('trains a Quick look run and shows the loss, the reconstructions and completion', async () => {
    await page.getByTestId('field-epochs').fill('3')
    await page.getByTestId('start-button').click()
    const panel = page.getByTestId('live-panel')
    await panel.waitFor()
    expect(page.url()).toMatch(/run=\d+/)

    // after the first epoch: a chart with values and a drawn strip, while the run goes on
    await page
      .locator('[data-testid="reconstruction-strip"]:not([data-epoch=""])')
      .waitFor({ timeout: 60_000 })
    await expect.poll(() => seriesLengths(page).then((lengths) => lengths[1])).toBeGreaterThan(0)
    expect(await drawnCells(page, 'strip-original')).toBe(8)
    expect(await drawnCells(page, 'strip-reconstruction')).toBe(8)
    expect(await page.getByTestId('backend-badge').textContent()).toMatch(/\w/)
    await page.screenshot({ path: join(shots, 'training-03-live.png') })

    await page
      .locator('[data-testid="live-panel"][data-status="completed"]')
      .waitFor({ timeout: 120_000 })
    expect(await page.getByTestId('live-epoch').textContent()).toMatch(/Epoch 3 of 3/)
    // train and validation loss, one value per epoch; the per-batch line has more
    const [batches, train, validation] = await seriesLengths(page)
    expect(train).toBe(3)
    expect(validation).toBe(3)
    expect(batches).toBeGreaterThanOrEqual(3)
    expect(await page.getByTestId('reconstruction-strip').getAttribute('data-epoch')).toBe('3')
    expect(await page.getByTestId('run-completed').textContent()).toMatch(/Completed 3 epochs/)
    await page.getByTestId('toast').filter({ hasText: 'finished' }).waitFor()
    await page.screenshot({ path: join(shots, 'training-04-completed.png') })
    await page.emulateMedia({ colorScheme: 'dark' })
    // animations disabled: buttons would be caught halfway through their colour transition
    await page.screenshot({
      path: join(shots, 'training-05-completed-dark.png'),
      animations: 'disabled',
    })
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it('lists the run in the Runs view and trains again with its config', async () => {
    await page.getByTestId('nav-runs').click()
    const rows = page.getByTestId('run-row')
    await rows.first().waitFor()
    expect(await rows.count()).toBe(1)
    const first = rows.first()
    expect(await first.getAttribute('data-status')).toBe('completed')
    expect(await first.textContent()).toContain('784-256-32 dense')
    expect(await first.textContent()).toContain('3/3')

    await first.getByTestId('train-again').click()
    await page.getByTestId('copied-from').waitFor()
    expect(await page.getByTestId('field-epochs').inputValue()).toBe('3')
    await page.getByTestId('field-epochs').fill('2')
    // a different step size, so the two curves do not coincide (same seed, same losses)
    await page.getByTestId('field-learning-rate').fill('0.003')
    await page.getByTestId('run-name').fill('Quick look, 2 epochs')
    await page.getByTestId('start-button').click()
    await page
      .locator('[data-testid="live-panel"][data-status="completed"]')
      .waitFor({ timeout: 120_000 })
    expect(await page.getByTestId('live-run-name').textContent()).toContain('Quick look, 2 epochs')
  })

  it('overlays two runs, renames one inline, exports embeddings and deletes after asking', async () => {
    await page.getByTestId('nav-runs').click()
    const rows = page.getByTestId('run-row')
    await expect.poll(() => rows.count()).toBe(2)
    await rows.nth(0).getByTestId('run-select').check()
    await rows.nth(1).getByTestId('run-select').check()
    const chart = page.getByTestId('compare-card').getByTestId('loss-chart')
    await chart.waitFor()
    // two runs, each a train and a validation curve
    await expect.poll(() => chart.locator('.legend-item').count()).toBe(4)
    await expect.poll(() => seriesLengths(page)).toEqual([2, 2, 3, 3])
    await page.screenshot({ path: join(shots, 'training-06-runs-compare.png') })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({
      path: join(shots, 'training-07-runs-compare-dark.png'),
      animations: 'disabled',
    })
    await page.emulateMedia({ colorScheme: 'light' })

    const second = rows.nth(0)
    await second.getByTestId('run-rename-button').click()
    await page.getByTestId('run-rename-input').fill('Short quick look')
    await page.getByTestId('run-rename-input').press('Enter')
    await expect
      .poll(() => second.getByTestId('run-name').textContent())
      .toContain('Short quick look')

    await second.getByTestId('export-button').click()
    await page.getByTestId('export-dialog').waitFor()
    const out = join(work, 'codes.csv')
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByTestId('export-start').click(),
    ])
    await download.saveAs(out)
    const written = page.getByTestId('export-files')
    await written.waitFor({ timeout: 60_000 })
    expect(await written.textContent()).toContain('Short-quick-look-embeddings.csv')
    // a header, then one row per image of the sample
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2001)
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('export-dialog').count()).toBe(0)

    await second.getByTestId('run-delete-button').click()
    const confirm = page.getByTestId('confirm-dialog')
    await confirm.waitFor()
    expect(await confirm.textContent()).toContain('Short quick look')
    await page.keyboard.press('Escape')
    expect(await rows.count()).toBe(2)
    await second.getByTestId('run-delete-button').click()
    await page.getByTestId('confirm-ok').click()
    await expect.poll(() => rows.count()).toBe(1)
  })

  it('moves the progress bar batch by batch within the first epoch', async () => {
    await page.getByTestId('nav-runs').click()
    await page.getByTestId('run-row').first().getByTestId('train-again').click()
    await page.getByTestId('copied-from').waitFor()
    // many small batches: the first epoch lasts long enough for several progress events
    await page.getByTestId('field-batch-size').fill('4')
    await page.getByTestId('field-epochs').fill('2')
    await page.getByTestId('run-name').fill('Small batches')
    await page.getByTestId('start-button').click()
    await page.getByTestId('live-panel').waitFor()
    // the bar and the epochs done, read together: the bar has moved while no epoch has ended
    const seen = await page.waitForFunction(
      () => {
        // runs in the page; the Node-side types have no DOM
        type Element = { getAttribute(name: string): string | null }
        const { document } = globalThis as unknown as {
          document: { querySelector(selector: string): Element | null }
        }
        const bar = document.querySelector('[data-testid="live-progress"] [role="progressbar"]')
        const value = Number(bar?.getAttribute('aria-valuenow') ?? 0)
        const chart = document.querySelector('[data-testid="loss-chart"]')
        const points = (chart?.getAttribute('data-points') ?? '').split(',')
        const epochsDone = Number(points[1]?.split(':')[0] ?? 0)
        return value > 0 ? { value, epochsDone } : null
      },
      undefined,
      { timeout: 60_000, polling: 100 },
    )
    const { value, epochsDone } = (await seen.jsonValue()) as { value: number; epochsDone: number }
    expect(value).toBeGreaterThan(0)
    expect(epochsDone).toBe(0)
    await page
      .getByTestId('live-progress')
      .screenshot({ path: join(shots, 'training-08-first-epoch-progress.png') })
    await page.getByTestId('stop-button').click()
    await page.getByTestId('confirm-ok').click()
    await page
      .locator('[data-testid="live-panel"][data-status="cancelled"]')
      .waitFor({ timeout: 60_000 })
  })
})
