// A model's weights as one Float32Array plus a manifest, for SQLite checkpoints.
import * as tf from '@tensorflow/tfjs-core'
import { layersOf, type Autoencoder } from '../models/autoencoder'

export interface Manifest {
  variables: { name: string; shape: number[] }[]
}

export async function packWeights(model: Autoencoder): Promise<{
  weights: Float32Array
  manifest: Manifest
}> {
  const layers = layersOf(model)
  const variables = layers.flatMap((layer, i) => [
    { name: `layer${i}.W`, tensor: layer.W },
    { name: `layer${i}.b`, tensor: layer.b },
  ])
  const total = variables.reduce((sum, v) => sum + v.tensor.size, 0)
  const weights = new Float32Array(total)
  const values = await Promise.all(variables.map((v) => v.tensor.data()))
  let at = 0
  values.forEach((value, i) => {
    weights.set(value as Float32Array, at)
    at += variables[i].tensor.size
  })
  return {
    weights,
    manifest: { variables: variables.map((v) => ({ name: v.name, shape: v.tensor.shape })) },
  }
}

/** Loads packed weights into a model of the same architecture. */
export function unpackWeights(model: Autoencoder, weights: Float32Array, manifest: Manifest): void {
  const layers = layersOf(model)
  const targets = layers.flatMap((layer) => [layer.W, layer.b] as tf.Variable[])
  if (targets.length !== manifest.variables.length)
    throw new Error('The checkpoint does not match this model (different number of layers).')
  let at = 0
  targets.forEach((target, i) => {
    const { shape } = manifest.variables[i]
    if (shape.join('×') !== target.shape.join('×'))
      throw new Error(`The checkpoint does not match this model (${manifest.variables[i].name}).`)
    const size = target.size
    tf.tidy(() => target.assign(tf.tensor(weights.subarray(at, at + size), shape)))
    at += size
  })
}
