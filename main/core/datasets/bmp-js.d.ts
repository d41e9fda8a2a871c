// bmp-js ships no types; this is the part of its API the importer and the test fixtures use.
declare module 'bmp-js' {
  interface BmpImage {
    width: number
    height: number
    /** 4 bytes a pixel in the order A, B, G, R */
    data: Buffer
  }
  interface BmpDecoded extends BmpImage {
    bitPP: number
    is_with_alpha: boolean
  }
  export function decode(bytes: Buffer, withAlpha?: boolean): BmpDecoded
  export function encode(image: BmpImage, quality?: number): BmpImage
  const bmp: { decode: typeof decode; encode: typeof encode }
  export default bmp
}
