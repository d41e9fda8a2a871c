// Chooses the tfjs backend at the edge (docs/architecture.md, "Backends"): the GPU through WebGPU
// where there is a hardware adapter and a short probe showed it faster than the CPU path here;
// else native TensorFlow when @tensorflow/tfjs-node loads, else WebAssembly, else plain
// JavaScript; and says which, and why.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import { defaultWorkspaceFile } from '../paths'
import { backendNames, type BackendName } from '../shared/train-config'
import { describeAdapter, noGpuDevice, provideWebgpu, type GpuAdapter } from './webgpu'

export type { BackendName }
export type BackendChoice = 'auto' | BackendName

export interface BackendInfo {
  name: BackendName
  /** why faster backends were passed over, or why the GPU was chosen, for the user to read */
  notes: string[]
  /** the GPU adapter, when on webgpu */
  adapter?: GpuAdapter
}

/** The CPU paths, fastest first: what `auto` takes when the GPU is not used. */
const cpuPaths = backendNames.filter((name) => name !== 'webgpu')

const loaders: Record<BackendName, () => Promise<unknown>> = {
  webgpu: () => provideWebgpu(),
  // optionalDependency: absent where its native library could not be installed
  tensorflow: () => import('@tensorflow/tfjs-node' as string),
  wasm: () => import('@tensorflow/tfjs-backend-wasm'),
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
}

const firstLine = (error: unknown) =>
  error instanceof Error ? error.message.split('\n')[0] : String(error)

async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    await loaders[name]()
    if (!(await tf.setBackend(name))) return `${name} did not initialise`
    await tf.ready()
    return null
  } catch (error) {
    return `${name} is not available (${firstLine(error)})`
  }
}

/** A probe's verdict: milliseconds of the same step on the GPU and on the CPU path. */
export interface ProbeResult {
  gpuMs: number
  cpuMs: number
}

/** Where probe verdicts are kept between runs, by adapter and CPU path. */
export interface ProbeMemory {
  get(key: string): ProbeResult | undefined
  set(key: string, result: ProbeResult): void
}

/**
 * Verdicts kept in a JSON file of the user's settings (beside the default workspace): the probe
 * is about this machine, not about a workspace, which may be opened on another.
 */
export function probeFile(
  file = join(dirname(defaultWorkspaceFile()), 'gpu-probe.json'),
): ProbeMemory {
  const read = (): Record<string, ProbeResult> => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, ProbeResult>
    } catch {
      return {}
    }
  }
  return {
    get: (key) => read()[key],
    set: (key, result) => {
      try {
        mkdirSync(dirname(file), { recursive: true })
        writeFileSync(file, JSON.stringify({ ...read(), [key]: result }, null, 2))
      } catch {
        // a settings folder that cannot be written only means probing again next time
      }
    },
  }
}

/**
 * Milliseconds of one training-like step on the current backend: a 784-256-784 layer pair,
 * forward and backward, on a batch of 256; the median of 5 after 2 that compile and warm up.
 */
export async function stepMs(): Promise<number> {
  const [x, w1, w2] = tf.tidy(() => [
    tf.randomUniform([256, 784], 0, 1, 'float32', 1),
    tf.randomNormal([784, 256], 0, 0.05, 'float32', 2),
    tf.randomNormal([256, 784], 0, 0.05, 'float32', 3),
  ])
  const loss = (a: tf.Tensor, b: tf.Tensor) =>
    tf.mean(tf.square(tf.sub(tf.matMul(tf.relu(tf.matMul(x, a)), b), x))) as tf.Scalar
  const step = tf.grads(loss)
  const times: number[] = []
  try {
    for (let i = 0; i < 7; i++) {
      const started = performance.now()
      const grads = step([w1, w2])
      await Promise.all(grads.map((g) => g.data()))
      tf.dispose(grads)
      times.push(performance.now() - started)
    }
  } finally {
    tf.dispose([x, w1, w2])
  }
  const timed = times.slice(2).sort((a, b) => a - b)
  return timed[Math.floor(timed.length / 2)]
}

export interface UseBackendOptions {
  /** where the probe's verdict is kept between runs; the user's settings by default */
  memory?: ProbeMemory
  /** for tests: the step timer, the GPU adapter (Dawn's by default) and the device files */
  time?: () => Promise<number>
  adapter?: () => Promise<GpuAdapter>
  devices?: () => string[]
}

