// Honest training status and stopped runs, end to end in Chromium through `studio serve`: a run
// whose reconstructions collapsed (SGD at learning rate 10) reads "Completed — with warnings" with
// what to try, in the runs list, on its page and in the live panel; a run paused with Space from
// anywhere on the live page, then stopped, is analysed, exported and continued like a completed
// one. Screenshots: test-results/e2e/run-status-*.png.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipReason } from './browser'
import { importSample, openApp, openHash, type App } from './cli'

const root = join(import.meta.dirname, '..', '..')
const shots = join(root, 'test-results', 'e2e')
if (skipReason) console.warn(`run status e2e skipped: ${skipReason}`)

const small = ['--hidden', '32', '--latent', '4', '--batch', '100', '--seed', '3']

/** Leaves the focus on the page itself, on no control. */
async function blur(page: Page): Promise<void> {
  await page.evaluate(() => {
    // runs in the page; the Node-side types have no DOM
    const doc = (globalThis as unknown as { document: { activeElement: { blur?(): void } | null } })
      .document
    doc.activeElement?.blur?.()
  })
}

async function status(page: Page): Promise<string | null> {
  return page.getByTestId('live-panel').getAttribute('data-status')
}

describe.skipIf(Boolean(skipReason))('training status and stopped runs in Chromium', () => {
  let app: App
  let page: Page
  let datasetId = 0
  let collapsed = 0
  let healthy = 0

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    app = await openApp('studio-e2e-status-', (db) => {
      const sample = importSample(db)
      datasetId = sample.datasetId
      const sgd = ['--optimizer', 'sgd', '--lr', '10', '--epochs', '3']
      collapsed = sample.train(...small, ...sgd, '--name', 'collapsed run')
      healthy = sample.train(...small, '--epochs', '2', '--name', 'healthy run')
    })
    page = app.page
  }, 240_000)

  afterAll(() => app?.close())

  it('says a collapsed run completed with warnings, and what to try, in the runs list', async () => {
    await openHash(page, '#/runs')
    const row = page.getByTestId('run-row').filter({ hasText: 'collapsed run' })
    const badge = row.getByTestId('run-status')
    expect(await badge.textContent()).toMatch(/Completed — with warnings/)
    expect(await row.getByTestId('run-warnings').textContent()).toMatch(/collapsed/)
    const tip = await row.getByTestId('run-warnings').locator('li').first().getAttribute('title')
    expect(tip).toMatch(/Try: .*learning rate/)
    const fine = page.getByTestId('run-row').filter({ hasText: 'healthy run' })
    expect((await fine.getByTestId('run-status').textContent())?.trim()).toBe('Completed')
    expect(await fine.getByTestId('run-warnings').count()).toBe(0)
    await page.screenshot({ path: join(shots, 'run-status-list.png') })
  })

  it('lists the warnings on the run page and in the live panel', async () => {
    await openHash(page, `#/runs/${collapsed}`)
    // the runs list (its compact warnings carry the same test id) stays until the run page's
    // chunk has loaded: wait for the run page itself first
    await page.getByTestId('open-latent').waitFor()
    const warnings = page.getByTestId('run-warnings')
    await warnings.waitFor()
    expect(await warnings.textContent()).toMatch(/reconstructions collapsed.*Try:/s)
    expect(await page.getByTestId('run-status').textContent()).toMatch(/with warnings/)
    await page.screenshot({ path: join(shots, 'run-status-page.png') })
    await openHash(page, `#/train?dataset=${datasetId}&run=${collapsed}`)
    const panel = page.getByTestId('live-panel')
    await panel.getByTestId('run-warnings').waitFor()
    expect(await panel.getByTestId('run-completed').textContent()).toMatch(/with warnings/)
    expect(await panel.getByTestId('run-completed').getAttribute('class')).toMatch(/warning/)
  })

  it('pauses with Space from anywhere on the live page, stops, and offers everything', async () => {
    // the train page rewrites its query once it has copied the config: wait for that, not the URL
    await page.evaluate((h) => {
      ;(globalThis as unknown as { location: { hash: string } }).location.hash = h
    }, `#/train?dataset=${datasetId}&from=${healthy}`)
    await page.getByTestId('copied-from').waitFor()
    await page.getByTestId('field-epochs').fill('40')
    await page.getByTestId('run-name').fill('stopped run')
    await page.getByTestId('start-button').click()
    const panel = page.getByTestId('live-panel')
    await expect.poll(() => status(page), { timeout: 60_000 }).toBe('running')
    // one epoch done, so the run has a checkpoint
    await expect
      .poll(async () => (await page.getByTestId('live-epoch').textContent()) ?? '', {
        timeout: 120_000,
      })
      .toMatch(/Epoch ([2-9]|\d\d) of 40/)
    // focus on nothing in particular: Space still pauses and resumes
    await blur(page)
    await page.keyboard.press('Space')
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('paused')
    await blur(page)
    await page.keyboard.press('Space')
    await expect.poll(() => status(page), { timeout: 30_000 }).toBe('running')
    await panel.getByTestId('stop-button').click()
    await page.getByTestId('confirm-ok').click()
    await expect.poll(() => status(page), { timeout: 60_000 }).toBe('cancelled')
    expect(await panel.getByTestId('continue-button').isVisible()).toBe(true)
    await page.screenshot({ path: join(shots, 'run-status-stopped-live.png') })

    await panel.getByTestId('open-run').click()
    await page.getByTestId('open-compare').waitFor()
    for (const id of ['open-latent', 'open-clusters', 'open-reconstructions'])
      expect(await page.getByTestId(id).isVisible()).toBe(true)
    expect(await page.getByTestId('run-export').isEnabled()).toBe(true)
    expect(await page.getByRole('button', { name: /Continue from epoch/ }).isVisible()).toBe(true)
    await page.screenshot({ path: join(shots, 'run-status-stopped-page.png') })

    // its codes come from its last checkpoint: the compare view lays them out and measures them
    await page.getByTestId('open-compare').click()
    const cells = page.getByTestId('metrics').locator('tbody tr td:nth-child(2)')
    await expect
      .poll(async () => (await cells.allTextContents()).filter((t) => t !== '–').length, {
        timeout: 120_000,
      })
      .toBe(2)
    await page.screenshot({ path: join(shots, 'run-status-stopped-compare.png') })
    // its waits add up past the suite's 120 s on two busy cores: give it the sum
  }, 420_000)
})
