// The architecture a training config builds; the config itself is shared/train-config.ts.
import { sizeOf, type AutoencoderSpec, type Shape3 } from '../models/architecture'
import type { TrainConfig } from '../shared/train-config'

/** The architecture a config trains on images of this shape. */
export function modelSpec(config: TrainConfig, image: Shape3): AutoencoderSpec {
  return {
    inputSize: sizeOf(image),
    image,
    filters: config.model === 'conv' ? config.filters : [],
    hidden: config.hidden,
    latent: config.latent,
    activation: config.activation,
    // the KL sparsity target is a mean activation in (0, 1): the code must be sigmoid
    codeActivation: config.sparseKL ? 'sigmoid' : 'linear',
    variational: config.variational !== null,
  }
}
