// The gradient check a user can run (docs/models.md, "Gradient check"): the run's objective and
// architecture shape, shrunk to a tiny model, its hand-written gradients against finite
// differences in float64.
import * as tf from '@tensorflow/tfjs-core'
import {
  createAutoencoder,
  disposeModel,
  flatImage,
  type AutoencoderSpec,
} from '../models/autoencoder'
import type { Shape3 } from '../models/conv'
import { gradientCheck } from '../models/grad-check'
import type { GradientCheckReport } from '../shared/runs'
import type { TrainConfig } from '../shared/train-config'
import { drawNoise, objectiveOf } from './step'

export async function checkGradients(config: TrainConfig): Promise<GradientCheckReport> {
  // conv: a 6×5 image, so the odd side's rounding and cropping are checked too
  const image: Shape3 = config.model === 'conv' ? [6, 5, 1] : flatImage(12)
  const inputSize = image[0] * image[1] * image[2]
  const spec: AutoencoderSpec = {
    inputSize,
    image,
    filters: config.model === 'conv' ? config.filters.map((_, i) => 2 + i) : [],
    hidden: config.hidden.map(() => 6),
    latent: 3,
    activation: config.activation,
    codeActivation: config.sparseKL ? 'sigmoid' : 'linear',
    variational: config.variational !== null,
  }
  const small = {
    ...config,
    latent: spec.latent,
    denoising: config.denoising && { ...config.denoising, samples: 1 },
  }
  const model = createAutoencoder(spec, config.seed)
  const drawn = tf.tidy(() => {
    const x = tf.randomUniform([4, inputSize], 0.05, 0.95, 'float32', config.seed)
    const { input, eps, perturbation } = drawNoise(x, small, config.seed + 7)
    return { x, input, eps: eps ?? undefined, perturbation: perturbation ?? undefined }
  })
  const { x, input } = drawn
  const noise = { input, eps: drawn.eps ?? null, perturbation: drawn.perturbation ?? null }
  try {
    const result = await gradientCheck(model, x, noise, objectiveOf(config))
    return {
      ...result,
      passed: result.maxRelativeError < 1e-2,
      model: [
        config.model === 'conv' ? `${image[0]}×${image[1]}` : inputSize,
        ...spec.filters.map((f) => `conv${f}`),
        ...spec.hidden,
        spec.latent,
      ].join('-'),
    }
  } finally {
    tf.dispose(drawn)
    disposeModel(model)
  }
}
