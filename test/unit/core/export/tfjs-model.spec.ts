import { describe, expect, it } from 'vitest'
import { StudioError } from '../../../../main/core/errors'
import { layersModelJson, modelPlan } from '../../../../main/core/export/tfjs-model'
import { flatImage } from '../../../../main/core/models/architecture'
import type { Checkpoint } from '../../../../main/core/store/runs-store'
import { trainConfig, type TrainConfigInput } from '../../../../main/core/shared/train-config'

const config = (input: TrainConfigInput) => trainConfig.parse(input)
const small = config({ hidden: [8], latent: 3 })
const image = flatImage(12)

/** A checkpoint with the manifest packWeights writes for these layer shapes. */
function checkpoint(shapes: [number, number][]): Checkpoint {
  const variables = shapes.flatMap(([inputs, units], i) => [
    { name: `layer${i}.W`, shape: [inputs, units] },
    { name: `layer${i}.b`, shape: [units] },
  ])
  const size = shapes.reduce((sum, [inputs, units]) => sum + (inputs + 1) * units, 0)
  return { epoch: 3, weights: new Float32Array(size), manifest: { variables } }
}

describe('modelPlan', () => {
  it('places each layer in the packed weights, kernel then bias, encoder then decoder', () => {
    const plan = modelPlan(
      small,
      image,
      checkpoint([
        [12, 8],
        [8, 3],
        [3, 8],
        [8, 12],
      ]),
      1,
    )
    expect(plan.encoder.map((l) => l.offset)).toEqual([0, 13 * 8])
    expect(plan.decoder.map((l) => l.offset)).toEqual([13 * 8 + 9 * 3, 13 * 8 + 9 * 3 + 4 * 8])
  })

  it('refuses a checkpoint that does not match the config', () => {
    const wrongLatent = checkpoint([
      [12, 8],
      [8, 4],
      [4, 8],
      [8, 12],
    ])
    expect(() => modelPlan(small, image, wrongLatent, 7)).toThrow(StudioError)
    expect(() => modelPlan(small, image, wrongLatent, 7)).toThrow(
      /checkpoint of run 7 does not match its configuration \(layer 2 is 8×4/,
    )
    const tooFew = checkpoint([
      [12, 3],
      [3, 12],
    ])
    expect(() => modelPlan(small, image, tooFew, 7)).toThrow(/4 variables for 4 layers/)
    const short = checkpoint([
      [12, 8],
      [8, 3],
      [3, 8],
      [8, 12],
    ])
    short.weights = short.weights.subarray(1)
    expect(() => modelPlan(small, image, short, 7)).toThrow(/weights where the layers need/)
    expect(() => modelPlan(small, image, { ...short, manifest: { nope: 1 } }, 7)).toThrow(
      /unreadable/,
    )
  })
})

describe('layersModelJson', () => {
  it('is a Keras Sequential of Dense layers with the input shape on the first and named weights', () => {
    const plan = modelPlan(
      small,
      image,
      checkpoint([
        [12, 8],
        [8, 3],
        [3, 8],
        [8, 12],
      ]),
      1,
    )
    const json = layersModelJson('encoder', plan.encoder)
    expect(json.format).toBe('layers-model')
    expect(json.modelTopology.class_name).toBe('Sequential')
    const layers = json.modelTopology.config.layers
    expect(layers.map((l) => [l.class_name, l.config.units, l.config.activation])).toEqual([
      ['Dense', 8, 'relu'],
      ['Dense', 3, 'linear'],
    ])
    expect(layers[0].config).toMatchObject({ batch_input_shape: [null, 12], use_bias: true })
    expect(layers[1].config).not.toHaveProperty('batch_input_shape')
    expect(json.weightsManifest).toEqual([
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'encoder_dense_1/kernel', shape: [12, 8], dtype: 'float32' },
          { name: 'encoder_dense_1/bias', shape: [8], dtype: 'float32' },
          { name: 'encoder_dense_2/kernel', shape: [8, 3], dtype: 'float32' },
          { name: 'encoder_dense_2/bias', shape: [3], dtype: 'float32' },
        ],
      },
    ])
  })
})
