// IDEC (Guo et al. 2017): DEC's KL term weighted by γ, added to the run's own objective, so the
// decoder keeps the codes faithful to the images. The paper's γ = 0.1 weighs the KL against a
// reconstruction that is a mean over pixels; ours sums over them, so γ is scaled to match.
import type { DeepMethodPolicy } from './policy'

export const idec: DeepMethodPolicy = {
  term: 'kl',
  centres: 'trained',
  encoderOnly: false,
  weightPerValue: true,
}
