// A zod schema's limits, read through zod's JSON Schema export, for forms that check a field as
// it is typed and say what it accepts in words.
import { z } from 'zod'

/** The parts of a JSON Schema the forms read. */
export interface JsonSchema {
  type?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minItems?: number
  maxItems?: number
  items?: JsonSchema
  properties?: Record<string, JsonSchema>
  anyOf?: JsonSchema[]
}

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input' }) as JsonSchema
}

/** The schema of the field at a dotted path ("sparseKL.rho"), through nullable objects. */
export function fieldSchema(root: JsonSchema, path: string): JsonSchema {
  return path.split('.').reduce((node, key) => {
    const object = node.anyOf?.find((branch) => branch.type !== 'null') ?? node
    const field = object.properties?.[key]
    if (!field) throw new Error(`The schema has no field ${path}.`)
    return field
  }, root)
}

/** What a number field accepts. */
export interface Range {
  min: number
  max?: number
  /** min itself is refused */
  aboveMin?: boolean
  /** max itself is refused */
  belowMax?: boolean
  integer?: boolean
}

/** A number schema's range; an integer's safe-integer bound is no limit a person needs told. */
export function rangeOf(node: JsonSchema): Range {
  const min = node.minimum ?? node.exclusiveMinimum
  if (min === undefined) throw new Error('A form field needs a lower limit.')
  const max = node.maximum ?? node.exclusiveMaximum
  return {
    min,
    max: max === undefined || max >= Number.MAX_SAFE_INTEGER ? undefined : max,
    aboveMin: node.exclusiveMinimum !== undefined,
    belowMax: node.exclusiveMaximum !== undefined,
    integer: node.type === 'integer',
  }
}

export function rangeText(r: Range): string {
  const kind = r.integer ? 'a whole number' : 'a number'
  if (r.max === undefined) return `${kind} ${r.aboveMin ? 'above' : 'of at least'} ${r.min}`
  if (r.aboveMin && r.belowMax) return `${kind} strictly between ${r.min} and ${r.max}`
  if (r.aboveMin) return `${kind} above ${r.min}, at most ${r.max}`
  if (r.belowMax) return `${kind} from ${r.min} up to (not including) ${r.max}`
  return `${kind} from ${r.min} to ${r.max}`
}

/** The problem with a typed number ('' when empty or unreadable), or null. */
export function numberError(value: number | '', r: Range): string | null {
  if (value === '' || !Number.isFinite(value)) return `Enter ${rangeText(r)}.`
  const tooLow = r.aboveMin ? value <= r.min : value < r.min
  const tooHigh = r.max !== undefined && (r.belowMax ? value >= r.max : value > r.max)
  if (tooLow || tooHigh || (r.integer && !Number.isInteger(value)))
    return `Must be ${rangeText(r)}.`
  return null
}
