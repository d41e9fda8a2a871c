import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { disposeModel } from '../../main/core/models/autoencoder'
import { useBackend, type BackendChoice } from '../../main/core/training/backend'
import { trainConfig } from '../../main/core/shared/train-config'
import type { TrainingData } from '../../main/core/training/step'
import { evaluate, train } from '../../main/core/training/train'
import { describeAdapter, noGpuDevice } from '../../main/core/training/webgpu'
import { fashionFolder } from './fashion-mnist'
import { runPython, table } from './peer'

const images = join(fashionFolder, 'train-images-idx3-ubyte.gz')
const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json'
const epochs = Number(process.env.BENCH_EPOCHS ?? 3)
const convEpochs = Number(process.env.BENCH_CONV_EPOCHS ?? 1)
/** the CPU path the GPU is compared with (and what the responsiveness bench trains on) */
const backend = (process.env.BENCH_BACKEND ?? 'wasm') as BackendChoice
/** images of a reduced run (all 60,000 of 28×28 by default; 64×64 RGB: 5,000) */
const rowLimit = Number(process.env.BENCH_ROWS ?? Infinity)
/** the cases to run, comma-separated (a smoke run: BENCH_KINDS=conv64 BENCH_ROWS=512) */
const kindsWanted = process.env.BENCH_KINDS?.split(',')
/** on a software adapter (no GPU here), the images the GPU side trains on: it is that slow */
const softwareRows = Number(process.env.BENCH_SOFTWARE_ROWS ?? 256)
/** BENCH_TORCH_CPU=0: no PyTorch CPU row, where minutes are short and the GPU goals are the point */
const torchOnCpu = process.env.BENCH_TORCH_CPU !== '0'

const models = {
  dense: {
    title: '28×28 grey, 784-256-32-256-784',
    epochs,
    config: { model: 'dense', hidden: [256] },
    image: [28, 28, 1],
    rows: 60_000,
  },
  conv: {
    title: '28×28 grey, conv 3×3/2 ×32, ×64 → 32 → up+conv ×32, ×1',
    epochs: convEpochs,
    config: { model: 'conv', filters: [32, 64], hidden: [] },
    image: [28, 28, 1],
    rows: 60_000,
  },
  conv64: {
    title: '64×64 RGB, conv 3×3/2 ×32, ×64 → 32 → up+conv ×32, ×3 (the realistic case)',
    epochs: convEpochs,
    config: { model: 'conv', filters: [32, 64], hidden: [] },
    image: [64, 64, 3],
    rows: 5_000,
  },
} as const
type Kind = keyof typeof models

/**
 * The images of a case: Fashion-MNIST as it is, or (64×64 RGB) each image enlarged by nearest
 * neighbour with a colour gradient added, r = s, g = (s + 4x) >> 1, b = (s + 4y) >> 1, as
 * torch_train.py's conv64 makes them, so both sides train on the same pixels.
 */
function imagesOf(kind: Kind, source: Uint8Array, count: number): TrainingData {
  const [height, width, channels] = models[kind].image
  if (channels === 1) {
    const pixels = source.subarray(0, count * 784)
    return { pixels, count, size: 784, image: [28, 28, 1] }
  }
  const size = height * width * 3
  const pixels = new Uint8Array(count * size)
  for (let i = 0; i < count; i++)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const s =
          source[i * 784 + Math.floor((y * 28) / height) * 28 + Math.floor((x * 28) / width)]
        const at = i * size + (y * width + x) * 3
        pixels[at] = s
        pixels[at + 1] = (s + 4 * x) >> 1
        pixels[at + 2] = (s + 4 * y) >> 1
      }
  return { pixels, count, size, image: [height, width, 3] }
}

interface Side {
  label: string
  samplesPerSec: number
  seconds: number
  mse: number
  rows: number
}

/** One side of a case: our training on the backend now set, on the first `rows` images. */
async function ours(kind: Kind, source: Uint8Array, rows: number, label: string): Promise<Side> {
  const model = models[kind]
  const data = imagesOf(kind, source, rows)
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
  const all = Int32Array.from({ length: data.count }, (_, i) => i)
  const { mse } = await evaluate(result.model, data, all, 'mse')
  disposeModel(result.model)
  const threads = `${result.threads} thread${result.threads > 1 ? 's' : ''}`
  return {
    label: `${label}${result.threads > 1 ? `, ${threads}` : ''}`,
    samplesPerSec: (data.count * model.epochs) / trainingSeconds,
    seconds,
    mse,
    rows,
  }
}

/** PyTorch's side: on one CPU thread (its fastest here), or on CUDA; why not, when it cannot. */
function pytorch(kind: Kind, rows: number, device: 'cpu' | 'cuda'): Side | string {
  const model = models[kind]
  const peer = runPython<{ samplesPerSec: number; seconds: number; mse: number; gpu?: string }>(
    join(import.meta.dirname, 'torch_train.py'),
    [images, kind, '256', '32', String(model.epochs), '256', '1', String(rows), device],
  )
  if ('missing' in peer) return peer.missing
  const { gpu, ...result } = peer.result
  const label =
    device === 'cpu' ? 'PyTorch CPU, 1 thread (its fastest here)' : `PyTorch CUDA (${gpu})`
  return { label, ...result, rows }
}

