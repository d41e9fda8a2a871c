import type { EventName, Events } from '../../main/core/contract'
import { dispatch } from '../../main/core/dispatch'
import type { Studio } from '../../main/core/service'

/** Calls a method as a transport would; a failure throws "code: message". */
export async function call(studio: Studio, method: string, params: unknown): Promise<unknown> {
  const outcome = await dispatch(studio.handlers, method, params)
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`)
  return outcome.result
}

/** The next event of this name that `accept` takes. */
export function until<E extends EventName>(
  studio: Studio,
  event: E,
  accept: (payload: Events[E]) => boolean = () => true,
): Promise<Events[E]> {
  return new Promise((resolve) => {
    const stop = studio.onEvent((name, payload) => {
      if (name === event && accept(payload as Events[E])) {
        stop()
        resolve(payload as Events[E])
      }
    })
  })
}
