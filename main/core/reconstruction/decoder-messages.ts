// Messages between the service and the decoder process (decode.process.ts), both ways.
import type { StudioErrorData } from '../shared/types'
import type { DecodeRequest } from '../shared/reconstructions'

export type ToDecoder =
  | { type: 'start'; workspaceFile: string; nativeBinding?: string }
  | { type: 'request'; requestId: number; request: DecodeRequest }

export type FromDecoder =
  | { type: 'reply'; requestId: number; result: unknown }
  | { type: 'error'; requestId: number; error: StudioErrorData }
