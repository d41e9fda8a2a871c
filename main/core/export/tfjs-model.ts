// The trained model in TensorFlow.js layers format (docs/data.md, "Data out"): the encoder and the
// decoder each as a Keras Sequential (Dense, or Conv2D with Reshape/UpSampling2D/Cropping2D/
// Flatten around it; model.json + weights.bin), which
// tf.loadLayersModel reads and the tensorflowjs converter turns into a Keras model.
import { join } from 'node:path'
import { StudioError } from '../errors'
import {
  architecture,
  parameterShapes,
  sizeOf,
  type LayerShape,
  type Shape3,
} from '../models/architecture'
import type { Checkpoint, CheckpointKind } from '../store/runs-store'
import type { Manifest } from '../training/checkpoint'
import { modelSpec } from '../training/config'
import { type TrainConfig } from '../shared/train-config'
import { float32Bytes, staged, stepDone, type ExportProgress } from './files'

export type LayerPlan = LayerShape & {
  name: string
  /** where the layer's kernel then bias start in the packed weights */
  offset: number
}

export interface ModelPlan {
  encoder: LayerPlan[]
  decoder: LayerPlan[]
}

/** The layers of a checkpoint, checked against its run's config and located in its weights. */
export function modelPlan(
  config: TrainConfig,
  image: Shape3,
  checkpoint: Checkpoint,
  runId: number,
): ModelPlan {
  const variables = manifestVariables(checkpoint.manifest)
  const mismatch = (why: string) =>
    new StudioError(
      'internal',
      `The checkpoint of run ${runId} does not match its configuration (${why}): it cannot be exported.`,
    )
  const parts = architecture(modelSpec(config, image))
  const layers = [...parts.encoder, ...parts.decoder]
  if (variables.length !== 2 * layers.length)
    throw mismatch(`${variables.length} variables for ${layers.length} layers`)
  let offset = 0
  let convs = 0
  let denses = 0
  const located = layers.map((layer, i): LayerPlan => {
    const expected = parameterShapes(layer)
    const kernel = variables[2 * i].shape.join('×')
    const bias = variables[2 * i + 1].shape.join('×')
    if (kernel !== expected.kernel.join('×') || bias !== expected.bias.join('×'))
      throw mismatch(
        `layer ${i + 1} is ${kernel} + ${bias}, expected ${expected.kernel.join('×')} + ${expected.bias.join('×')}`,
      )
    const at = offset
    offset += sizeOf(expected.kernel) + sizeOf(expected.bias)
    const part = i < parts.encoder.length ? 'encoder' : 'decoder'
    const name = `${part}_${layer.kind === 'conv' ? `conv_${++convs}` : `dense_${++denses}`}`
    return { ...layer, name, offset: at }
  })
  if (offset !== checkpoint.weights.length)
    throw mismatch(`${checkpoint.weights.length} weights where the layers need ${offset}`)
  const depth = parts.encoder.length
  return { encoder: located.slice(0, depth), decoder: located.slice(depth) }
}

/** Where a part's weights end in the packed checkpoint. */
function endOf(layers: readonly LayerPlan[]): number {
  const last = layers[layers.length - 1]
  const shapes = parameterShapes(last)
  return last.offset + sizeOf(shapes.kernel) + sizeOf(shapes.bias)
}

function manifestVariables(manifest: unknown): Manifest['variables'] {
  const variables = (manifest as Partial<Manifest> | null)?.variables
  if (
    !Array.isArray(variables) ||
    !variables.every((v) => Array.isArray(v?.shape) && v.shape.every(Number.isInteger))
  )
    throw new StudioError('internal', 'A checkpoint manifest is unreadable.')
  return variables
}

const glorot = {
  class_name: 'VarianceScaling',
  config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null },
}

/** The Keras config of a layer with weights. */
function weightedLayer(layer: LayerPlan) {
  const common = {
    name: layer.name,
    activation: layer.activation,
    use_bias: true,
    kernel_initializer: glorot,
    bias_initializer: { class_name: 'Zeros', config: {} },
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    trainable: true,
    dtype: 'float32',
  }
  if (layer.kind === 'dense')
    return { class_name: 'Dense', config: { ...common, units: layer.units } }
  return {
    class_name: 'Conv2D',
    config: {
      ...common,
      filters: layer.outShape[2],
      kernel_size: [layer.kernel, layer.kernel],
      strides: [layer.stride, layer.stride],
      padding: 'same',
      data_format: 'channels_last',
      dilation_rate: [1, 1],
    },
  }
}

/**
 * Keras layers for a part: flat rows in and out, as studio's own encode() and decode() take and
 * give them; Reshape/Flatten around the conv stages, UpSampling2D before each decoder conv and
 * Cropping2D where a side was rounded up on the way down.
 */
