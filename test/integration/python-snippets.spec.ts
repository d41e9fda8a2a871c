// The Python the export dialog and docs/python.md show, run against real exports: each snippet
// must load its file and give the run's own codes. It needs numpy, pandas (with pyarrow), torch,
// onnxruntime and Keras 3 in the Python named by STUDIO_PYTHON (else python3); where one is
// missing the test says so and is skipped.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { paramSchemas, type ParamsOf } from '../../main/core/contract'
import { exportRun } from '../../main/core/export'
import { encode, reconstruct } from '../../main/core/models/autoencoder'
import { pythonSnippet, type SnippetKind } from '../../main/core/shared/python-snippets'
import { trainConfig } from '../../main/core/shared/train-config'
import { DatasetsStore } from '../../main/core/store/datasets-store'
import { RunsStore } from '../../main/core/store/runs-store'
import { openWorkspace } from '../../main/core/store/workspace'
import { packWeights } from '../../main/core/training/checkpoint'
import { createModelFor } from '../../main/core/training/step'
import { tempDir, tempWorkspaceFile } from '../helpers/temp'

const python = process.env.STUDIO_PYTHON ?? 'python3'
const env = { ...process.env, KERAS_BACKEND: process.env.KERAS_BACKEND ?? 'torch' }
const probe = spawnSync(
  python,
  ['-c', 'import numpy, pandas, pyarrow, torch, onnxruntime, keras'],
  { encoding: 'utf8', env },
)
const missing = probe.status === 0 ? null : (probe.stderr.trim().split('\n').at(-1) ?? 'no python')

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const [height, width] = [3, 4]
const count = 5

async function exported() {
  const db = openWorkspace(tempWorkspaceFile())
  onTestFinished(() => {
    db.close()
  })
  const stores = { datasets: new DatasetsStore(db), runs: new RunsStore(db) }
  const options = {
    size: 4,
    channels: 'grey',
    fit: 'pad',
    background: 'black',
    maxPixels: 1e8,
  } as const
  const datasetId = stores.datasets.create({
    name: 'd',
    width,
    height,
    channels: 'grey',
    options,
    sources: ['/data'],
  })
  const pixels = Uint8Array.from({ length: count * height * width }, (_, i) => (i * 37) % 256)
  const ids = stores.datasets.addItems(
    datasetId,
    0,
    Array.from({ length: count }, (_, i) => ({
      path: `/data/${i}.png`,
      label: i % 2 ? 'odd' : null,
      pixels: pixels.subarray(i * 12, (i + 1) * 12),
      contentHash: null,
      duplicateOf: null,
    })),
  )
  stores.datasets.markReady(datasetId)
  const config = trainConfig.parse({ hidden: [6], latent: 2, variational: { beta: 1 } })
  const runId = stores.runs.create({ datasetId, name: 'run', config })
  stores.runs.start(runId, { backend: 'cpu', pid: process.pid })
  const model = createModelFor(config, [height, width, 1])
  stores.runs.addEpochWithCheckpoints(
    runId,
    { epoch: 1, trainLoss: 1, valLoss: 1, mse: 1, terms: {}, seconds: 1, samplesPerSec: 1 },
    [{ kind: 'best', epoch: 1, ...(await packWeights(model)) }],
  )
  const x = tf.div(tf.tensor2d(pixels, [count, 12], 'float32'), 255)
  const codes = tf.tidy(() => encode(model, x).dataSync() as Float32Array)
  const errors = tf.tidy(
    () => tf.mean(tf.square(tf.sub(reconstruct(model, x), x)), 1).dataSync() as Float32Array,
  )
  stores.runs.saveEmbeddings(runId, { codes, dims: 2, errors, itemIds: Int32Array.from(ids) })
  stores.runs.finish(runId, { status: 'completed' })
  const dir = tempDir('studio-snippets-')
  const run = (params: Omit<ParamsOf<'runs.export'>, 'id'>) =>
    exportRun(stores, paramSchemas['runs.export'].parse({ id: runId, ...params }))
  for (const format of ['csv', 'npy', 'json', 'parquet'] as const)
    await run({ kind: 'embeddings', format, out: join(dir, `codes.${format}`) })
  for (const kind of ['projector', 'model', 'onnx'] as const)
    await run({ kind, out: join(dir, kind) })
  return { dir, codes, pixels }
}

/** Runs a snippet in `dir` with `after` appended; returns what it printed as JSON. */
function runSnippet(dir: string, snippet: string, after: string): unknown {
  const result = spawnSync(python, ['-c', `${snippet}\n${after}`], {
    cwd: dir,
    encoding: 'utf8',
    env,
  })
  expect(result.status, result.stderr).toBe(0)
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!)
}

const close = (got: number[], want: Float32Array) => {
  expect(got).toHaveLength(want.length)
  got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5))
}

describe.skipIf(missing !== null)(`the Python loader snippets (${missing ?? python})`, () => {
  it('load the embeddings in every format to the run’s codes', async () => {
    const { dir, codes } = await exported()
    for (const format of ['csv', 'npy', 'json', 'parquet'] as const) {
      const got = runSnippet(
        dir,
        pythonSnippet('embeddings', format, `codes.${format}`),
        'import json; print(json.dumps(codes.astype("float64").ravel().tolist()))',
      ) as number[]
      close(got, codes)
    }
  })

  it('load the ONNX, tfjs (Keras 3) and projector exports', async () => {
    const { dir, codes, pixels } = await exported()
    const images = `import numpy as np\nimages = np.array(${JSON.stringify(Array.from(pixels))}, dtype=np.uint8).reshape(${count}, ${height}, ${width}, 1)`
    const snippet = (kind: SnippetKind) => `${images}\n${pythonSnippet(kind, 'csv', kind)}`
    const onnx = runSnippet(
      dir,
      snippet('onnx'),
      'import json; print(json.dumps([codes.ravel().tolist(), list(reconstructions.shape)]))',
    ) as [number[], number[]]
    close(onnx[0], codes)
    expect(onnx[1]).toEqual([count, height * width])
    const keras = runSnippet(
      dir,
      snippet('model'),
      'import json; z = encoder.predict(images.reshape(len(images), -1) / 255, verbose=0)[:, :2]\nprint(json.dumps(np.asarray(z).ravel().tolist()))',
    ) as number[]
    close(keras, codes)
    const projector = runSnippet(
      dir,
      snippet('projector'),
      'import json; print(json.dumps(list(vectors.shape)))',
    )
    expect(projector).toEqual([count, 2])
  })
})
