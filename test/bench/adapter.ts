// `npm run bench -- adapter`: the GPU that tfjs's WebGPU backend would get here, before any
// benchmark spends minutes on it: Dawn's adapter (name, vendor, software or not), why there is
// none, which Vulkan loader and driver the process loaded, and what `auto` chooses and why (its
// probe's verdict is kept, so the cluster bench's `auto` later makes the same choice).
import { readFileSync } from 'node:fs'
import { useBackend } from '../../main/core/training/backend'
import { describeAdapter, noGpuDevice, provideWebgpu } from '../../main/core/training/webgpu'

/** The shared libraries of this process whose names say Vulkan or a GPU driver. */
function vulkanLibraries(): string[] {
  try {
    const paths = readFileSync('/proc/self/maps', 'utf8')
      .split('\n')
      .map((line) => line.split(/\s+/)[5] ?? '')
    return [...new Set(paths.filter((path) => /vulkan|nvidia|swiftshader|mesa/i.test(path)))]
  } catch {
    return []
  }
}

export async function printAdapter(): Promise<void> {
  console.log('WebGPU adapter (Dawn)')
  for (const name of ['VK_DRIVER_FILES', 'VK_ICD_FILENAMES', 'LD_LIBRARY_PATH'])
    if (process.env[name]) console.log(`  ${name}=${process.env[name]}`)
  console.log(`  GPU devices: ${noGpuDevice() ?? 'found (/dev/dri/renderD* or /dev/nvidia*)'}`)
  try {
    const adapter = await provideWebgpu()
    console.log(`  adapter: ${describeAdapter(adapter)}`)
    console.log(`  vendor: ${adapter.vendor || '?'}, architecture: ${adapter.architecture || '?'}`)
    console.log(`  software (fallback) adapter: ${adapter.fallback ? 'yes' : 'no'}`)
  } catch (error) {
    console.log(`  no adapter: ${error instanceof Error ? error.message : String(error)}`)
  }
  for (const path of vulkanLibraries()) console.log(`  loaded: ${path}`)
  const auto = await useBackend('auto')
  console.log(`  backend auto: ${auto.name}`)
  for (const note of auto.notes) console.log(`    ${note}`)
}
