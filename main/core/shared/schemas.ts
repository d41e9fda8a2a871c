// zod pieces the shared schemas (train-config.ts, clustering-params.ts) and the contract reuse.
import { z } from 'zod'

/** A row id of the workspace. */
export const id = z.number().int().positive()

/** A seed: the same seed (and backend) gives the same result. */
export const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1)
  .default(1)

/** The value a schema with a `.default(…)` fills in when the field is left out. */
export function defaultOf<T extends z.ZodType>(schema: T): z.output<T> {
  return schema.parse(undefined)
}
