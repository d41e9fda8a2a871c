// Every view of the app, with data in it, checked by axe-core in Chromium through `studio serve`:
// no serious or critical violation (contrast, names of controls, images without text…).
// Screenshots: test-results/e2e/a11y-*.png.
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { skipReason } from './browser'
import { importSample, openApp, openHash, type App } from './cli'

const root = join(import.meta.dirname, '..', '..')
const shots = join(root, 'test-results', 'e2e')
const axePath = join(root, 'node_modules', 'axe-core', 'axe.min.js')
if (skipReason) console.warn(`accessibility e2e skipped: ${skipReason}`)

interface Violation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[]; failureSummary?: string }[]
}

/** axe-core's serious and critical violations on the page as it is now. */
async function violations(page: Page): Promise<Violation[]> {
  // evaluated, not added as a script tag: the app's Content-Security-Policy refuses inline scripts
  if (!(await page.evaluate(() => 'axe' in globalThis)))
    await page.evaluate(readFileSync(axePath, 'utf8'))
  const found = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } })
      .axe
    return (await axe.run()).violations
  })
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

function describeAll(found: Violation[]): string {
  return found
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes
          .slice(0, 5)
          .map((n) => `  ${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1] ?? ''}`)
          .join('\n'),
    )
    .join('\n')
}

describe.skipIf(Boolean(skipReason))('accessibility of every view (axe-core)', () => {
  let app: App
  let page: Page
  let datasetId = 0
  let runId = 0

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true })
    app = await openApp('studio-e2e-a11y-', (db) => {
      const sample = importSample(db)
      datasetId = sample.datasetId
      runId = sample.train('--preset', 'quick-look', '--epochs', '2')
    })
    page = app.page
  }, 180_000)

  afterAll(() => app?.close())

  const views: [string, () => string, string][] = [
    ['datasets', () => '#/datasets', 'import-button'],
    ['dataset', () => `#/datasets/${datasetId}`, ''],
    ['train', () => `#/train?dataset=${datasetId}`, 'train-setup'],
    ['runs', () => '#/runs', 'run-row'],
    ['run', () => `#/runs/${runId}`, 'open-latent'],
    ['latent', () => `#/runs/${runId}/latent`, ''],
    ['table', () => `#/runs/${runId}/table`, 'table-row'],
    ['compare', () => `#/runs/${runId}/compare`, 'metrics'],
    ['clusters', () => `#/runs/${runId}/clusters`, ''],
    ['reconstructions', () => `#/runs/${runId}/reconstructions`, ''],
  ]
  for (const [name, hash, ready] of views)
    it(`has no serious or critical violation on the ${name} view`, async () => {
      await openHash(page, hash()).catch(() => page.waitForTimeout(500))
      if (ready) await page.getByTestId(ready).first().waitFor({ timeout: 60_000 })
      await page.waitForTimeout(1500)
      await page.screenshot({ path: join(shots, `a11y-${name}.png`) })
      const found = await violations(page)
      expect(describeAll(found)).toBe('')
    }, 120_000)

  it('keeps the sidebar on Runs on a run page, and opens the shortcut sheet with ?', async () => {
    await openHash(page, `#/runs/${runId}/latent`)
    expect(await page.getByTestId('nav-runs').getAttribute('aria-current')).toBe('page')
    await page.locator('body').press('?')
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await sheet.waitFor()
    expect(await sheet.textContent()).toMatch(/Space.*Pause or resume/s)
    await page.screenshot({ path: join(shots, 'a11y-shortcuts.png') })
    expect(describeAll(await violations(page))).toBe('')
    await page.keyboard.press('Escape')
    await sheet.waitFor({ state: 'detached' })
  })

  it('switches to the dark theme, keeps it over a reload, and stays readable', async () => {
    await openHash(page, `#/runs/${runId}`)
    await page.getByTestId('theme-select').selectOption('dark')
    const theme = () => page.locator('html').getAttribute('data-theme')
    expect(await theme()).toBe('dark')
    await page.reload()
    await page.getByTestId('open-latent').waitFor()
    expect(await theme()).toBe('dark')
    expect(await page.getByTestId('theme-select').inputValue()).toBe('dark')
    await page.waitForTimeout(1000)
    await page.screenshot({ path: join(shots, 'a11y-dark-run.png') })
    expect(describeAll(await violations(page))).toBe('')
    await openHash(page, '#/runs')
    await page.getByTestId('run-row').first().waitFor()
    expect(describeAll(await violations(page))).toBe('')
    await page.getByTestId('theme-select').selectOption('light')
    expect(await theme()).toBe('light')
  })
})
