// The gradient check a user can run (SPEC.md, "Gradient check"): the run's objective and
// architecture shape, shrunk to a tiny model, its hand-written gradients against finite
// differences in float64.
import * as tf from '@tensorflow/tfjs-core'
import { createDenseAutoencoder, disposeModel } from '../models/autoencoder'
import { gradientCheck } from '../models/grad-check'
import type { GradientCheckReport } from '../shared/runs'
import type { TrainConfig } from './config'
import { drawNoise, objectiveOf } from './train'

export function checkGradients(config: TrainConfig): GradientCheckReport {
  const inputSize = 12
  const spec = {
    inputSize,
    hidden: config.hidden.map(() => 6),
    latent: 3,
    activation: config.activation,
    codeActivation: config.sparseKL ? ('sigmoid' as const) : ('linear' as const),
    variational: config.variational !== null,
  }
  const small = {
    ...config,
    latent: spec.latent,
    denoising: config.denoising && { ...config.denoising, samples: 1 },
  }
  const model = createDenseAutoencoder(spec, config.seed)
  try {
    return tf.tidy(() => {
      const x = tf.randomUniform([4, inputSize], 0.05, 0.95, 'float32', config.seed)
      const noise = drawNoise(x, small, config.seed + 7)
      const result = gradientCheck(model, x, noise, objectiveOf(config))
      return {
        ...result,
        passed: result.maxRelativeError < 1e-2,
        model: [inputSize, ...spec.hidden, spec.latent].join('-'),
      } as unknown as tf.TensorContainer
    }) as unknown as GradientCheckReport
  } finally {
    disposeModel(model)
  }
}
