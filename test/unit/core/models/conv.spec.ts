// The conv layer on the backend users train on: tfjs-wasm has its own kernels for the ops the
// hand-written backward pass uses (dilated conv, pad, concat), so the gradient check runs there too.
import * as tf from '@tensorflow/tfjs-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAutoencoder, disposeModel } from '../../../../main/core/models/autoencoder'
import { convForward, createConvLayer } from '../../../../main/core/models/conv'
import { gradientCheck } from '../../../../main/core/models/grad-check'
import type { Objective } from '../../../../main/core/models/objective'
import { useBackend } from '../../../../main/core/training/backend'
import { plainObjective } from './tiny-models'

const objective: Objective = { ...plainObjective, reconstruction: 'bce', weightDecay: 0.1 }

let previous = ''
beforeAll(async () => {
  previous = tf.getBackend()
  await useBackend('wasm')
})
afterAll(async () => {
  if (previous) await tf.setBackend(previous)
})

describe('conv layers on wasm', () => {
  it('pass the gradient check, odd sides and two channels included', async () => {
    for (const image of [
      [6, 5, 1],
      [4, 4, 2],
    ] as const) {
      const inputSize = image[0] * image[1] * image[2]
      const spec = {
        inputSize,
        image: [...image] as [number, number, number],
        filters: [2, 3],
        hidden: [],
        latent: 3,
        activation: 'elu' as const,
        codeActivation: 'linear' as const,
        variational: false,
      }
      const model = createAutoencoder(spec, 3)
      const x = tf.randomUniform([3, inputSize], 0.05, 0.95, 'float32', 5)
      const result = await gradientCheck(
        model,
        x,
        { input: x, eps: null, perturbation: null },
        objective,
      )
      expect(result.checked).toBeGreaterThan(40)
      expect(result.maxRelativeError, JSON.stringify(result.worst)).toBeLessThan(1e-2)
      disposeModel(model)
      x.dispose()
    }
  })

  it('leaves no tensors behind once a model is created and disposed', () => {
    const before = tf.memory().numTensors
    const model = createAutoencoder(
      {
        inputSize: 16,
        image: [4, 4, 1],
        filters: [2],
        hidden: [3],
        latent: 2,
        activation: 'relu',
        codeActivation: 'linear',
        variational: false,
      },
      1,
    )
    disposeModel(model)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('upsamples by repeating each pixel before convolving', () => {
    // a 1×1 kernel of weight 1 and no bias makes the layer the upsampling alone
    const layer = createConvLayer(
      [2, 2, 1],
      [4, 4, 1],
      { kernel: 1, stride: 1, upsample: true, activation: 'linear' },
      1,
    )
    layer.W.assign(tf.ones([1, 1, 1, 1]))
    const y = convForward(tf.tensor2d([[1, 2, 3, 4]]), layer)
    expect(Array.from(y.dataSync())).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
  })
})
