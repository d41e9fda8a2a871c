// Why a file was skipped, in words a user understands. Readers and decoders throw
// `SkipFile`; anything else they throw (fs errors, libvips messages) is mapped here.

/** Thrown when one file cannot be imported; the import carries on without it. */
export class SkipFile extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'SkipFile'
  }
}

const fsReasons: Record<string, string> = {
  ENOENT: 'the file disappeared before it could be read',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'this is a folder, not a file',
  EIO: 'the disk reported a read error',
  ELOOP: 'a symbolic link that points back to itself',
  ERR_FS_FILE_TOO_LARGE: 'the file is too large to read (over 2 GB)',
}

/** The reason for a file system error, or null if `error` is not one. */
export function fsReason(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string' || !code.startsWith('E')) return null
  return fsReasons[code] ?? `the file could not be read (${code})`
}

/** The file's extension as users write it, for reasons: ".png", or "no extension". */
export function describeExtension(ext: string): string {
  return ext === '' ? 'no extension' : ext.toLowerCase()
}

/** e.g. "image is 60000×60000 pixels, above the 100-megapixel limit" */
export function tooManyPixelsReason(width: number, height: number, maxPixels: number): string {
  return `image is ${width}×${height} pixels, above the ${pixelLimit(maxPixels)} limit`
}

function pixelLimit(maxPixels: number): string {
  if (maxPixels >= 1_000_000) return `${Math.round(maxPixels / 100_000) / 10}-megapixel`
  return `${maxPixels.toLocaleString('en')}-pixel`
}

/** Maps what sharp/libvips (or bmp-js, or zlib) threw while decoding to a user's reason. */
export function decodeReason(error: unknown, ext: string): string {
  if (error instanceof SkipFile) return error.reason
  const fromFs = fsReason(error)
  if (fromFs) return fromFs
  const message = error instanceof Error ? error.message : String(error)
  const lowerExt = ext.toLowerCase()
  if (lowerExt === '.heic' || lowerExt === '.heif')
    return 'HEIC photos cannot be read here: convert them to JPEG or PNG first (AVIF works)'
  if (/unsupported image format/i.test(message))
    return `not an image: the content is not a format we can read (${ext ? `named ${ext.toLowerCase()}` : 'no extension'})`
  if (/exceeds pixel limit/i.test(message)) return 'the image has more pixels than the limit allows'
  if (/out of memory|memory allocation/i.test(message))
    return 'the image is too large to decode with the memory available'
  if (
    /premature end|truncat|treated as error|unexpected end|end of (file|data|stream)|read error|corrupt|crc|invalid|damaged|not a (png|jpeg|gif|tiff)|bad (huffman|marker)|incorrect header|unexpected|out of range/i.test(
      message,
    )
  )
    return 'the file is truncated or damaged'
  return `the image could not be decoded (${message.split('\n')[0].slice(0, 200)})`
}
