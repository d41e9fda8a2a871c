// The GPU through WebGPU in a Node process: Dawn's bindings (the optional `webgpu` package, with
// a prebuilt dawn.node per platform) give the process the browser's `navigator.gpu`, on which
// tfjs's WebGPU backend runs: Metal on macOS, Direct3D 12 on Windows, Vulkan on Linux. No CUDA
// and no libtensorflow are involved.
import { readdirSync } from 'node:fs'

/** The adapter Dawn chose, as a user reads it. */
export interface GpuAdapter {
  vendor: string
  architecture: string
  description: string
  /** a software (CPU) implementation, such as SwiftShader: correct, never faster */
  fallback: boolean
}

interface DawnAdapter {
  info: {
    vendor: string
    architecture: string
    device: string
    description: string
    isFallbackAdapter?: boolean
  }
}

interface DawnGpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' }): Promise<DawnAdapter | null>
}

let provided: Promise<GpuAdapter> | undefined

/** "NVIDIA GeForce RTX 4070 (nvidia, ada)", or the software adapter's name, marked as such. */
export function describeAdapter(adapter: GpuAdapter): string {
  const detail = [adapter.vendor, adapter.architecture].filter(Boolean).join(', ')
  // without a description, vendor and architecture are the name itself
  const name = adapter.description
    ? `${adapter.description}${detail ? ` (${detail})` : ''}`
    : `${adapter.vendor} ${adapter.architecture}`.trim() || 'GPU'
  return `${name}${adapter.fallback ? ', a software adapter' : ''}`
}

/**
 * Gives this process `navigator.gpu` from Dawn and registers tfjs's WebGPU backend; answers the
 * adapter found, or throws why there is none. Once per process.
 */
export function provideWebgpu(): Promise<GpuAdapter> {
  provided ??= (async () => {
    // optionalDependency: absent where it could not be installed
    const dawn = (await import('webgpu' as string)) as {
      create(flags: string[]): DawnGpu
      globals: Record<string, unknown>
    }
    // GPUBufferUsage and the other constants tfjs reads from the global scope
    Object.assign(globalThis, dawn.globals)
    const gpu = dawn.create([])
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' })
    if (!adapter)
      throw new Error(
        'no GPU adapter was found (no Vulkan, Metal or Direct3D 12 device, or no driver for it)',
      )
    // Node 21 and later have a navigator without gpu; Node 20 has none
    const host = globalThis as { navigator?: object }
    if (host.navigator)
      Object.defineProperty(host.navigator, 'gpu', { value: gpu, configurable: true })
    else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true })
    await import('@tensorflow/tfjs-backend-webgpu' as string)
    const { info } = adapter
    return {
      vendor: info.vendor,
      architecture: info.architecture,
      description: info.description || info.device,
      fallback: info.isFallbackAdapter === true,
    }
  })()
  return provided
}

/**
 * Why there can be no GPU here, found without loading Dawn (which costs a second and complains
 * on stderr): on Linux, a GPU driver gives the process /dev/dri render nodes or NVIDIA's
 * /dev/nvidia* devices. Null where there may be one (and on macOS and Windows, always).
 */
export function noGpuDevice(
  platform: NodeJS.Platform = process.platform,
  devices: () => string[] = listDevices,
): string | null {
  if (platform !== 'linux') return null
  const found = devices().some((name) => /^(renderD\d+|nvidia\d+)$/.test(name))
  return found ? null : 'this machine has no GPU device (/dev/dri/renderD*, /dev/nvidia*)'
}

function listDevices(): string[] {
  const names = (folder: string) => {
    try {
      return readdirSync(folder)
    } catch {
      return []
    }
  }
  return [...names('/dev/dri'), ...names('/dev')]
}
