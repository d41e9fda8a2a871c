import { existsSync } from 'node:fs'
import { defineConfig } from 'vitest/config'
import SummaryReporter from './test/helpers/summary-reporter.ts'

// Dawn (the webgpu tests) finds an adapter on a machine without a GPU through the software Vulkan
// driver Debian's chromium ships; the tests, and the training processes they start, get it here
const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json'
const vulkan: Record<string, string> =
  existsSync(swiftshader) && !process.env.VK_ICD_FILENAMES ? { VK_ICD_FILENAMES: swiftshader } : {}

export default defineConfig({
  // the renderer's modules import main/core/shared through this alias, as electron.vite.config.ts sets it
  resolve: { alias: { '@shared': `${import.meta.dirname}/main/core/shared` } },
  test: {
    include: ['test/unit/**/*.spec.ts', 'test/integration/**/*.spec.ts'],
    reporters: ['default', new SummaryReporter('unit and integration')],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: vulkan,
  },
})
