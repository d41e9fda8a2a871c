// The desktop app, end to end: it opens, imports the bundled sample, trains one epoch, and shows
// the run's codes in the latent view. Screenshots: test-results/e2e-electron (the release
// workflow keeps them as an artifact).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openHash } from '../e2e/cli'
import { launchApp, skipReason, type RunningApp } from './launch'

const shots = join(import.meta.dirname, '..', '..', 'test-results', 'e2e-electron')
if (skipReason) console.warn(`e2e-electron skipped: ${skipReason}`)

describe.skipIf(Boolean(skipReason))('the desktop app', () => {
  let app: RunningApp
  let userData: string

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    userData = mkdtempSync(join(tmpdir(), 'studio-electron-'))
    app = await launchApp(userData)
  })

  afterAll(async () => {
    await app?.close()
    rmSync(userData, { recursive: true, force: true })
  })

  it('opens on an empty workspace served from the studio:// scheme', async () => {
    const { page } = app
    await page.getByTestId('empty-state').waitFor({ timeout: 60_000 })
    expect(page.url()).toMatch(/^studio:\/\/app\//)
    await page.screenshot({ path: join(shots, 'app-01-open.png') })
  })

  it('imports the sample and trains one epoch in a compute process', async () => {
    const { page } = app
    await page.getByTestId('sample-button').click()
    await page.getByTestId('dataset-grid').waitFor({ timeout: 120_000 })
    await page.getByTestId('train-dataset-button').click()
    await page.getByTestId('train-setup').waitFor()
    await page.getByTestId('field-epochs').fill('1')
    await page.getByTestId('start-button').click()
    await page
      .locator('[data-testid="live-panel"][data-status="completed"]')
      .waitFor({ timeout: 180_000 })
    expect(await page.getByTestId('run-completed').textContent()).toMatch(/Completed 1 epoch/)
  })

  it("opens the run's latent view", async () => {
    const { page } = app
    const runId = /run=(\d+)/.exec(page.url())?.[1]
    expect(runId).toMatch(/^\d+$/)
    await openHash(page, `#/runs/${runId}/latent`)
    await page.getByTestId('latent-stage').locator('canvas').waitFor({ timeout: 60_000 })
    await page.getByTestId('projecting').waitFor({ state: 'detached', timeout: 120_000 })
    await page.screenshot({ path: join(shots, 'app-02-latent.png') })
  })
})
