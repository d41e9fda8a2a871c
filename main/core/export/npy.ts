// The header of a NumPy .npy file, version 1.0
// (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html): "\x93NUMPY", bytes
// 1 and 0, the header length as a little-endian uint16, then a Python dict literal padded with
// spaces and ended by a newline so the data starts at a multiple of 64 bytes, as numpy.save does.

/** The header for a C-order float32 array ('<f4') of this shape. */
export function npyFloat32Header(shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`
  const prefix = 10
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64
  if (total - prefix > 0xffff) throw new Error(`An .npy 1.0 header cannot hold the shape ${shape}.`)
  const header = Buffer.alloc(total, 0x20)
  header.write('\x93NUMPY', 0, 'latin1')
  header[6] = 1
  header[7] = 0
  header.writeUInt16LE(total - prefix, 8)
  header.write(dict, prefix, 'latin1')
  header[total - 1] = 0x0a
  return header
}
