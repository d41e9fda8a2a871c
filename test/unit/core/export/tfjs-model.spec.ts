import { describe, expect, it } from 'vitest'
import { StudioError } from '../../../../main/core/errors'
import { denseLayers, layersModelJson, modelPlan } from '../../../../main/core/export/tfjs-model'
import type { Checkpoint } from '../../../../main/core/store/runs-store'
import { trainConfig, type TrainConfigInput } from '../../../../main/core/training/config'

const config = (input: TrainConfigInput) => trainConfig.parse(input)
const small = config({ hidden: [8], latent: 3 })

/** A checkpoint with the manifest packWeights writes for these layer shapes. */
function checkpoint(shapes: [number, number][]): Checkpoint {
  const variables = shapes.flatMap(([inputs, units], i) => [
    { name: `layer${i}.W`, shape: [inputs, units] },
    { name: `layer${i}.b`, shape: [units] },
  ])
  const size = shapes.reduce((sum, [inputs, units]) => sum + (inputs + 1) * units, 0)
  return { epoch: 3, weights: new Float32Array(size), manifest: { variables } }
}

const brief = (layers: ReturnType<typeof denseLayers>) =>
  layers.map((l) => `${l.name} ${l.inputs}→${l.units} ${l.activation}`)

describe('denseLayers', () => {
  it('mirrors the encoder in the decoder, with the config activation and a sigmoid output', () => {
    expect(
      brief(denseLayers(config({ hidden: [16, 8], latent: 3, activation: 'tanh' }), 30)),
    ).toEqual([
      'encoder_hidden_1 30→16 tanh',
      'encoder_hidden_2 16→8 tanh',
      'encoder_code 8→3 linear',
      'decoder_hidden_1 3→8 tanh',
      'decoder_hidden_2 8→16 tanh',
      'decoder_output 16→30 sigmoid',
    ])
  })

  it('makes the code sigmoid under KL sparsity, and 2·z linear for a VAE', () => {
    const sparse = config({ hidden: [8], latent: 3, sparseKL: { rho: 0.05, beta: 3 } })
    expect(brief(denseLayers(sparse, 12))[1]).toBe('encoder_code 8→3 sigmoid')
    const vae = config({ hidden: [8], latent: 3, variational: { beta: 1 } })
    expect(brief(denseLayers(vae, 12)).slice(1, 3)).toEqual([
      'encoder_code 8→6 linear',
      'decoder_hidden_1 3→8 relu',
    ])
  })

  it('handles a model without hidden layers', () => {
    expect(brief(denseLayers(config({ hidden: [], latent: 2, activation: 'elu' }), 5))).toEqual([
      'encoder_code 5→2 linear',
      'decoder_output 2→5 sigmoid',
    ])
  })
})

describe('modelPlan', () => {
  it('places each layer in the packed weights, kernel then bias, encoder then decoder', () => {
    const plan = modelPlan(
      small,
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
    expect(() => modelPlan(small, wrongLatent, 7)).toThrow(StudioError)
    expect(() => modelPlan(small, wrongLatent, 7)).toThrow(
      /checkpoint of run 7 does not match its configuration \(layer 2 is 8×4/,
    )
    const tooFew = checkpoint([
      [12, 3],
      [3, 12],
    ])
    expect(() => modelPlan(small, tooFew, 7)).toThrow(/4 variables for 4 layers/)
    const short = checkpoint([
      [12, 8],
      [8, 3],
      [3, 8],
      [8, 12],
    ])
    short.weights = short.weights.subarray(1)
    expect(() => modelPlan(small, short, 7)).toThrow(/weights where the layers need/)
    expect(() => modelPlan(small, { ...short, manifest: { nope: 1 } }, 7)).toThrow(/unreadable/)
  })
})

describe('layersModelJson', () => {
  it('is a Keras Sequential of Dense layers with the input shape on the first and named weights', () => {
    const plan = modelPlan(
      small,
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
          { name: 'encoder_hidden_1/kernel', shape: [12, 8], dtype: 'float32' },
          { name: 'encoder_hidden_1/bias', shape: [8], dtype: 'float32' },
          { name: 'encoder_code/kernel', shape: [8, 3], dtype: 'float32' },
          { name: 'encoder_code/bias', shape: [3], dtype: 'float32' },
        ],
      },
    ])
  })
})
