import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'

/** the system's Python, or BENCH_PYTHON (one whose PyTorch has CUDA, say) */
export const python = process.env.BENCH_PYTHON ?? '/usr/bin/python3'

/** Runs a peer Python script and parses the JSON object it prints last; null (with why) if it cannot run. */
export function runPython<T>(script: string, args: string[]): { result: T } | { missing: string } {
  if (!existsSync(python)) return { missing: `${python} not found` }
  try {
    const out = execFileSync(python, [script, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
    })
    const last = out.trim().split('\n').pop() ?? ''
    return { result: JSON.parse(last) as T }
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error)
    return { missing: stderr.trim().split('\n').slice(-3).join(' ') }
  }
}

export function table(rows: (string | number)[][]): void {
  const cells = rows.map((row) =>
    row.map((cell) => (typeof cell === 'number' ? format(cell) : cell)),
  )
  const widths = cells[0].map((_, i) => Math.max(...cells.map((row) => row[i].length)))
  for (const row of cells)
    console.log('  ' + row.map((cell, i) => cell.padEnd(widths[i])).join('  '))
}

function format(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2)
}

/** A 2-D little-endian float32 .npy (what the peer's `pca` mode writes). */
export function readNpy2d(path: string): { values: Float32Array; rows: number; columns: number } {
  const bytes = readFileSync(path)
  const headerLength = bytes.readUInt16LE(8)
  const header = bytes.toString('latin1', 10, 10 + headerLength)
  const shape = /'shape'\s*:\s*\((\d+),\s*(\d+)\)/.exec(header)
  if (!header.includes("'<f4'") || !shape) throw new Error(`${path}: not a 2-D float32 array`)
  const start = 10 + headerLength
  const values = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.length),
  )
  return { values, rows: Number(shape[1]), columns: Number(shape[2]) }
}
