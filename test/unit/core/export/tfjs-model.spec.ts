import { describe, expect, it } from 'vitest'
import { StudioError } from '../../../../main/core/errors'
import { layersModelJson, modelPlan } from '../../../../main/core/export/tfjs-model'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  architecture,
  flatImage,
  parameterShapes,
  sizeOf,
} from '../../../../main/core/models/architecture'
import { modelSpec } from '../../../../main/core/training/config'
import { tempDir } from '../../../helpers/temp'
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
  it('is a Keras Sequential: an InputLayer with the batch shape, then Dense layers, and named weights', () => {
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
      ['InputLayer', undefined, undefined],
      ['Dense', 8, 'relu'],
      ['Dense', 3, 'linear'],
    ])
    expect(layers[0].config).toEqual({
      name: 'encoder_input',
      batch_input_shape: [null, 12],
      dtype: 'float32',
      sparse: false,
    })
    expect(layers[1].config).toMatchObject({ use_bias: true })
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

/** Keras 3's built-in layers, by the names its legacy loader looks up (keras.layers). */
const keras3Layers = new Set([
  'InputLayer',
  'Dense',
  'Conv2D',
  'Reshape',
  'Flatten',
  'UpSampling2D',
  'Cropping2D',
])

describe('the tfjs model.json, as Keras 3 reads it', () => {
  // keras.models.model_from_json (Keras 3) finds the model's class through its `module`, then
  // reads each layer without one the Keras 2 way (keras/src/legacy/saving/saving_utils.py): an
  // InputLayer's batch_input_shape becomes its batch_shape, while on any other layer it would be
  // taken for an input shape without the batch ([null, 12] → (None, None, 12)).
  const convConfig = config({ model: 'conv', filters: [4, 6], hidden: [10], latent: 4 })
  const convImage: [number, number, number] = [7, 9, 3]

  for (const part of ['encoder', 'decoder'] as const)
    it(`names its module and starts with the only shape-carrying layer: conv ${part}`, () => {
      const plan = modelPlan(convConfig, convImage, convCheckpoint(convConfig, convImage), 1)
      const json = layersModelJson(part, plan[part])
      expect(json.modelTopology).toMatchObject({ module: 'keras', class_name: 'Sequential' })
      const layers = json.modelTopology.config.layers
      expect(layers[0].class_name).toBe('InputLayer')
      expect(layers[0].config.batch_input_shape).toEqual([null, part === 'encoder' ? 189 : 4])
      for (const layer of layers.slice(1)) {
        expect(layer.config).not.toHaveProperty('batch_input_shape')
        expect(layer.config).not.toHaveProperty('input_shape')
      }
      expect(layers.every((l) => keras3Layers.has(l.class_name))).toBe(true)
      const names = layers.map((l) => l.config.name)
      expect(new Set(names).size).toBe(names.length)
    })

  const python = process.env.STUDIO_KERAS_PYTHON ?? 'python3'
  // Keras 3 needs a backend; torch is the one a plain pip install of PyTorch brings
  const env = { ...process.env, KERAS_BACKEND: process.env.KERAS_BACKEND ?? 'torch' }
  const keras = spawnSync(python, ['-c', 'import keras; assert int(keras.__version__[0]) >= 3'], {
    env,
  })
  it.skipIf(keras.status !== 0)(
    `loads in Keras 3 and gives the same weights (${python} with keras; skipped where there is none)`,
    async () => {
      const plan = modelPlan(convConfig, convImage, convCheckpoint(convConfig, convImage), 1)
      const dir = tempDir('studio-keras-')
      const json = layersModelJson('encoder', plan.encoder)
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json))
      const result = spawnSync(
        python,
        [
          '-c',
          `import json, sys, keras
spec = json.load(open(sys.argv[1]))
model = keras.models.model_from_json(json.dumps(spec['modelTopology']))
print(json.dumps({'input': list(model.input_shape), 'weights': [list(w.shape) for w in model.get_weights()]}))`,
          join(dir, 'model.json'),
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, KERAS_BACKEND: process.env.KERAS_BACKEND ?? 'torch' },
        },
      )
      expect(result.status, result.stderr).toBe(0)
      const loaded = JSON.parse(result.stdout.trim().split('\n').at(-1)!)
      expect(loaded.input).toEqual([null, 189])
      expect(loaded.weights).toEqual(json.weightsManifest[0].weights.map((w) => w.shape))
    },
  )
})

/** A zero checkpoint with the variables a conv model of this config has. */
function convCheckpoint(c: ReturnType<typeof config>, shape: [number, number, number]): Checkpoint {
  const parts = architecture(modelSpec(c, shape))
  const variables = [...parts.encoder, ...parts.decoder].flatMap((layer, i) => {
    const { kernel, bias } = parameterShapes(layer)
    return [
      { name: `layer${i}.W`, shape: kernel },
      { name: `layer${i}.b`, shape: bias },
    ]
  })
  const size = variables.reduce((sum, v) => sum + sizeOf(v.shape), 0)
  return { epoch: 1, weights: new Float32Array(size), manifest: { variables } }
}
