// Command-line options whose choices and defaults come from the shared schemas, so the CLI
// offers what the core accepts (main/core/shared/train-config.ts, import-options.ts).
import { Option } from 'commander'
import { z } from 'zod'
import { defaultOf } from '../core/shared/schemas'

type EnumSchema = z.ZodEnum | z.ZodDefault<z.ZodEnum>

/**
 * An option choosing one of a zod enum's values; with `useDefault`, the schema's default is the
 * option's (without it, leaving the option out leaves the choice to a preset or the schema).
 */
export function enumOption(
  flags: string,
  description: string,
  schema: EnumSchema,
  useDefault = true,
): Option {
  const values = schema instanceof z.ZodDefault ? schema.unwrap().options : schema.options
  const option = new Option(flags, description).choices(values.map(String))
  return useDefault && schema instanceof z.ZodDefault ? option.default(defaultOf(schema)) : option
}

/** A schema's default as commander's default text for a numeric option. */
export function defaultText(schema: z.ZodDefault): string {
  return String(defaultOf(schema))
}
