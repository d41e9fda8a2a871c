// The icon containers the installers need, around PNG images: Windows' .ico (PNG entries are
// read since Windows Vista) and macOS' .icns (PNG entries since OS X 10.7). Both formats are a
// short header and a table of entries; main/scripts/icons.ts renders the PNGs with sharp.

export interface SizedPng {
  size: number
  png: Buffer
}

/** The .ico sizes Windows picks from, from the taskbar's 16 px to the 256 px tile. */
export const icoSizes = [16, 24, 32, 48, 64, 128, 256]

/** An .ico file: ICONDIR, one 16-byte ICONDIRENTRY per image, then the PNGs. */
export function icoFile(images: SizedPng[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(0, 0) // reserved
  header.writeUInt16LE(1, 2) // 1: icon
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i
    if (size > 256) throw new Error(`An .ico image is at most 256 px, not ${size}.`)
    header.writeUInt8(size === 256 ? 0 : size, entry) // 0 means 256
    header.writeUInt8(size === 256 ? 0 : size, entry + 1)
    header.writeUInt8(0, entry + 2) // no palette
    header.writeUInt8(0, entry + 3)
    header.writeUInt16LE(1, entry + 4) // colour planes
    header.writeUInt16LE(32, entry + 6) // bits per pixel
    header.writeUInt32LE(png.length, entry + 8)
    header.writeUInt32LE(offset, entry + 12)
    offset += png.length
  })
  return Buffer.concat([header, ...images.map(({ png }) => png)])
}

/** The .icns entry types that hold a PNG, by the pixel size they hold. */
export const icnsTypes: { type: string; size: number }[] = [
  { type: 'icp4', size: 16 },
  { type: 'icp5', size: 32 },
  { type: 'icp6', size: 64 },
  { type: 'ic07', size: 128 },
  { type: 'ic08', size: 256 },
  { type: 'ic09', size: 512 },
  { type: 'ic10', size: 1024 }, // 512 pt at 2x
  { type: 'ic11', size: 32 }, // 16 pt at 2x
  { type: 'ic12', size: 64 }, // 32 pt at 2x
  { type: 'ic13', size: 256 }, // 128 pt at 2x
  { type: 'ic14', size: 512 }, // 256 pt at 2x
]

/** An .icns file: 'icns' and the file's length, then per entry its type, length and PNG. */
export function icnsFile(images: SizedPng[]): Buffer {
  const bySize = new Map(images.map(({ size, png }) => [size, png]))
  const entries = icnsTypes.map(({ type, size }) => {
    const png = bySize.get(size)
    if (!png) throw new Error(`The .icns needs a ${size} px image.`)
    const head = Buffer.alloc(8)
    head.write(type, 0, 'ascii')
    head.writeUInt32BE(8 + png.length, 4)
    return Buffer.concat([head, png])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'ascii')
  head.writeUInt32BE(8 + entries.reduce((sum, entry) => sum + entry.length, 0), 4)
  return Buffer.concat([head, ...entries])
}
