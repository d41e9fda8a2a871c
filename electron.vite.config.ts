import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

const root = import.meta.dirname

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // optional, native, and loaded only where they installed: never bundled
      externalizeDeps: {
        include: ['@tensorflow/tfjs-node', 'webgpu', '@tensorflow/tfjs-backend-webgpu'],
      },
      rollupOptions: {
        // One bundle serves the Electron app (index) and the Node CLI / `studio serve` (cli).
        input: {
          index: resolve(root, 'main/index.ts'),
          cli: resolve(root, 'main/cli.ts'),
          'train-process': resolve(root, 'main/core/training/train.process.ts'),
          'project-process': resolve(root, 'main/core/projection/project.process.ts'),
          'cluster-process': resolve(root, 'main/core/clustering/cluster.process.ts'),
          'decode-process': resolve(root, 'main/core/reconstruction/decode.process.ts'),
          // worker threads of projection and clustering, found beside the bundle that starts them
          'knn-worker': resolve(root, 'main/core/projection/knn.worker.ts'),
          'kmeans-worker': resolve(root, 'main/core/clustering/kmeans.worker.ts'),
          'n2d-worker': resolve(root, 'main/core/clustering/n2d.worker.ts'),
          'decode-worker': resolve(root, 'main/core/datasets/decode.worker.ts'),
          'train-worker': resolve(root, 'main/core/training/train.worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    resolve: { alias: { '@shared': resolve(root, 'main/core/shared') } },
    plugins: [vue()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
})
