import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Shape3 } from '../../../../main/core/models/conv'
import { diagnose } from '../../../../main/core/metrics/diagnostics'
import {
  createAutoencoder,
  encode,
  flatImage,
  type AutoencoderSpec,
} from '../../../../main/core/models/autoencoder'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const spec: AutoencoderSpec = {
  inputSize: 8,
  image: flatImage(8),
  filters: [],
  hidden: [],
  latent: 3,
  activation: 'relu',
  codeActivation: 'linear',
  variational: false,
}

/** Two well separated clusters of 8-pixel images, labelled by cluster. */
function clusters(n: number) {
  const x = tf.tidy(() =>
    tf.concat([
      tf.add(
        tf.randomUniform([n, 8], 0, 0.1, 'float32', 1),
        tf.tensor1d([0.8, 0.8, 0.8, 0.8, 0, 0, 0, 0]),
      ),
      tf.add(
        tf.randomUniform([n, 8], 0, 0.1, 'float32', 2),
        tf.tensor1d([0, 0, 0, 0, 0.8, 0.8, 0.8, 0.8]),
      ),
    ]),
  ) as tf.Tensor2D
  const labels = [...Array(n).fill('a'), ...Array(n).fill('b')]
  return { x, labels }
}

describe('run diagnostics', () => {
  it('gives ‖W‖_F as the Jacobian norm of a linear encoder', async () => {
    const model = createAutoencoder(spec, 3)
    const { x, labels } = clusters(20)
    const result = await diagnose(model, x, labels)
    const expected = tf.norm(model.encoder[0].W).dataSync()[0]
    expect(result.jacobianNorm).toBeCloseTo(expected, 4)
    expect(result.saturated).toBeNull() // a linear code has no bounds
    expect(result.meanActivation).toBeNull()
  })

  it('gives a conv encoder the Jacobian norm that finite differences give', async () => {
    const convSpec = { ...spec, inputSize: 16, image: [4, 4, 1] as Shape3, filters: [2] }
    const model = createAutoencoder({ ...convSpec, activation: 'tanh' }, 5)
    const x = tf.randomUniform([1, 16], 0.1, 0.9, 'float32', 9) as tf.Tensor2D
    const h = 1e-2
    let squares = 0
    for (let k = 0; k < 16; k++) {
      const e = tf.mul(tf.oneHot(tf.tensor1d([k], 'int32'), 16), h)
      const column = tf.div(tf.sub(encode(model, tf.add(x, e)), encode(model, tf.sub(x, e))), 2 * h)
      squares += tf.sum(tf.square(column)).dataSync()[0]
    }
    const result = await diagnose(model, x, [null])
    expect(result.jacobianNorm).toBeGreaterThan(0.01)
    expect(result.jacobianNorm).toBeCloseTo(Math.sqrt(squares), 3)
  })

  it('finds saturated sigmoid units when the weights are huge, and none when they are tiny', async () => {
    const model = createAutoencoder({ ...spec, codeActivation: 'sigmoid' }, 3)
    const { x, labels } = clusters(20)
    model.encoder[0].W.assign(tf.mul(model.encoder[0].W, 1000))
    expect((await diagnose(model, x, labels)).saturated).toBeGreaterThan(0.9)
    model.encoder[0].W.assign(tf.mul(model.encoder[0].W, 1e-6))
    const calm = await diagnose(model, x, labels)
    expect(calm.saturated).toBe(0)
    expect(calm.meanActivation).toBeCloseTo(0.5, 2)
  })

  it('scores separable codes near 1 and shuffled labels near chance', async () => {
    const model = createAutoencoder(spec, 3)
    const { x, labels } = clusters(100)
    const separable = await diagnose(model, x, labels)
    expect(separable.knn).toBeGreaterThan(0.95)
    expect(separable.linearProbe).toBeGreaterThan(0.95)
    const shuffled = labels.map((_, i) => (i % 2 ? 'a' : 'b'))
    const chance = await diagnose(model, x, shuffled)
    expect(chance.knn).toBeLessThan(0.75)
    expect(chance.linearProbe).toBeLessThan(0.75)
    const unlabelled = await diagnose(
      model,
      x,
      labels.map(() => null),
    )
    expect(unlabelled.knn).toBeNull()
  })

  it('counts the active latent dimensions of a VAE', async () => {
    const model = createAutoencoder({ ...spec, variational: true, latent: 3 }, 3)
    const { x, labels } = clusters(50)
    // silence the mean of dimension 2: its column of W and its bias set to 0
    const W = model.encoder[0].W
    W.assign(tf.mul(W, tf.tensor1d([1, 1, 0, 1, 1, 1])))
    model.encoder[0].W.assign(tf.mul(W, 20))
    expect((await diagnose(model, x, labels)).activeDimensions).toBe(2)
  })
})
