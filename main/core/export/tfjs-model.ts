// The trained model in TensorFlow.js layers format (SPEC.md, "Data out"): the encoder and the
// decoder each as a Keras Sequential of Dense layers (model.json + weights.bin), which
// tf.loadLayersModel reads and the tensorflowjs converter turns into a Keras model.
import { join } from 'node:path'
import { StudioError } from '../errors'
import type { Activation } from '../models/dense'
import type { Checkpoint, CheckpointKind } from '../store/runs-store'
import type { Manifest } from '../training/checkpoint'
import type { TrainConfig } from '../training/config'
import { float32Bytes, staged } from './files'

export interface DenseLayerPlan {
  name: string
  inputs: number
  units: number
  activation: Activation
  /** where the layer's kernel (inputs×units, row-major) then bias start in the packed weights */
  offset: number
}

export interface ModelPlan {
  encoder: DenseLayerPlan[]
  decoder: DenseLayerPlan[]
}

/**
 * The layers createDenseAutoencoder builds for a config: hidden layers use the config's
 * activation, the code layer is sigmoid under KL sparsity and linear otherwise (a VAE's has 2·z
 * units, mean then log-variance), and the decoder mirrors the encoder and ends in a sigmoid.
 */
export function denseLayers(
  config: TrainConfig,
  inputSize: number,
): Omit<DenseLayerPlan, 'offset'>[] {
  const { hidden, latent, activation } = config
  const code = config.variational ? 2 * latent : latent
  const codeActivation: Activation = config.sparseKL && !config.variational ? 'sigmoid' : 'linear'
  const encoderWidths = [inputSize, ...hidden, code]
  const decoderWidths = [latent, ...[...hidden].reverse(), inputSize]
  const encoder = hidden.map((units, i) => ({
    name: `encoder_hidden_${i + 1}`,
    inputs: encoderWidths[i],
    units,
    activation,
  }))
  encoder.push({
    name: 'encoder_code',
    inputs: encoderWidths[hidden.length],
    units: code,
    activation: codeActivation,
  })
  const decoder = hidden.map((_, i) => ({
    name: `decoder_hidden_${i + 1}`,
    inputs: decoderWidths[i],
    units: decoderWidths[i + 1],
    activation,
  }))
  decoder.push({
    name: 'decoder_output',
    inputs: decoderWidths[hidden.length],
    units: inputSize,
    activation: 'sigmoid',
  })
  return [...encoder, ...decoder]
}

/** The layers of a checkpoint, checked against its run's config and located in its weights. */
export function modelPlan(config: TrainConfig, checkpoint: Checkpoint, runId: number): ModelPlan {
  const variables = manifestVariables(checkpoint.manifest)
  const mismatch = (why: string) =>
    new StudioError(
      'internal',
      `The checkpoint of run ${runId} does not match its configuration (${why}): it cannot be exported.`,
    )
  const layers = denseLayers(config, variables[0]?.shape[0] ?? 0)
  if (variables.length !== 2 * layers.length)
    throw mismatch(`${variables.length} variables for ${layers.length} layers`)
  let offset = 0
  const located = layers.map((layer, i) => {
    const kernel = variables[2 * i].shape.join('×')
    const bias = variables[2 * i + 1].shape.join('×')
    if (kernel !== `${layer.inputs}×${layer.units}` || bias !== `${layer.units}`)
      throw mismatch(
        `layer ${i + 1} is ${kernel} + ${bias}, expected ${layer.inputs}×${layer.units}`,
      )
    const at = offset
    offset += (layer.inputs + 1) * layer.units
    return { ...layer, offset: at }
  })
  if (offset !== checkpoint.weights.length)
    throw mismatch(`${checkpoint.weights.length} weights where the layers need ${offset}`)
  const depth = config.hidden.length + 1
  return { encoder: located.slice(0, depth), decoder: located.slice(depth) }
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

/** model.json of a Sequential over the layers, with its weights in `weights.bin`. */
export function layersModelJson(name: string, layers: readonly DenseLayerPlan[]) {
  return {
    format: 'layers-model',
    generatedBy: 'Autoencoder Studio',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name,
        layers: layers.map((layer, i) => ({
          class_name: 'Dense',
          config: {
            name: layer.name,
            units: layer.units,
            activation: layer.activation,
            use_bias: true,
            kernel_initializer: {
              class_name: 'VarianceScaling',
              config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null },
            },
            bias_initializer: { class_name: 'Zeros', config: {} },
            kernel_regularizer: null,
            bias_regularizer: null,
            activity_regularizer: null,
            kernel_constraint: null,
            bias_constraint: null,
            trainable: true,
            dtype: 'float32',
            ...(i === 0 ? { batch_input_shape: [null, layer.inputs] } : {}),
          },
        })),
      },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [
      {
        paths: ['weights.bin'],
        weights: layers.flatMap((layer) => [
          { name: `${layer.name}/kernel`, shape: [layer.inputs, layer.units], dtype: 'float32' },
          { name: `${layer.name}/bias`, shape: [layer.units], dtype: 'float32' },
        ]),
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
export function exportModel(folder: string, source: ModelSource): Promise<string[]> {
  const { checkpoint, config, dataset } = source
  const plan = modelPlan(config, checkpoint, source.runId)
  const channels = dataset.channels === 'rgb' ? 3 : 1
  const inputSize = dataset.width * dataset.height * channels
  if (plan.encoder[0].inputs !== inputSize)
    throw new StudioError(
      'internal',
      `The checkpoint of run ${source.runId} takes ${plan.encoder[0].inputs} pixels, but its dataset's images have ${inputSize}: it cannot be exported.`,
    )
  return staged(async (staging) => {
    for (const part of ['encoder', 'decoder'] as const) {
      const layers = plan[part]
      const from = layers[0].offset
      const last = layers[layers.length - 1]
      const to = last.offset + (last.inputs + 1) * last.units
      const dir = join(folder, modelFiles[part])
      await staging.write(
        join(dir, modelFiles.topology),
        JSON.stringify(layersModelJson(part, layers), null, 1),
      )
      await staging.write(
        join(dir, modelFiles.weights),
        float32Bytes(checkpoint.weights.subarray(from, to)),
      )
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
  })
}
