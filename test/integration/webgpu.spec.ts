// Training and encoding on the GPU through WebGPU (Dawn's bindings), checked on the software
// Vulkan driver that Debian's chromium ships (SwiftShader): correct, though slow, so the models
// stay tiny. Where there is no such adapter (no `webgpu` package, no Vulkan loader, no driver)
// the tests say why and are skipped.
import * as tf from '@tensorflow/tfjs-core'
import { describe, expect, it } from 'vitest'
import { deepCluster } from '../../main/core/clustering/deep-cluster'
import { disposeModel } from '../../main/core/models/autoencoder'
import { nearestNeighbours } from '../../main/core/projection/knn'
import { pca } from '../../main/core/projection/pca'
import { encodeRows, reconstructRows } from '../../main/core/reconstruction/decoder'
import { trainConfig, variantDefaults, variants } from '../../main/core/shared/train-config'
import { useBackend, type ProbeResult } from '../../main/core/training/backend'
import { checkGradients } from '../../main/core/training/gradient-check'
import type { TrainingData } from '../../main/core/training/step'
import { evaluate, train } from '../../main/core/training/train'
import type { GpuAdapter } from '../../main/core/training/webgpu'
import { gpuUnavailable } from '../helpers/software-gpu'

const unavailable = gpuUnavailable

/** `count` tiny images of `side`×`side`×`channels`, a smooth pattern each, reproducible. */
function tinyData(count: number, side: number, channels: 1 | 3 = 1): TrainingData {
  const size = side * side * channels
  const pixels = Uint8Array.from({ length: count * size }, (_, i) => {
    const image = Math.floor(i / size)
    return Math.round(127.5 + 120 * Math.sin((i % size) / (3 + (image % 5)) + image))
  })
  return { pixels, count, size, image: [side, side, channels] }
}

