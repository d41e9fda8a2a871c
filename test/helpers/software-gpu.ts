// The software WebGPU adapter the GPU tests run on: SwiftShader, the Vulkan driver Debian's
// chromium ships. Dawn reads VK_ICD_FILENAMES when it first looks for adapters, and the
// training processes inherit it. `gpuUnavailable` says why the tests must skip (null: they run).
import { existsSync } from 'node:fs'
import { provideWebgpu } from '../../main/core/training/webgpu'

const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json'
if (existsSync(swiftshader)) process.env.VK_ICD_FILENAMES ??= swiftshader

export const gpuUnavailable: string | null = await provideWebgpu().then(
  (adapter) => (adapter.fallback ? null : 'the adapter found is a hardware one, not SwiftShader'),
  (error: unknown) =>
    `no WebGPU adapter here (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): install chromium and libvulkan1`,
)
if (gpuUnavailable) console.warn(`webgpu tests skipped: ${gpuUnavailable}`)
