// The cluster bench's trained autoencoder, kept between runs where BENCH_AE_CACHE names a folder:
// training it is most of the bench's time on a CPU (about 7 minutes quiet, an hour under load),
// and a change to a refinement method needs the same starting network to be compared. The file's
// name holds everything the training depends on, so a changed setting trains anew.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Manifest } from '../../main/core/training/checkpoint'

export interface CachedAutoencoder {
  weights: Float32Array
  manifest: Manifest
  /** seconds the training took when it ran */
  seconds: number
}

const folder = process.env.BENCH_AE_CACHE

function files(key: string): { manifest: string; weights: string } | null {
  if (!folder) return null
  const base = join(folder, `ae-${key.replace(/[^a-z0-9.,-]+/gi, '_')}`)
  return { manifest: `${base}.json`, weights: `${base}.f32` }
}

/** The autoencoder trained earlier under `key`, or null (no cache folder, or not trained yet). */
export function cachedAutoencoder(key: string): CachedAutoencoder | null {
  const at = files(key)
  if (!at || !existsSync(at.manifest) || !existsSync(at.weights)) return null
  const { manifest, seconds } = JSON.parse(readFileSync(at.manifest, 'utf8')) as {
    manifest: Manifest
    seconds: number
  }
  const bytes = readFileSync(at.weights)
  const weights = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  )
  return { weights, manifest, seconds }
}

/** Keeps a trained autoencoder under `key` where BENCH_AE_CACHE names a folder. */
export function cacheAutoencoder(key: string, trained: CachedAutoencoder): void {
  const at = files(key)
  if (!at) return
  mkdirSync(folder!, { recursive: true })
  writeFileSync(
    at.weights,
    Buffer.from(trained.weights.buffer, trained.weights.byteOffset, trained.weights.byteLength),
  )
  writeFileSync(
    at.manifest,
    JSON.stringify({ manifest: trained.manifest, seconds: trained.seconds }),
  )
}
