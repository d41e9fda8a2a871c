// IDEC (Guo et al. 2017): DEC's KL term weighted by γ, added to the run's own objective, so the
// decoder keeps the codes faithful to the images.
import type { DeepMethodPolicy } from './policy'

export const idec: DeepMethodPolicy = { term: 'kl', centres: 'trained', encoderOnly: false }
