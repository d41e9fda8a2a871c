// The deep methods' policies, one per deep method of shared/clustering-methods.ts: a method
// named there without a policy here does not compile.
import type { DeepClusteringMethod } from '../../shared/clustering-methods'
import { dcn } from './dcn'
import { dec } from './dec'
import { idec } from './idec'
import type { DeepMethodPolicy } from './policy'

export type { DeepMethodPolicy }

export const deepMethodPolicies: Record<DeepClusteringMethod, DeepMethodPolicy> = { dcn, dec, idec }
