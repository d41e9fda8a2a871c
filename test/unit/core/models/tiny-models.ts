// What the gradient-check specs share: the plain MSE objective and a tiny dense autoencoder.
import { flatImage, type AutoencoderSpec } from '../../../../main/core/models/autoencoder'
import type { Objective } from '../../../../main/core/models/objective'

/** Reconstruction (½‖x − x̂‖²) alone; VAE β 1 where a spec is variational. */
export const plainObjective: Objective = {
  reconstruction: 'mse',
  weightDecay: 0,
  sparseKL: null,
  sparseL1: 0,
  contractive: null,
  vaeBeta: 1,
}

/** 6 → 5 → 3 → 5 → 6, small enough for the float64 reference. */
export function tinyDenseSpec(overrides: Partial<AutoencoderSpec> = {}): AutoencoderSpec {
  return {
    inputSize: 6,
    image: flatImage(6),
    filters: [],
    hidden: [5],
    latent: 3,
    activation: 'sigmoid',
    codeActivation: 'linear',
    variational: false,
    ...overrides,
  }
}
