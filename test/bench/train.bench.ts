import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { useBackend, type BackendChoice } from '../../main/core/training/backend'
import { trainConfig } from '../../main/core/training/config'
import { evaluate, train } from '../../main/core/training/train'
import { runPython, table } from './peer'

const images = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'
const epochs = Number(process.env.BENCH_EPOCHS ?? 3)
const backend = (process.env.BENCH_BACKEND ?? 'wasm') as BackendChoice

/** Same data, model (784-256-32-256-784, relu, linear code, sigmoid out), batch 256, Adam 1e-3. */
export async function benchTrain(): Promise<void> {
  console.log(
    `train benchmark: Fashion-MNIST train, 784-256-32-256-784, batch 256, Adam, ${epochs} epochs`,
  )
  if (!existsSync(images)) {
    console.log(`  skipped: ${images} not found (apt-get install dataset-fashion-mnist)`)
    return
  }
  const info = await useBackend(backend)
  const pixels = gunzipSync(readFileSync(images)).subarray(16)
  const data = { pixels, count: pixels.length / 784, size: 784 }
  const config = trainConfig.parse({
    hidden: [256],
    latent: 32,
    epochs,
    batchSize: 256,
    validationSplit: 0,
    seed: 1,
  })
  const started = performance.now()
  const result = await train(data, config)
  const seconds = (performance.now() - started) / 1000
  const trainingSeconds = result.epochs.reduce((sum, e) => sum + e.seconds, 0)
  const ours = {
    samplesPerSec: (data.count * epochs) / trainingSeconds,
    mse: evaluate(
      result.model,
      data,
      Int32Array.from({ length: data.count }, (_, i) => i),
      'mse',
    ).mse,
  }
  const peer = runPython<{ samplesPerSec: number; seconds: number; mse: number }>(
    join(import.meta.dirname, 'torch_train.py'),
    [images, '256', '32', String(epochs), '256', '1'],
  )
  const rows: (string | number)[][] = [
    ['side', 'samples/s', 'seconds', 'train MSE/pixel'],
    [`studio (tfjs-${info.name})`, ours.samplesPerSec, seconds, ours.mse.toFixed(5)],
  ]
  if ('missing' in peer) {
    table(rows)
    console.log(`  PyTorch peer did not run: ${peer.missing} (apt-get install python3-torch)`)
    return
  }
  rows.push([
    'PyTorch CPU, 1 thread',
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