function kerasLayers(name: string, layers: readonly LayerPlan[]) {
  const out: { class_name: string; config: Record<string, unknown> }[] = []
  const plain = (className: string, suffix: string, config: Record<string, unknown> = {}) =>
    out.push({
      class_name: className,
      config: {
        name: `${name}_${suffix}_${out.length + 1}`,
        trainable: true,
        dtype: 'float32',
        ...config,
      },
    })
  let spatial = false
  for (const layer of layers) {
    if (layer.kind === 'conv' && !spatial)
      plain('Reshape', 'reshape', { target_shape: layer.inShape })
    if (layer.kind === 'dense' && spatial)
      plain('Flatten', 'flatten', { data_format: 'channels_last' })
    spatial = layer.kind === 'conv'
    if (layer.kind === 'conv' && layer.upsample)
      plain('UpSampling2D', 'upsample', {
        size: [2, 2],
        data_format: 'channels_last',
        interpolation: 'nearest',
      })
    out.push(weightedLayer(layer))
    if (layer.kind === 'conv') {
      const factor = layer.upsample ? 2 : 1
      const fullH = Math.ceil((layer.inShape[0] * factor) / layer.stride)
      const fullW = Math.ceil((layer.inShape[1] * factor) / layer.stride)
      if (fullH !== layer.outShape[0] || fullW !== layer.outShape[1])
        plain('Cropping2D', 'crop', {
          cropping: [
            [0, fullH - layer.outShape[0]],
            [0, fullW - layer.outShape[1]],
          ],
          data_format: 'channels_last',
        })
    }
  }
  if (spatial) plain('Flatten', 'flatten', { data_format: 'channels_last' })
  const first = layers[0]
  const inputs = first.kind === 'dense' ? first.inputs : sizeOf(first.inShape)
  // An explicit InputLayer, as Keras writes one: Keras 3 reads `batch_input_shape` on any other
  // layer as an input shape without the batch (so [null, 30] became (None, None, 30)).
  const input: (typeof out)[number] = {
    class_name: 'InputLayer',
    config: {
      name: `${name}_input`,
      batch_input_shape: [null, inputs],
      dtype: 'float32',
      sparse: false,
    },
  }
  return [input, ...out]
}

/** model.json of a Sequential over the layers, with its weights in `weights.bin`. */
export function layersModelJson(name: string, layers: readonly LayerPlan[]) {
  return {
    format: 'layers-model',
    generatedBy: 'Autoencoder Studio',
    convertedBy: null,
    modelTopology: {
      // Keras 3 looks a class up by its module: without it, model_from_json cannot find Sequential
      module: 'keras',
      class_name: 'Sequential',
      config: { name, layers: kerasLayers(name, layers) },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [
      {
        paths: ['weights.bin'],
        weights: layers.flatMap((layer) => {
          const shapes = parameterShapes(layer)
          return [
            { name: `${layer.name}/kernel`, shape: shapes.kernel, dtype: 'float32' },
            { name: `${layer.name}/bias`, shape: shapes.bias, dtype: 'float32' },
          ]
        }),
      },
    ],
  }
}

export interface ModelSource {
  runId: number
  runName: string
  config: TrainConfig
  dataset: { id: number; name: string; width: number; height: number; channels: 'grey' | 'rgb' }
  checkpoint: Checkpoint
  checkpointKind: CheckpointKind
}

export const modelFiles = {
  encoder: 'encoder',
  decoder: 'decoder',
  topology: 'model.json',
  weights: 'weights.bin',
  studio: 'studio-model.json',
} as const

/** Writes encoder/ and decoder/ (model.json + weights.bin each) and studio-model.json. */
export function exportModel(
  folder: string,
  source: ModelSource,
  overwrite = false,
  progress: ExportProgress = {},
): Promise<string[]> {
  const { checkpoint, config, dataset } = source
  progress.onProgress?.({ done: 0, total: 2 })
  const channels = dataset.channels === 'rgb' ? 3 : 1
  const inputSize = dataset.width * dataset.height * channels
  const plan = modelPlan(
    config,
    [dataset.height, dataset.width, channels],
    checkpoint,
    source.runId,
  )
  return staged(async (staging) => {
    for (const part of ['encoder', 'decoder'] as const) {
      const layers = plan[part]
      const from = layers[0].offset
      const to = endOf(layers)
      const dir = join(folder, modelFiles[part])
      await staging.write(
        join(dir, modelFiles.topology),
        JSON.stringify(layersModelJson(part, layers), null, 1),
      )
      await staging.write(
        join(dir, modelFiles.weights),
        float32Bytes(checkpoint.weights.subarray(from, to)),
      )
      stepDone(progress, part === 'encoder' ? 1 : 2, 2)
    }
    const studio = {
      generatedBy: 'Autoencoder Studio',
      run: { id: source.runId, name: source.runName },
      checkpoint: { kind: source.checkpointKind, epoch: checkpoint.epoch },
      dataset,
      input: {
        size: inputSize,
        layout: `${dataset.height}×${dataset.width}×${channels} pixels, row-major, each byte / 255`,
      },
      encoder: {
        path: `${modelFiles.encoder}/${modelFiles.topology}`,
        outputs: config.variational
          ? `${2 * config.latent}: the mean (first ${config.latent}) then the log-variance of z`
          : `${config.latent}: the code z`,
      },
      decoder: {
        path: `${modelFiles.decoder}/${modelFiles.topology}`,
        outputs: 'the reconstructed pixels in [0, 1], laid out as the input',
      },
      config,
    }
    await staging.write(join(folder, modelFiles.studio), JSON.stringify(studio, null, 2) + '\n')
  }, overwrite)
}
