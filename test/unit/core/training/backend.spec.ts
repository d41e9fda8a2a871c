// The backend choice's parts that need no GPU: looking for a GPU device without loading Dawn,
// the remembered probe, the adapter's name, and the CPU path a helper thread of a GPU process
// takes. The GPU itself is tested in test/integration/webgpu.spec.ts.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import { describe, expect, it } from 'vitest'
import {
  probeFile,
  useBackend,
  useHelperBackend,
  type ProbeResult,
} from '../../../../main/core/training/backend'
import { threadsFor } from '../../../../main/core/training/data-parallel'
import { modelSpec } from '../../../../main/core/training/config'
import { trainConfig } from '../../../../main/core/shared/train-config'
import { describeAdapter, noGpuDevice } from '../../../../main/core/training/webgpu'
import { tempDir } from '../../../helpers/temp'

const hardware = {
  vendor: 'acme',
  architecture: 'rdna9',
  description: 'Acme Radeon',
  fallback: false,
}

describe('looking for a GPU without loading Dawn', () => {
  it('on Linux, needs a render node or an NVIDIA device', () => {
    expect(noGpuDevice('linux', () => ['card0', 'renderD128'])).toBeNull()
    expect(noGpuDevice('linux', () => ['nvidia0', 'nvidiactl'])).toBeNull()
    expect(noGpuDevice('linux', () => ['card0', 'null', 'nvidiactl'])).toMatch(/no GPU device/)
    expect(noGpuDevice('darwin', () => [])).toBeNull()
  })

  it('lets auto take the CPU path, saying why, without asking Dawn', async () => {
    const info = await useBackend('auto', {
      devices: () => [],
      adapter: () => Promise.reject(new Error('Dawn was asked')),
    })
    expect(info.name).not.toBe('webgpu')
    expect(tf.getBackend()).toBe(info.name)
    expect(info.notes[0]).toBe(
      'GPU not used: this machine has no GPU device (/dev/dri/renderD*, /dev/nvidia*)',
    )
  })

  it('lets auto say why when webgpu cannot start', async () => {
    const info = await useBackend('auto', {
      devices: () => ['renderD128'],
      adapter: () => Promise.reject(new Error("Cannot find package 'webgpu'\nstack")),
    })
    expect(info.name).not.toBe('webgpu')
    expect(info.notes[0]).toBe(
      "GPU not used: webgpu is not available (Cannot find package 'webgpu')",
    )
  })
})

describe('the probe', () => {
  it('is remembered in a file, and a GPU step that failed never wins', async () => {
    const file = join(tempDir(), 'settings', 'gpu-probe.json')
    const memory = probeFile(file)
    expect(memory.get('x')).toBeUndefined()
    memory.set('Acme Radeon (acme, rdna9) / wasm', { gpuMs: Infinity, cpuMs: 12 })
    // a second reader: what another process finds
    const stored = probeFile(file).get('Acme Radeon (acme, rdna9) / wasm') as ProbeResult
    expect(stored.cpuMs).toBe(12)
    const info = await useBackend('auto', {
      devices: () => ['renderD128'],
      adapter: async () => hardware,
      memory: probeFile(file),
      time: () => Promise.reject(new Error('probed again')),
    })
    expect(info.name).toBe('wasm')
    expect(info.notes.at(-1)).toBe(
      'GPU not used: Acme Radeon (acme, rdna9) was slower by the probe (failed a step against 12.0 ms on wasm)',
    )
  })

  it('is only forgotten where the settings folder cannot be written', () => {
    // a folder inside a file: nothing can be written there
    const file = join(tempDir(), 'a-file')
    writeFileSync(file, '')
    const memory = probeFile(join(file, 'settings', 'gpu-probe.json'))
    memory.set('k', { gpuMs: 1, cpuMs: 2 })
    expect(memory.get('k')).toBeUndefined()
  })
})

describe('on one GPU', () => {
  it('names the adapter as a user reads it', () => {
    expect(describeAdapter(hardware)).toBe('Acme Radeon (acme, rdna9)')
    const software = { vendor: 'google', architecture: 'swiftshader', fallback: true }
    expect(describeAdapter({ ...software, description: 'SwiftShader driver 5.0.0' })).toBe(
      'SwiftShader driver 5.0.0 (google, swiftshader), a software adapter',
    )
    expect(describeAdapter({ ...hardware, description: '' })).toBe('acme rdna9')
  })

  it('trains each batch on one thread, and its helper threads take the CPU path', async () => {
    const config = trainConfig.parse({ hidden: [256], batchSize: 256 })
    const spec = modelSpec(config, [28, 28, 1])
    expect(threadsFor('wasm', config, 60_000, spec, 4)).toBeGreaterThan(1)
    expect(threadsFor('webgpu', config, 60_000, spec, 4)).toBe(1)
    const helper = await useHelperBackend('webgpu')
    expect(helper.name).not.toBe('webgpu')
    expect(tf.getBackend()).toBe(helper.name)
  })
})
