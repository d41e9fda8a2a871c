// What the gradient-check specs share: the plain MSE objective and a tiny dense autoencoder.
import { flatImage, type AutoencoderSpec } from '../../../../main/core/models/autoencoder'
import type { Objective } from '../../../../main/core/models/objective'
import { trainConfig } from '../../../../main/core/shared/train-config'
import { objectiveOf } from '../../../../main/core/training/step'

/**
 * Reconstruction (½‖x − x̂‖²) alone, every other term at the config's default (off), so that a
 * new term needs no change here; VAE β 1 where a spec is variational.
 */
export const plainObjective: Objective = { ...objectiveOf(trainConfig.parse({})), vaeBeta: 1 }

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
