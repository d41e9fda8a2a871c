// A GPU lost in the middle of a run (the driver reset, the GPU was unplugged or ran out of
// memory, the laptop switched GPUs): WebGPU reports it once through the device's `lost`
// promise, and every read after it fails. The run then goes on where its last checkpoint
// left it, on the CPU path, and says why (docs/architecture.md, "Backends").
import * as tf from '@tensorflow/tfjs-core'
import type { Autoencoder } from '../models/autoencoder'
import type { BackendInfo } from './backend'
import { useHelperBackend } from './backend'
import type { TrainConfig } from '../shared/train-config'
import type { TrainingData } from './step'
import { train, type TrainControl, type TrainResult } from './train'

interface GpuDevice {
  lost: Promise<{ reason?: string; message?: string }>
  destroy(): void
}

/** The WebGPU device tfjs runs on now, or null on another backend. */
export function currentDevice(): GpuDevice | null {
  if (tf.getBackend() !== 'webgpu') return null
  return (tf.backend() as unknown as { device?: GpuDevice }).device ?? null
}

/**
 * Tests' way to lose the GPU in a training process (STUDIO_TEST_LOSE_GPU_AFTER_EPOCH): the
 * device is destroyed after that epoch is stored, as a driver reset would leave it.
 */
export function loseGpuForTests(epoch: number): void {
  if (Number(process.env.STUDIO_TEST_LOSE_GPU_AFTER_EPOCH) === epoch) currentDevice()?.destroy()
}

/**
 * Follows the device tfjs runs on: `lost()` answers why it was lost (null while it is not),
 * waiting a moment for the news where a read has just failed before the promise settled.
 */
export function watchDevice(device = currentDevice()): { lost(): Promise<string | null> } {
  let reason: string | null = null
  const settled = device?.lost.then((info) => {
    const message = info.message?.trim()
    reason = message ? message : `the device was ${info.reason ?? 'lost'}`
  })
  return {
    lost: async () => {
      if (reason || !settled) return reason
      await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 200))])
      return reason
    },
  }
}

/**
 * Drops tfjs's WebGPU backend, whose device is lost for good, keeping how to make it: the next
 * `setBackend('webgpu')` in this process asks Dawn for a new device.
 */
export function renewWebgpu(): void {
  const registry = (tf.engine() as unknown as { registryFactory: Record<string, Factory> })
    .registryFactory
  const made = registry.webgpu
  try {
    tf.removeBackend('webgpu')
  } catch {
    // disposing its buffers on a lost device may fail; it is dropped either way
  }
  if (made) tf.registerBackend('webgpu', made.factory, made.priority)
}

interface Factory {
  factory: () => tf.KernelBackend | Promise<tf.KernelBackend>
  priority: number
}

export interface Resume {
  model: Autoencoder
  afterEpoch: number
}

export interface Fallback {
  backend: BackendInfo
  /** for the user: what happened, and where the run went on from */
  note: string
}

/**
 * `train(data, config, control, resume)`; when the GPU it trains on is lost, sets the CPU path,
 * tells `onFallback` (which may give the threads for it), and trains again from
 * `lastCheckpoint()` (read after the switch, so its model lives on the CPU path), or from the
 * start when no epoch was saved yet. Any other failure, and a loss off the GPU, is thrown as it
 * came. The result's epochs are those trained after the fallback.
 */
export async function trainWithFallback(
  data: TrainingData,
  config: TrainConfig,
  control: TrainControl,
  resume: Resume | undefined,
  options: {
    backend: BackendInfo
    lastCheckpoint: () => Resume | undefined
    onFallback: (fallback: Fallback) => { threads?: number } | void
  },
): Promise<TrainResult> {
  const { backend } = options
  const watch = backend.name === 'webgpu' ? watchDevice() : null
  try {
    return await train(data, config, control, resume)
  } catch (error) {
    const reason = await watch?.lost()
    if (!reason) throw error
    // the CPU path a helper of a GPU process takes: the fastest one that loads
    const cpu = await useHelperBackend('webgpu')
    renewWebgpu()
    const from = options.lastCheckpoint()
    const start = from ? `its checkpoint of epoch ${from.afterEpoch}` : 'the start'
    const note = `GPU lost (${reason}): training continued on ${cpu.name} from ${start}`
    const changed = options.onFallback({
      backend: { ...cpu, notes: [...backend.notes, note] },
      note,
    })
    return train(data, config, { ...control, threads: changed?.threads }, from)
  }
}