/**
 * Same data, model (relu, linear code of 32, sigmoid out), batch 256, Adam 1e-3: ours on the CPU
 * path (wasm, with the threads it would use for a user) and on the GPU through WebGPU, beside the
 * same model in PyTorch, for the dense and conv models on Fashion-MNIST and a conv model on
 * 64×64 RGB images.
 */
export async function benchTrain(
  kinds = (kindsWanted ?? ['dense', 'conv', 'conv64']) as Kind[],
): Promise<void> {
  const unknown = kinds.filter((kind) => !(kind in models))
  if (unknown.length) throw new Error(`BENCH_KINDS: no case ${unknown.join(', ')}`)
  if (!existsSync(images)) {
    console.log(
      `train benchmark skipped: ${images} not found (apt-get install dataset-fashion-mnist)`,
    )
    return
  }
  const source = gunzipSync(readFileSync(images)).subarray(16)
  // no GPU here: Dawn can still run the GPU side on chromium's software Vulkan driver, labelled so
  if (noGpuDevice() && existsSync(swiftshader)) process.env.VK_ICD_FILENAMES ??= swiftshader
  // the GPU that tfjs would get here, if any: named, and marked when it is a software one
  const gpu = await useBackend('webgpu').then(
    (info) => ({ info, adapter: info.adapter! }),
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  )
  const software = typeof gpu !== 'string' && gpu.adapter.fallback
  for (const kind of kinds) {
    const model = models[kind]
    const rows = Math.min(model.rows, rowLimit)
    console.log(
      `\ntrain benchmark (${kind}): Fashion-MNIST train, ${model.title}, batch 256, Adam, ${model.epochs} epoch${model.epochs > 1 ? 's' : ''}`,
    )
    const cpu = await useBackend(backend)
    const sides: Side[] = [await ours(kind, source, rows, `studio (tfjs-${cpu.name})`)]
    if (typeof gpu === 'string') console.log(`  webgpu did not run: ${gpu}`)
    else {
      await useBackend('webgpu')
      const gpuRows = software ? Math.min(rows, softwareRows) : rows
      const label = `studio (tfjs-webgpu, ${describeAdapter(gpu.adapter)}${software ? ' — no goal' : ''})`
      sides.push(await ours(kind, source, gpuRows, label))
    }
    const torchCpu = torchOnCpu ? pytorch(kind, rows, 'cpu') : null
    if (typeof torchCpu === 'string')
      console.log(`  PyTorch peer did not run: ${torchCpu} (apt-get install python3-torch)`)
    else if (torchCpu) sides.push(torchCpu)
    // asked wherever PyTorch is, also when Dawn found no GPU: its row, or why there is none
    const torchGpu = pytorch(kind, rows, 'cuda')
    if (typeof torchGpu === 'string') console.log(`  PyTorch CUDA did not run: ${torchGpu}`)
    else sides.push(torchGpu)
    table([
      ['side', 'images', 'samples/s', 'seconds', 'train MSE/pixel'],
      ...sides.map((side) => [
        side.label,
        String(side.rows),
        side.samplesPerSec,
        side.seconds,
        side.mse.toFixed(5),
      ]),
    ])
    report(kind, sides, software)
  }
}

/** The ratios against the goals (issue 18): which could be measured here, and which not. */
function report(kind: Kind, sides: Side[], software: boolean): void {
  const rate = (prefix: string) => sides.find((s) => s.label.startsWith(prefix))?.samplesPerSec
  const [cpu, gpu, torchCpu, torchGpu] = [
    sides[0].samplesPerSec,
    rate('studio (tfjs-webgpu'),
    rate('PyTorch CPU'),
    rate('PyTorch CUDA'),
  ]
  if (torchCpu)
    console.log(
      `  speed ratio studio CPU path / PyTorch CPU: ${(cpu / torchCpu).toFixed(2)}× (goal on wasm ≥ 0.25×, on tensorflow ≈ 1×)`,
    )
  if (!gpu) return
  if (software) {
    console.log(
      `  webgpu / CPU path: ${(gpu / cpu).toPrecision(2)}× on a software adapter (SwiftShader, on the CPU): no GPU here, so the GPU goals (≥ 10× wasm for conv, ≥ 0.25× PyTorch CUDA) could not be measured`,
    )
    return
  }
  const goal = kind === 'dense' ? '' : ' (goal ≥ 10×)'
  console.log(`  speed ratio webgpu / CPU path: ${(gpu / cpu).toFixed(2)}×${goal}`)
  if (torchGpu)
    console.log(
      `  speed ratio webgpu / PyTorch CUDA: ${(gpu / torchGpu).toFixed(2)}× (goal ≥ 0.25×)`,
    )
  else console.log('  PyTorch with CUDA is not installed here: the ratio to it was not measured')
}
