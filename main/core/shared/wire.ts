// The WebSocket wire format: one binary frame per message, typed arrays carried as raw bytes beside
// a JSON header instead of as arrays of numbers (docs/style.md, "Boundaries": big data travels as
// typed arrays).
//
// Frame: [u32 header length][header JSON, UTF-8][padding to 8][each buffer, padded to 8]
// In the header a typed array stands as {"$typed": kind, "i": buffer index}.

import type { StudioErrorData } from './types'

const kinds = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const
type Kind = keyof typeof kinds
type Typed = InstanceType<(typeof kinds)[Kind]>

function kindOf(value: unknown): Kind | null {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return null
  const name = value.constructor.name
  return name in kinds ? (name as Kind) : name === 'Buffer' ? 'Uint8Array' : null
}

const pad8 = (n: number) => (n + 7) & ~7

export function encodeMessage(message: unknown): Uint8Array {
  const buffers: Typed[] = []
  const header = JSON.stringify(message, function (this: unknown, key: string) {
    // JSON.stringify hands typed arrays to the replacer before calling toJSON, so read the raw value.
    const raw = (this as Record<string, unknown>)[key]
    const kind = kindOf(raw)
    if (kind) {
      buffers.push(raw as Typed)
      return { $typed: kind, i: buffers.length - 1 }
    }
    return raw
  })
  const headerBytes = new TextEncoder().encode(header)
  let size = pad8(4 + headerBytes.length)
  const offsets = buffers.map((buffer) => {
    const at = size
    size = pad8(size + 4 + buffer.byteLength) // each buffer is preceded by its byte length
    return at
  })
  const frame = new Uint8Array(size)
  const view = new DataView(frame.buffer)
  view.setUint32(0, headerBytes.length, true)
  frame.set(headerBytes, 4)
  buffers.forEach((buffer, i) => {
    view.setUint32(offsets[i], buffer.byteLength, true)
    frame.set(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), offsets[i] + 4)
  })
  return frame
}

export function decodeMessage(frame: Uint8Array): unknown {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
  if (frame.byteLength < 4) throw new Error('Message too short')
  const headerLength = view.getUint32(0, true)
  if (4 + headerLength > frame.byteLength) throw new Error('Message header overruns the frame')
  const header = new TextDecoder().decode(frame.subarray(4, 4 + headerLength))
  const buffers: Typed[] = []
  let at = pad8(4 + headerLength)
  while (at < frame.byteLength) {
    const length = view.getUint32(at, true)
    if (at + 4 + length > frame.byteLength) throw new Error('Message buffer overruns the frame')
    // Copy so each array owns an aligned buffer of its own (Buffer#slice would not copy).
    buffers.push(Uint8Array.prototype.slice.call(frame, at + 4, at + 4 + length) as Typed)
    at = pad8(at + 4 + length)
  }
  return JSON.parse(header, (_key, value: unknown) => {
    if (value && typeof value === 'object' && '$typed' in value) {
      const { $typed, i } = value as { $typed: Kind; i: number }
      const Ctor = kinds[$typed]
      const bytes = buffers[i] as unknown as Uint8Array
      if (!Ctor || !bytes) throw new Error('Message refers to a missing buffer')
      return new Ctor(
        bytes.buffer as ArrayBuffer,
        bytes.byteOffset,
        bytes.byteLength / Ctor.BYTES_PER_ELEMENT,
      )
    }
    return value
  })
}

/** Client → server */
export interface CallMessage {
  type: 'call'
  id: number
  method: string
  params: unknown
}
/** Server → client */
export type ServerMessage =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: StudioErrorData }
  | { type: 'event'; event: string; payload: unknown }
