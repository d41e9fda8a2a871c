import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { dispatch } from '../../main/core/dispatch'
import { Studio } from '../../main/core/service'
import { gunzipSync } from 'node:zlib'
import { useBackend, type BackendChoice } from '../../main/core/training/backend'
import { trainConfig } from '../../main/core/shared/train-config'
import type { Shape3 } from '../../main/core/models/conv'
import { evaluate, train } from '../../main/core/training/train'
import { runPython, table } from './peer'

const images = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'
const epochs = Number(process.env.BENCH_EPOCHS ?? 3)
const backend = (process.env.BENCH_BACKEND ?? 'wasm') as BackendChoice

const models = {
  dense: {
    title: '784-256-32-256-784',
    epochs,
    config: { model: 'dense', hidden: [256] },
  },
  conv: {
    title: 'conv 3×3/2 ×32, ×64 → 32 → up+conv ×32, ×1',
    epochs: Number(process.env.BENCH_CONV_EPOCHS ?? 1),
    config: { model: 'conv', filters: [32, 64], hidden: [] },
  },
} as const

/**
 * Same data, model (relu, linear code of 32, sigmoid out), batch 256, Adam 1e-3, beside the same
 * model in PyTorch on one thread (two are slower here); ours uses the threads it would for a user.
 */
export async function benchTrain(kind: keyof typeof models = 'dense'): Promise<void> {
  const model = models[kind]
  console.log(
    `train benchmark (${kind}): Fashion-MNIST train, ${model.title}, batch 256, Adam, ${model.epochs} epochs`,
  )
  if (!existsSync(images)) {
    console.log(`  skipped: ${images} not found (apt-get install dataset-fashion-mnist)`)
    return
  }
  const info = await useBackend(backend)
  const pixels = gunzipSync(readFileSync(images)).subarray(16)
  const data = { pixels, count: pixels.length / 784, size: 784, image: [28, 28, 1] as Shape3 }
  const config = trainConfig.parse({
    ...model.config,
    latent: 32,
    epochs: model.epochs,
    batchSize: 256,
    validationSplit: 0,
    seed: 1,
  })
  const started = performance.now()
  const result = await train(data, config)
  const seconds = (performance.now() - started) / 1000
  const trainingSeconds = result.epochs.reduce((sum, e) => sum + e.seconds, 0)
  const ours = {
    samplesPerSec: (data.count * model.epochs) / trainingSeconds,
    mse: (
      await evaluate(
        result.model,
        data,
        Int32Array.from({ length: data.count }, (_, i) => i),
        'mse',
      )
    ).mse,
  }
  const peer = runPython<{ samplesPerSec: number; seconds: number; mse: number }>(
    join(import.meta.dirname, 'torch_train.py'),
    [images, kind, '256', '32', String(model.epochs), '256', '1'],
  )
  const rows: (string | number)[][] = [
    ['side', 'samples/s', 'seconds', 'train MSE/pixel'],
    [
      `studio (tfjs-${info.name}, ${result.threads} thread${result.threads > 1 ? 's' : ''})`,
      ours.samplesPerSec,
      seconds,
      ours.mse.toFixed(5),
    ],
  ]
  if ('missing' in peer) {
    table(rows)
    console.log(`  PyTorch peer did not run: ${peer.missing} (apt-get install python3-torch)`)
    return
  }
  rows.push([
    'PyTorch CPU, 1 thread (its fastest here)',
    peer.result.samplesPerSec,
    peer.result.seconds,
    peer.result.mse.toFixed(5),
  ])
  table(rows)
  const speed = ours.samplesPerSec / peer.result.samplesPerSec
  const mseGap = (ours.mse - peer.result.mse) / peer.result.mse
  console.log(
    `  speed ratio studio / PyTorch: ${speed.toFixed(2)}× (goal on wasm ≥ 0.25×, on tensorflow ≈ 1×)`,
  )
  console.log(`  MSE relative to PyTorch: ${(mseGap * 100).toFixed(1)}% (goal within ±10%)`)
}

/**
 * While a run trains in its own process, the process answering the UI must keep answering:
 * its worst event-loop delay (goal under 50 ms) and the latency of calls made meanwhile.
 */
export async function benchResponsiveness(): Promise<void> {
  console.log('\nresponsiveness while training (the UI process, with a run training beside it)')
  const dir = mkdtempSync(join(tmpdir(), 'studio-bench-'))
  const studio = new Studio({
    workspaceFile: join(dir, 'bench.sqlite'),
    resourcesDir: join(import.meta.dirname, '..', '..', 'resources'),
    shell: 'test',
    version: 'bench',
  })
  try {
    const imported = await dispatch(studio.handlers, 'datasets.import', {
      paths: [images, images.replace('images-idx3', 'labels-idx1')],
    })
    if (!imported.ok) throw new Error(imported.error.message)
    const datasetId = (imported.result as { datasetId: number }).datasetId
    const done = new Promise<void>((resolve) =>
      studio.onEvent((event, payload) => {
        if (
          event === 'training:status' &&
          ['completed', 'failed', 'interrupted', 'cancelled'].includes(payload.status)
        )
          resolve()
      }),
    )
    const histogram = monitorEventLoopDelay({ resolution: 5 })
    const latencies: number[] = []
    const started = await dispatch(studio.handlers, 'runs.start', {
      datasetId,
      config: { hidden: [256], latent: 32, epochs: 2, backend },
    })
    if (!started.ok) throw new Error(started.error.message)
    histogram.enable()
    const pinger = setInterval(async () => {
      const t = performance.now()
      await dispatch(studio.handlers, 'datasets.items', { id: datasetId, offset: 0, limit: 500 })
      latencies.push(performance.now() - t)
    }, 100)
    await done
    clearInterval(pinger)
    histogram.disable()
    latencies.sort((a, b) => a - b)
    table([
      ['measure', 'ms'],
      ['event-loop delay, max', histogram.max / 1e6],
      ['event-loop delay, p99', histogram.percentile(99) / 1e6],
      [
        'datasets.items (500 images) while training, median',
        latencies[Math.floor(latencies.length / 2)] ?? NaN,
      ],
      ['datasets.items while training, max', latencies[latencies.length - 1] ?? NaN],
    ])
    console.log(
      `  goal: worst event-loop delay under 50 ms (${histogram.max / 1e6 < 50 ? 'met' : 'not met'})`,
    )
  } finally {
    studio.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
