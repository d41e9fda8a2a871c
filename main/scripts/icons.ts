// Renders the app's icons from the one source drawing, resources/icon.svg, into build/ (the
// packager's build resources, see electron-builder.yml): build/icons/<n>x<n>.png for Linux,
// build/icon.ico for Windows, build/icon.icns for macOS, build/icon.png for the window.
// Run: npm run icons (the package scripts run it first).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { icnsFile, icnsTypes, icoFile, icoSizes, type SizedPng } from './icon-files'

const root = join(import.meta.dirname, '..', '..')
const linuxSizes = [16, 32, 48, 64, 128, 256, 512]

export async function renderIcons(source: string, outDir: string): Promise<string[]> {
  const svg = readFileSync(source)
  const sizes = [...new Set([...linuxSizes, ...icoSizes, ...icnsTypes.map((t) => t.size)])]
  const pngs = new Map<number, Buffer>()
  for (const size of sizes)
    pngs.set(
      size,
      // rendered at the size it is shown, not scaled down from one large image: small sizes stay sharp
      await sharp(svg, { density: (72 * size) / 1024 })
        .resize(size, size)
        .png({ compressionLevel: 9 })
        .toBuffer(),
    )
  const pick = (list: number[]): SizedPng[] => list.map((size) => ({ size, png: pngs.get(size)! }))
  mkdirSync(join(outDir, 'icons'), { recursive: true })
  const written: [string, Buffer][] = [
    ...linuxSizes.map((size): [string, Buffer] => [
      join(outDir, 'icons', `${size}x${size}.png`),
      pngs.get(size)!,
    ]),
    [join(outDir, 'icon.png'), pngs.get(512)!],
    [join(outDir, 'icon.ico'), icoFile(pick(icoSizes))],
    [join(outDir, 'icon.icns'), icnsFile(pick([...new Set(icnsTypes.map((t) => t.size))]))],
  ]
  for (const [file, data] of written) writeFileSync(file, data)
  return written.map(([file]) => file)
}

if (process.argv[1] === import.meta.filename) {
  const files = await renderIcons(join(root, 'resources', 'icon.svg'), join(root, 'build'))
  console.log(`[icons] wrote ${files.length} files into build/`)
}
