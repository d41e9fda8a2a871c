// The desktop shell around the UI: a .npy or IDX file given to the app by the system (on the
// command line of the first launch, or of a second one that hands it over) opens the import
// dialog; File → Open workspace… switches the workspace, the next launch reopens it, and a
// workspace folder gone since falls back to the default one with a notice. Screenshots:
// test-results/e2e-electron.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeIdxImages, writeNpy } from '../fixtures/arrays'
import { commandLine, launchApp, skipReason, type RunningApp } from './launch'

const shots = join(import.meta.dirname, '..', '..', 'test-results', 'e2e-electron')
if (skipReason) console.warn(`e2e-electron skipped: ${skipReason}`)

/** The workspace file the window says is open (the sidebar's title). */
async function openWorkspace(app: RunningApp): Promise<string | null> {
  const about = app.page.locator('.sidebar .about')
  await about.waitFor({ timeout: 60_000 })
  return about.getAttribute('title')
}

describe.skipIf(Boolean(skipReason))('the desktop shell', () => {
  let app: RunningApp | undefined
  let dir: string
  let userData: string
  let npy: string
  let idx: string

  beforeAll(() => {
    mkdirSync(shots, { recursive: true })
    dir = mkdtempSync(join(tmpdir(), 'studio-electron-shell-'))
    userData = join(dir, 'profile')
    const values = Array.from({ length: 6 * 8 * 8 }, (_, i) => (i * 7) % 256)
    npy = writeNpy(dir, 'codes.npy', { descr: '|u1', shape: [6, 8, 8], values })
    idx = writeIdxImages(dir, 'digits.idx3-ubyte', { count: 4, height: 8, width: 8 })
  })

  afterAll(async () => {
    await app?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('opens the .npy named on its command line in the import dialog, and imports it', async () => {
    app = await launchApp(userData, [npy])
    const dialog = app.page.getByTestId('import-dialog')
    await dialog.waitFor({ timeout: 60_000 })
    expect(await dialog.textContent()).toContain(npy)
    await app.page.screenshot({ path: join(shots, 'shell-01-opened-file.png') })
    await app.page.getByTestId('import-start').click()
    await app.page.getByTestId('dataset-grid').waitFor({ timeout: 60_000 })
  })

  it('takes the file a second launch was given, which then quits', async () => {
    const [executable, args] = commandLine(userData, [idx])
    const second = spawn(executable, args, { stdio: 'ignore' })
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve))
    expect(code).toBe(0)
    const dialog = app!.page.getByTestId('import-dialog')
    await dialog.waitFor({ timeout: 30_000 })
    expect(await dialog.textContent()).toContain(idx)
    await app!.page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
  })

  // the packaged app cannot be driven from its main process (its inspector fuse is off)
  it('File → Open workspace… opens another folder, and the next launch reopens it', async (context) => {
    if (!app!.electron) return context.skip()
    const folder = join(dir, 'second workspace')
    mkdirSync(folder)
    await app!.electron.evaluate(({ dialog, Menu }, picked) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [picked] })) as never
      Menu.getApplicationMenu()!.getMenuItemById('open-workspace')!.click()
    }, folder)
    const file = join(folder, 'workspace.sqlite')
    await app!.page.locator(`.sidebar .about[title="${file}"]`).waitFor({ timeout: 30_000 })
    await app!.page.getByTestId('empty-state').waitFor() // a new workspace: no datasets yet
    await app!.close()

    app = await launchApp(userData)
    expect(await openWorkspace(app)).toBe(file)
    await app.close()

    rmSync(folder, { recursive: true, force: true })
    app = await launchApp(userData)
    expect(await openWorkspace(app)).toBe(join(userData, 'workspace.sqlite'))
    const notice = app.page.getByTestId('toast').filter({ hasText: 'is gone' })
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.textContent()).toContain('File → Open workspace…')
    await app.page.screenshot({ path: join(shots, 'shell-02-workspace-gone.png') })
  })
})
