import { z } from 'zod'
import {
  isMethodName,
  paramSchemas,
  type CheckedParamsOf,
  type EventName,
  type Events,
  type MethodName,
  type ResultOf,
} from './contract'
import { StudioError, toErrorData } from './errors'
import type { StudioErrorData } from './shared/types'

export type Handlers = {
  [M in MethodName]: (params: CheckedParamsOf<M>) => Promise<ResultOf<M>> | ResultOf<M>
}

export type Outcome = { ok: true; result: unknown } | { ok: false; error: StudioErrorData }

/** Hears every event; `(event, payload)` narrow together, so `if (event === …)` types the payload. */
export type EventListener = (
  ...args: { [E in EventName]: [event: E, payload: Events[E]] }[EventName]
) => void

/**
 * The one entry point both transports call: checks the method name and params against the
 * contract, runs the handler, and turns any failure into `{code, message}` (bad params also list their `issues`).
 */
export async function dispatch(
  handlers: Handlers,
  method: unknown,
  params: unknown,
): Promise<Outcome> {
  if (!isMethodName(method))
    return {
      ok: false,
      error: { code: 'unknown-method', message: `Unknown method ${String(method)}.` },
    }
  const checked = paramSchemas[method].safeParse(params ?? {})
  if (!checked.success)
    return {
      ok: false,
      error: {
        code: 'bad-params',
        message: `Bad parameters for ${method}: ${z.prettifyError(checked.error)}`,
        issues: checked.error.issues.map((issue) => ({
          // zod's path keys are strings and numbers for the JSON params that cross here
          path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)),
          message: issue.message,
        })),
      },
    }
  try {
    const handler = handlers[method] as (p: unknown) => unknown
    return { ok: true, result: await handler(checked.data) }
  } catch (error) {
    if (!(error instanceof StudioError)) console.error(`[${method}]`, error)
    return { ok: false, error: toErrorData(error) }
  }
}
