// DEC (Xie et al. 2016): the encoder alone, trained on KL(P ‖ Q) with its centres; the KL stands
// alone, so its weight is 1.
import type { DeepMethodPolicy } from './policy'

export const dec: DeepMethodPolicy = {
  term: 'kl',
  centres: 'trained',
  encoderOnly: true,
  fixedWeight: 1,
}
