// How images are imported: size, channels, fit, background. The contract checks them, the CLI
// takes its choices and defaults from them; TensorFlow-free, like the rest of main/core/shared.
import { z } from 'zod'

export const importOptions = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  /** images are resized to size × size */
  size: z.number().int().min(4).max(512).default(28),
  channels: z.enum(['grey', 'rgb']).default('grey'),
  fit: z.enum(['pad', 'crop']).default('pad'),
  /** alpha is flattened onto, and padding filled with, this colour */
  background: z.enum(['black', 'white']).default('black'),
  /** decompression-bomb guard: larger images are skipped with a reason */
  maxPixels: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31)
    .default(100_000_000),
})
export type ImportOptions = z.output<typeof importOptions>
