#!/usr/bin/env node
// `npx studio …`: runs the built CLI (npm install builds it through the `prepare` script).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const built = new URL('../../out/main/cli.js', import.meta.url)
if (!existsSync(fileURLToPath(built))) {
  console.error(
    'Autoencoder Studio is not built yet. Run `npm run build` in ' +
      fileURLToPath(new URL('../..', import.meta.url)),
  )
  process.exit(1)
}
await import(built.href)
