// `npm run bench -- decode`: how fast the reconstruction gallery fills (issue 6: "the gallery of
// 70,000 fills in seconds, not minutes"). Every Fashion-MNIST image (train + t10k) through a
// dense and a conv autoencoder, freshly initialised (speed does not depend on training), to
// bytes; then the first gallery page of 200 worst-first images, cold and from the cache; beside
// the same models in PyTorch on one thread.
import { existsSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import { modelFromCheckpoint, reconstructRows } from '../../main/core/reconstruction/decoder'
import { ReconstructionCache } from '../../main/core/reconstruction/decoder-cache'
import { differenceHeatmap, errorOrder } from '../../main/core/reconstruction/decoder-errors'
import type { Shape3 } from '../../main/core/models/architecture'
import { disposeModel, type Autoencoder } from '../../main/core/models/autoencoder'
import { useBackend, type BackendChoice } from '../../main/core/training/backend'
import { packWeights } from '../../main/core/training/checkpoint'
import { trainConfig } from '../../main/core/shared/train-config'
import { createModelFor } from '../../main/core/training/step'
import { fashionMnistBytes } from './fashion-mnist'
import { runPython, table } from './peer'

const files = ['train', 't10k'].map(
  (part) => `/usr/share/datasets/fashion-mnist/${part}-images-idx3-ubyte.gz`,
)
const backend = (process.env.BENCH_BACKEND ?? 'wasm') as BackendChoice
/** passes over all 70,000 images per model, for a machine shared with others */
const repeats = Number(process.env.BENCH_DECODE_REPEAT ?? 2)
/** rows per forward pass; unset, reconstructRows chooses (1024 dense, fewer for conv) */
const batch = process.env.BENCH_DECODE_BATCH ? Number(process.env.BENCH_DECODE_BATCH) : undefined
const pageSize = 200
const image: Shape3 = [28, 28, 1]

const models = {
  dense: { title: 'dense 784-256-32-256-784', config: { model: 'dense', hidden: [256] } },
  conv: {
    title: 'conv 3×3/2 ×32, ×64 → 32 → up+conv ×32, ×1',
    config: { model: 'conv', filters: [32, 64], hidden: [] },
  },
} as const

const load = () => loadavg()[0].toFixed(1)
const seconds = (from: number) => (performance.now() - from) / 1000

async function allImages(): Promise<{ pixels: Uint8Array; count: number }> {
  const { bytes, n } = await fashionMnistBytes()
  return { pixels: bytes, count: n }
}

export async function benchDecode(): Promise<void> {
  console.log(
    `decode benchmark: Fashion-MNIST train + t10k, batch ${batch ?? 'default'}, ${repeats} passes per model`,
  )
  if (!files.every(existsSync)) {
    console.log(
      `  skipped: ${files.join(' or ')} not found (apt-get install dataset-fashion-mnist)`,
    )
    return
  }
  const info = await useBackend(backend)
  const { pixels, count } = await allImages()
  const all = Int32Array.from({ length: count }, (_, i) => i)
  console.log(`  ${count} images, tfjs-${info.name}, load ${load()} at the start`)

  for (const [kind, { title, config: modelConfig }] of Object.entries(models)) {
    console.log(`\n  ${title}`)
    const config = trainConfig.parse({ ...modelConfig, latent: 32, seed: 1 })
    // what the store holds: a packed checkpoint, rebuilt into a model the way the app will
    // (in tidy: createModelFor leaves its initial values registered)
    let fresh: Autoencoder | undefined
    tf.tidy(() => {
      fresh = createModelFor(config, image)
    })
    const checkpoint = await packWeights(fresh!)
    disposeModel(fresh!)

    let started = performance.now()
    let model = modelFromCheckpoint(config, image, checkpoint)
    const buildSeconds = seconds(started)
    const errors = new Float32Array(count)
    const rows: (string | number)[][] = [['pass', 'images/s', 'seconds', 'load']]
    const rates: number[] = []
    for (let pass = 1; pass <= repeats; pass++) {
      started = performance.now()
      const out = await reconstructRows(model, pixels, 784, all, { batch, errors })
      const s = seconds(started)
      if (out.length !== pixels.length) throw new Error('reconstructRows lost rows')
      rates.push(count / s)
      rows.push([`all ${count}, to bytes, with errors`, count / s, s, load()])
    }

    // the first gallery page: a fresh model from its checkpoint (as a new decoder process
    // would), errors as stored, worst first, 200 reconstructions and their heatmaps
    disposeModel(model)
    const cache = new ReconstructionCache()
    started = performance.now()
    model = modelFromCheckpoint(config, image, checkpoint)
    const order = errorOrder(errors, { worstFirst: true })
    const orderSeconds = seconds(started)
    const key = { runId: 1, checkpoint: 'best' as const, order: 'worst', page: 0 }
    const page = order.subarray(0, pageSize)
    const fillPage = async () => {
      const reconstructions = await cache.load(key, () =>
        reconstructRows(model, pixels, 784, page, { batch }),
      )
      for (let i = 0; i < page.length; i++)
        differenceHeatmap(
          pixels.subarray(page[i] * 784, (page[i] + 1) * 784),
          reconstructions.subarray(i * 784, (i + 1) * 784),
          28,
          28,
          1,
        )
    }
    await fillPage()
    const coldSeconds = seconds(started)
    started = performance.now()
    await fillPage()
    const warmSeconds = seconds(started)
    rows.push([
      `first page of ${pageSize} worst-first, cold (model, order, decode, heatmaps)`,
      pageSize / coldSeconds,
      coldSeconds,
      load(),
    ])
    rows.push([
      `same page again, from the cache (heatmaps only)`,
      pageSize / warmSeconds,
      warmSeconds,
      load(),
    ])
    table(rows)
    disposeModel(model)
    console.log(
      `  model from checkpoint ${(buildSeconds * 1000).toFixed(0)} ms; order of ${count} by error ${(orderSeconds * 1000).toFixed(0)} ms (with a second model build); tensors left after disposing: ${tf.memory().numTensors}`,
    )

    const peer = runPython<{ imagesPerSec: number[]; images: number }>(
      join(import.meta.dirname, 'torch_decode.py'),
      [...files, '--model', kind, '--batch', String(batch ?? 1024), '--repeats', String(repeats)],
    )
    if ('missing' in peer) {
      console.log(`  PyTorch peer did not run: ${peer.missing} (apt-get install python3-torch)`)
      continue
    }
    const best = Math.max(...rates)
    const peerBest = Math.max(...peer.result.imagesPerSec)
    table([
      ['side', 'images/s per pass', 'best'],
      [`studio (tfjs-${info.name})`, rates.map((r) => r.toFixed(0)).join(', '), best],
      [
        'PyTorch CPU, 1 thread',
        peer.result.imagesPerSec.map((r) => r.toFixed(0)).join(', '),
        peerBest,
      ],
    ])
    console.log(
      `  ratio studio / PyTorch (best passes): ${(best / peerBest).toFixed(2)}×; all ${count} in ${(count / best).toFixed(1)} s here; load ${load()}`,
    )
  }
}
