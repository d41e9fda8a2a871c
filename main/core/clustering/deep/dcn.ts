// DCN (Yang et al. 2017): the joint objective reconstruction + λ·‖f(x) − c(x)‖²; each step trains
// the network against the nearest centres, then moves each centre towards the codes just
// assigned to it by 1/count; every epoch reassigns every image.
import type { DeepMethodPolicy } from './policy'

export const dcn: DeepMethodPolicy = { term: 'distance', centres: 'moved', encoderOnly: false }
