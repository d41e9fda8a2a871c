// The params of clusterings.start and clusterings.sweep, shared by the contract and the CLI's
// defaults; TensorFlow-free, like the rest of main/core/shared. The methods, and which of the
// parameters below each takes, are in clustering-methods.ts.
import { z } from 'zod'
import { startableMethods } from './clustering-methods'
import { id, seed } from './schemas'

export const clusteringStartParams = z.object({
  runId: id,
  method: z.enum(startableMethods).default('kmeans'),
  k: z.number().int().min(2).max(200),
  nInit: z.number().int().min(1).max(100).default(10),
  seed,
  /** n2d: runs whose consensus is the answer */
  runs: z.number().int().min(1).max(20).optional(),
  /** deep methods (dcn, dec, idec): passes over the data at most */
  epochs: z.number().int().min(1).max(500).optional(),
  /** deep methods: λ of the joint objective (dcn) or γ of IDEC */
  weight: z.number().positive().max(1000).optional(),
  learningRate: z.number().positive().max(1).optional(),
})

export const clusteringSweepParams = z.object({
  runId: id,
  from: z.number().int().min(2).max(200).default(2),
  to: z.number().int().min(2).max(200).default(15),
  seed,
})
