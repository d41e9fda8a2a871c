// The GPU over a whole run, on the software Vulkan adapter (SwiftShader) as in webgpu.spec.ts:
// memory that does not grow from epoch to epoch, and a device lost mid-run that the run survives
// on the CPU path, from its last checkpoint. Tiny models: the software adapter is slow.
import * as tf from '@tensorflow/tfjs-core'
import { describe, expect, it } from 'vitest'
import { disposeModel, type Autoencoder } from '../../main/core/models/autoencoder'
import { trainConfig } from '../../main/core/shared/train-config'
import { useBackend } from '../../main/core/training/backend'
import { packWeights, unpackWeights, type Manifest } from '../../main/core/training/checkpoint'
import { currentDevice, trainWithFallback, type Fallback } from '../../main/core/training/gpu-loss'
import { createModelFor, type TrainingData } from '../../main/core/training/step'
import { train, type EpochReport } from '../../main/core/training/train'
import { Studio } from '../../main/core/service'
import type { RunSummary } from '../../main/core/shared/runs'
import { call, sampleFiles, until } from '../helpers/studio'
import { tempWorkspaceFile } from '../helpers/temp'
import { join } from 'node:path'
import { gpuUnavailable } from '../helpers/software-gpu'

const unavailable = gpuUnavailable

function tinyData(count: number, side: number): TrainingData {
  const size = side * side
  const pixels = Uint8Array.from({ length: count * size }, (_, i) => {
    const image = Math.floor(i / size)
    return Math.round(127.5 + 120 * Math.sin((i % size) / (3 + (image % 5)) + image))
  })
  return { pixels, count, size, image: [side, side, 1] }
}

const tiny = { hidden: [8], latent: 2, batchSize: 16, validationSplit: 0.25 }

/** tf.memory() after each epoch: tensors and bytes, and on webgpu the GPU's own bytes. */
async function memoryByEpoch(config: object): Promise<number[][]> {
  const seen: number[][] = []
  const result = await train(tinyData(32, 6), trainConfig.parse({ ...tiny, ...config }), {
    onEpoch: async (_report, model) => {
      // what a training process does each epoch: read the weights back for the checkpoint
      await packWeights(model)
      const memory = tf.memory() as tf.MemoryInfo & {
        numBytesInGPU?: number
        numBytesAllocatedInGPU?: number
      }
      seen.push([
        memory.numTensors,
        memory.numBytes,
        memory.numBytesInGPU ?? 0,
        memory.numBytesAllocatedInGPU ?? 0,
      ])
    },
  })
  disposeModel(result.model)
  return seen
}

describe('memory across epochs', () => {
  for (const backend of ['wasm', 'webgpu'] as const)
    it.skipIf(backend === 'webgpu' && Boolean(unavailable))(
      `does not grow from epoch 2 on, on ${backend}`,
      { timeout: 240_000 },
      async () => {
        await useBackend(backend)
        for (const config of [{ epochs: 4 }, { epochs: 3, model: 'conv', filters: [2] }]) {
          const seen = await memoryByEpoch(config)
          expect(seen).toHaveLength(config.epochs)
          // epoch 1 may still fill the GPU's buffer pool; from then on nothing is added
          for (const later of seen.slice(2)) expect(later, JSON.stringify(config)).toEqual(seen[1])
        }
      },
    )
})

