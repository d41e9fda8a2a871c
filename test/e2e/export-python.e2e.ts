// The export dialog in a browser (`studio serve`): the ONNX model downloads as a ZIP of
// encoder.onnx and decoder.onnx that onnxruntime opens, and the embeddings as a Parquet table with
// the run's clusters; under each choice the dialog shows the Python that loads it.
// Screenshots: test-results/e2e/export-python-*.png.
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parquetReadObjects } from 'hyparquet'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runPython } from '../unit/core/export/python'
import { importSample, openApp, studioCli, type App } from './cli'

const shots = join(import.meta.dirname, '..', '..', 'test-results', 'e2e')
let app: App

beforeAll(async () => {
  mkdirSync(shots, { recursive: true })
  app = await openApp('studio-export-python-', (db) => {
    const runId = importSample(db).train('--preset', 'quick-look', '--epochs', '1')
    studioCli(db, 'cluster', '--run', String(runId), '--k', '3')
  })
}, 180_000)

afterAll(async () => {
  await app?.close()
})

async function exportAs(kind: string, format: string | null, file: string): Promise<string> {
  const { page, work } = app
  await page.getByTestId('nav-runs').click()
  await page.getByTestId('run-row').first().getByTestId('export-button').click()
  const dialog = page.getByTestId('export-dialog')
  await dialog.waitFor()
  await dialog.locator(`input[name="export-kind"][value="${kind}"]`).check()
  if (format) await page.getByTestId('export-format').selectOption(format)
  await page.getByTestId('export-snippet').locator('summary').click()
  await page.screenshot({ path: join(shots, `export-python-${kind}-${format ?? 'folder'}.png`) })
  const out = join(work, file)
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.getByTestId('export-start').click(),
  ])
  await download.saveAs(out)
  await page.getByTestId('export-files').waitFor({ timeout: 60_000 })
  await page.keyboard.press('Escape')
  return out
}

describe('exports for Python, downloaded from the browser', () => {
  it('downloads the ONNX model as a ZIP that onnxruntime opens, with its loader shown', async () => {
    const zip = await exportAs('onnx', null, 'model.zip')
    const snippet = await app.page.getByTestId('export-snippet').count()
    expect(snippet).toBe(0) // the dialog closed
    const folder = join(app.work, 'unzipped')
    const names = runPython<string[]>(
      `import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1]); z.extractall(sys.argv[2]); print(json.dumps(sorted(z.namelist())))`,
      zip,
      folder,
    )
    const encoderName = names.find((n) => n.endsWith('encoder.onnx'))!
    expect(names.filter((n) => n.endsWith('.onnx')).map((n) => n.split('/').pop())).toEqual([
      'decoder.onnx',
      'encoder.onnx',
    ])
    const encoder = await ort.InferenceSession.create(readFileSync(join(folder, encoderName)))
    expect(encoder.inputNames).toEqual(['pixels'])
    const { code } = await encoder.run({
      pixels: new ort.Tensor('float32', new Float32Array(784), [1, 784]),
    })
    expect(code.dims[0]).toBe(1)
  })

  it('downloads the embeddings as Parquet with the clusters, in item order', async () => {
    const out = await exportAs('embeddings', 'parquet', 'codes.parquet')
    const bytes = readFileSync(out)
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[]
    expect(rows).toHaveLength(2000)
    expect(rows[0]).toHaveProperty('cluster')
    expect(rows.map((r) => r.path).slice(0, 2)).toEqual([
      'sample-images-idx3-ubyte.gz#0',
      'sample-images-idx3-ubyte.gz#1',
    ])
  })
})