describe.skipIf(Boolean(unavailable))('the webgpu backend', () => {
  it('is used when asked for, and names its adapter', async () => {
    const info = await useBackend('webgpu')
    expect(info.name).toBe('webgpu')
    expect(tf.getBackend()).toBe('webgpu')
    expect(info.notes[0]).toMatch(/^GPU: SwiftShader.*a software adapter: correct, but slower/)
  })

  it('is never chosen by auto for a software adapter, and auto says why', async () => {
    // a render node, as a machine with a GPU has: Dawn is asked and answers with SwiftShader
    const info = await useBackend('auto', { devices: () => ['renderD128'] })
    expect(info.name).not.toBe('webgpu')
    expect(info.notes.join('; ')).toMatch(/GPU not used: SwiftShader.*is never faster/)
  })

  it('is chosen by auto for a hardware adapter only where the probe finds it faster, once', async () => {
    const hardware: GpuAdapter = {
      vendor: 'acme',
      architecture: 'rdna9',
      description: 'Acme Radeon',
      fallback: false,
    }
    const memory = new Map<string, ProbeResult>()
    const timer =
      (...ms: number[]) =>
      () =>
        Promise.resolve(ms.shift()!)
    const options = { devices: () => ['renderD128'], adapter: async () => hardware, memory }
    // the CPU path is timed first, then the GPU
    const faster = await useBackend('auto', { ...options, time: timer(40, 10) })
    expect(faster.name).toBe('webgpu')
    expect(faster.notes.at(-1)).toMatch(
      /^GPU: Acme Radeon \(acme, rdna9\), faster by the probe \(10\.0 ms a step against 40\.0 ms on wasm\)/,
    )
    const again = await useBackend('auto', {
      ...options,
      time: () => Promise.reject(new Error('probed twice')),
    })
    expect(again.name).toBe('webgpu')
    memory.clear()
    const slower = await useBackend('auto', { ...options, time: timer(10, 40) })
    expect(slower.name).toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
    expect(slower.notes.at(-1)).toMatch(/was slower by the probe \(40\.0 ms a step against 10\.0/)
  })

  for (const variant of variants)
    it(`passes the gradient check for the ${variant} objective`, async () => {
      await useBackend('webgpu')
      const config = trainConfig.parse({
        hidden: [64],
        activation: 'tanh',
        ...variantDefaults(variant),
      })
      const report = await checkGradients(config)
      expect(report.checked).toBeGreaterThan(30)
      expect(report.passed, JSON.stringify(report.worst)).toBe(true)
    })

  it('passes the gradient check for a conv model', { timeout: 60_000 }, async () => {
    await useBackend('webgpu')
    const report = await checkGradients(
      trainConfig.parse({ model: 'conv', filters: [4], hidden: [] }),
    )
    expect(report.passed, JSON.stringify(report.worst)).toBe(true)
  })

  it(
    'trains every objective of the form, dense and conv, and keeps no tensor across epochs',
    { timeout: 240_000 },
    async () => {
      await useBackend('webgpu')
      const data = tinyData(48, 6)
      const shapes = [{}, { model: 'conv', filters: [2], hidden: [] }]
      for (const shape of shapes)
        for (const variant of variants) {
          const config = trainConfig.parse({
            hidden: [8],
            latent: 2,
            epochs: 2,
            batchSize: 16,
            validationSplit: 0,
            ...shape,
            ...variantDefaults(variant),
          })
          const tensors: number[] = []
          const result = await train(data, config, {
            onEpoch: () => void tensors.push(tf.memory().numTensors),
          })
          const label = `${config.model} ${variant}`
          expect(result.epochs, label).toHaveLength(2)
          expect(Number.isFinite(result.epochs[1].mse), label).toBe(true)
          expect(tensors[1], `${label}: tensors left after epoch 2`).toBe(tensors[0])
          disposeModel(result.model)
        }
    },
  )

  it(
    "encodes and decodes as on wasm, and runs deep clustering's refinement",
    { timeout: 120_000 },
    async () => {
      const data = tinyData(40, 4, 3)
      const config = trainConfig.parse({ hidden: [6], latent: 2, epochs: 1, batchSize: 8 })
      await useBackend('wasm')
      const { model } = await train(data, config)
      const all = Int32Array.from({ length: data.count }, (_, i) => i)
      const onWasm = await encodeRows(model, data.pixels, data.size, all)
      const bytesOnWasm = await reconstructRows(model, data.pixels, data.size, all)
      await useBackend('webgpu')
      const onGpu = await encodeRows(model, data.pixels, data.size, all)
      onGpu.forEach((value, i) => expect(value).toBeCloseTo(onWasm[i], 4))
      const bytes = await reconstructRows(model, data.pixels, data.size, all)
      bytes.forEach((byte, i) => expect(Math.abs(byte - bytesOnWasm[i])).toBeLessThanOrEqual(1))
      const projected = await pca(onGpu, data.count, 2, 2)
      expect(projected.coords).toHaveLength(data.count * 2)
      const graph = await nearestNeighbours(onGpu, data.count, 2, 5)
      expect(graph.indices[0]).toBe(0) // each row's nearest is itself
      const refined = await deepCluster(model, data, config, {
        method: 'idec',
        k: 3,
        nInit: 2,
        seed: 1,
        epochs: 2,
        weight: 0.1,
        tolerance: 0,
        updateInterval: 140,
        learningRate: 1e-3,
      })
      expect(refined.history).toHaveLength(2)
      expect(new Set(refined.assignments).size).toBeGreaterThan(1)
      disposeModel(model)
    },
  )

  it(
    'trains a seeded run to within 5 % of the same run on wasm',
    { timeout: 240_000 },
    async () => {
      const data = tinyData(160, 8)
      const config = trainConfig.parse({
        hidden: [16],
        latent: 4,
        epochs: 3,
        batchSize: 32,
        seed: 5,
      })
      const all = Int32Array.from({ length: data.count }, (_, i) => i)
      const mse: Record<string, number> = {}
      for (const backend of ['wasm', 'webgpu'] as const) {
        await useBackend(backend)
        const { model } = await train(data, config)
        mse[backend] = (await evaluate(model, data, all, 'mse')).mse
        disposeModel(model)
      }
      expect(mse.wasm).toBeGreaterThan(0)
      expect(Math.abs(mse.webgpu - mse.wasm) / mse.wasm).toBeLessThan(0.05)
    },
  )
})