describe.skipIf(Boolean(unavailable))('a GPU lost in the middle of a run', () => {
  it(
    'goes on from the last checkpoint on the CPU path, and says why',
    { timeout: 120_000 },
    async () => {
      const backend = await useBackend('webgpu')
      const data = tinyData(48, 6)
      const config = trainConfig.parse({ ...tiny, epochs: 5, seed: 3 })
      // checkpoints as the training process keeps them: packed weights of each epoch
      let saved: { epoch: number; packed: Awaited<ReturnType<typeof packWeights>> } | null = null
      const epochsOn: [number, string][] = []
      const fallbacks: Fallback[] = []
      const onEpoch = async (report: EpochReport, model: Autoencoder) => {
        epochsOn.push([report.epoch, tf.getBackend()])
        saved = { epoch: report.epoch, packed: await packWeights(model) }
        // the driver resets after epoch 2: Dawn reports the device lost
        if (report.epoch === 2) currentDevice()!.destroy()
      }
      const result = await trainWithFallback(data, config, { onEpoch }, undefined, {
        backend,
        lastCheckpoint: () => {
          if (!saved) return undefined
          const model = createModelFor(config, data.image)
          unpackWeights(model, saved.packed.weights, saved.packed.manifest as Manifest)
          return { model, afterEpoch: saved.epoch }
        },
        onFallback: (fallback) => void fallbacks.push(fallback),
      })
      expect(tf.getBackend()).toBe('wasm')
      expect(fallbacks[0]?.backend.name).toBe('wasm')
      expect(fallbacks).toHaveLength(1)
      expect(fallbacks[0].note).toMatch(
        /^GPU lost \(.+\): training continued on wasm from its checkpoint of epoch 2$/,
      )
      expect(fallbacks[0].backend.notes).toEqual([...backend.notes, fallbacks[0].note])
      // epochs 1 and 2 on the GPU, then 3 to 5 on wasm from epoch 2's weights, none twice
      expect(epochsOn).toEqual([
        [1, 'webgpu'],
        [2, 'webgpu'],
        [3, 'wasm'],
        [4, 'wasm'],
        [5, 'wasm'],
      ])
      expect(result.epochs.map((e) => e.epoch)).toEqual([3, 4, 5])
      expect(result.epochs.every((e) => Number.isFinite(e.mse))).toBe(true)
      disposeModel(result.model)
    },
  )

  it('throws a failure that is not a lost GPU as it came', async () => {
    const backend = await useBackend('webgpu')
    // a model the training loop cannot use: it fails before any step, with the GPU still there
    const config = trainConfig.parse({ ...tiny, epochs: 1 })
    const wrong = createModelFor(trainConfig.parse({ ...tiny, latent: 3 }), [5, 5, 1])
    await expect(
      trainWithFallback(
        tinyData(16, 6),
        config,
        {},
        { model: wrong, afterEpoch: 0 },
        {
          backend,
          lastCheckpoint: () => undefined,
          onFallback: () => {
            throw new Error('no fallback expected')
          },
        },
      ),
    ).rejects.toThrow()
    expect(tf.getBackend()).toBe('webgpu')
    disposeModel(wrong)
  })
})

describe.skipIf(Boolean(unavailable))('a run whose GPU is lost', () => {
  it(
    'goes on on the CPU path in its training process, and the run says so',
    { timeout: 300_000 },
    async () => {
      process.env.STUDIO_TEST_LOSE_GPU_AFTER_EPOCH = '1'
      const studio = new Studio({
        workspaceFile: tempWorkspaceFile(),
        resourcesDir: join(import.meta.dirname, '..', '..', 'resources'),
        shell: 'test',
        version: 'test',
      })
      try {
        const { datasetId } = (await call(studio, 'datasets.import', { paths: sampleFiles })) as {
          datasetId: number
        }
        const backends: string[] = []
        studio.onEvent((event, payload) => {
          if (event === 'training:status' && 'backend' in payload && payload.backend)
            backends.push(payload.backend)
        })
        const done = until(studio, 'training:status', (s) =>
          ['completed', 'failed', 'interrupted', 'cancelled'].includes(s.status),
        )
        const config = { ...tiny, batchSize: 500, epochs: 3, seed: 1, backend: 'webgpu' }
        const run = (await call(studio, 'runs.start', { datasetId, config })) as RunSummary
        const status = await done
        expect(status.error).toBeUndefined()
        const stored = studio.runs.get(run.id)
        expect(stored.status).toBe('completed')
        // the badge: webgpu when it started, the CPU path from the loss on, with the reason
        expect(backends).toEqual(['webgpu', 'wasm'])
        expect(stored.backend).toBe('wasm')
        const note = /^GPU lost \(.+\): training continued on wasm from its checkpoint of epoch 1$/
        expect(stored.summary!.backendNotes!.some((n) => note.test(n))).toBe(true)
        expect(stored.summary!.warnings![0].kind).toBe('gpu-lost')
        expect(stored.summary!.warnings![0].message).toMatch(/epoch 1\.$/)
        expect(studio.runs.epochs(run.id).map((e) => e.epoch)).toEqual([1, 2, 3])
      } finally {
        delete process.env.STUDIO_TEST_LOSE_GPU_AFTER_EPOCH
        studio.close()
      }
    },
  )
})