/**
 * Sets the backend; with 'auto', the GPU when it has a hardware adapter that the probe shows
 * faster than the CPU path, else the fastest CPU path that loads. Throws if a forced one fails.
 */
export async function useBackend(
  choice: BackendChoice = 'auto',
  options: UseBackendOptions = {},
): Promise<BackendInfo> {
  // PROD skips tfjs's debug checks and its console advice; which backend runs is reported instead
  tf.env().set('PROD', true)
  if (choice === 'auto') return autoBackend(options)
  const failure = await tryBackend(choice)
  if (failure) throw new Error(`Cannot train on the ${choice} backend: ${failure}.`)
  if (choice !== 'webgpu') return { name: choice, notes: [] }
  const adapter = await provideWebgpu()
  const slow = adapter.fallback ? ': correct, but slower than the CPU path' : ''
  return { name: choice, notes: [`GPU: ${describeAdapter(adapter)}${slow}`], adapter }
}

/**
 * The backend for a worker thread helping a process that runs on `backend`: the same one, but
 * the GPU stays with the process (one device, no shared memory between threads), so a helper of
 * a process on webgpu takes the CPU path.
 */
export async function useHelperBackend(backend: BackendName): Promise<BackendInfo> {
  if (backend !== 'webgpu') return useBackend(backend)
  tf.env().set('PROD', true)
  return { name: await cpuPath([]), notes: [] }
}

/** Starts the first CPU path that loads; `notes` gathers why others did not. */
async function cpuPath(notes: string[]): Promise<BackendName> {
  for (const name of cpuPaths) {
    const failure = await tryBackend(name)
    if (!failure) return name
    notes.push(failure)
  }
  throw new Error(`No TensorFlow.js backend could start: ${notes.join('; ')}`)
}

async function autoBackend(options: UseBackendOptions): Promise<BackendInfo> {
  const notes: string[] = []
  const absent = noGpuDevice(process.platform, options.devices)
  let adapter: GpuAdapter | null = null
  if (absent) notes.push(`GPU not used: ${absent}`)
  else
    adapter = await (options.adapter ?? provideWebgpu)().catch((error: unknown) => {
      notes.push(`GPU not used: webgpu is not available (${firstLine(error)})`)
      return null
    })
  if (adapter?.fallback)
    notes.push(`GPU not used: ${describeAdapter(adapter)} is never faster than the CPU path`)
  const cpu = await cpuPath(notes)
  if (!adapter || adapter.fallback) return { name: cpu, notes }
  const verdict = await probe(adapter, cpu, options)
  const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'failed')
  const times = `${ms(verdict.gpuMs)} a step against ${ms(verdict.cpuMs)} on ${cpu}`
  // (a step that failed is stored as null: JSON has no Infinity)
  if (Number.isFinite(verdict.gpuMs) && verdict.gpuMs < verdict.cpuMs) {
    const failure = await tryBackend('webgpu')
    if (!failure) {
      notes.push(`GPU: ${describeAdapter(adapter)}, faster by the probe (${times})`)
      return { name: 'webgpu', notes, adapter }
    }
    notes.push(`GPU not used: ${failure}`)
    await tf.setBackend(cpu)
    return { name: cpu, notes }
  }
  await tf.setBackend(cpu)
  notes.push(`GPU not used: ${describeAdapter(adapter)} was slower by the probe (${times})`)
  return { name: cpu, notes }
}

/** The probe's verdict for this adapter against `cpu`: remembered, or measured now. */
async function probe(
  adapter: GpuAdapter,
  cpu: BackendName,
  options: UseBackendOptions,
): Promise<ProbeResult> {
  const memory = options.memory ?? probeFile()
  const key = `${describeAdapter(adapter)} / ${cpu}`
  const known = memory.get(key)
  if (known) return known
  const time = options.time ?? stepMs
  const cpuMs = await time()
  // a GPU that fails to start or to run the step loses the comparison
  let gpuMs = Infinity
  if (!(await tryBackend('webgpu'))) gpuMs = await time().catch(() => Infinity)
  await tf.setBackend(cpu)
  const result = { gpuMs, cpuMs }
  memory.set(key, result)
  return result
}
