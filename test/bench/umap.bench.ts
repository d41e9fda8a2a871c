import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { dotBlocks, nearestNeighbours } from '../../main/core/projection/knn'
import { trustworthiness } from '../../main/core/metrics/neighbourhood'
import { umapLayout, type UmapParams } from '../../main/core/projection/umap'
import { useBackend } from '../../main/core/training/backend'
import { fashionMnist } from './fashion-mnist'
import { runPython, table } from './peer'

const images = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'
const count = 20_000
const params: UmapParams = { neighbors: 15, minDist: 0.1, dims: 2, metric: 'euclidean', seed: 42 }
/** UMAP_BENCH_REPEAT=2 runs each side twice, alternating, for a machine shared with others */
const repeats = Number(process.env.UMAP_BENCH_REPEAT ?? 1)

async function pixels(): Promise<Float32Array> {
  return (await fashionMnist(['train'], count)).pixels
}

/** Share of the true 15 neighbours our search finds, on 500 rows checked exactly. */
async function neighbourRecall(x: Float32Array, dim: number): Promise<number> {
  const k = params.neighbors
  const found = await nearestNeighbours(x, count, dim, k, { seed: params.seed })
  const rows = Int32Array.from({ length: 500 }, (_, i) => i * (count / 500))
  const probe = new Float32Array(rows.length * dim)
  rows.forEach((row, r) => probe.set(x.subarray(row * dim, (row + 1) * dim), r * dim))
  const norms = new Float64Array(count)
  for (let i = 0; i < count; i++)
    for (let j = i * dim; j < (i + 1) * dim; j++) norms[i] += x[j] * x[j]
  let hits = 0
  await dotBlocks(probe, rows.length, x, count, dim, (start, block, dots) => {
    for (let r = 0; r < block; r++) {
      const i = rows[start + r]
      const order = Array.from({ length: count }, (_, j) => j)
      const d = (j: number) => norms[j] - 2 * dots[r * count + j]
      const truth = new Set(order.sort((p, q) => d(p) - d(q)).slice(0, k))
      truth.add(i)
      for (let c = 0; c < k; c++) if (truth.has(found.indices[i * k + c])) hits++
    }
  })
  return hits / (rows.length * k)
}

export async function benchUmap(): Promise<void> {
  console.log('umap benchmark')
  const backend = await useBackend('auto')
  const x = await pixels()
  const dim = 784
  const work = mkdtempSync(join(tmpdir(), 'studio-umap-'))
  const load = () => loadavg()[0].toFixed(1)
  const rows: (string | number)[][] = [
    [
      'run',
      'side',
      'seconds',
      'CPU s',
      'kNN+graph s',
      'layout s',
      'trustworthiness',
      'load before',
    ],
  ]
  const ours: number[] = []
  const theirs: number[] = []
  const trust = { ours: 0, theirs: 0 }
  try {
    for (let run = 1; run <= repeats; run++) {
      let loadBefore = load()
      let started = performance.now()
      const cpuBefore = process.cpuUsage()
      let layoutAt = 0
      const layout = await umapLayout(x, count, dim, params, {
        onProgress: (phase) => {
          if (phase === 'layout' && !layoutAt) layoutAt = performance.now()
        },
      })
      const seconds = (performance.now() - started) / 1000
      const { user, system } = process.cpuUsage(cpuBefore)
      ours.push(seconds)
      trust.ours = await trustworthiness(x, dim, layout, 2, count, { seed: 0 })
      const knnSeconds = (layoutAt - started) / 1000
      const side = `studio (${backend.name})`
      rows.push([
        `${run}`,
        side,
        seconds,
        (user + system) / 1e6,
        knnSeconds,
        seconds - knnSeconds,
        trust.ours.toFixed(4),
        loadBefore,
      ])

      loadBefore = load()
      started = performance.now()
      const out = join(work, `umap-learn-${run}.f32`)
      const peer = runPython<{ seconds: number; cpu: number; version: string }>(
        join(import.meta.dirname, 'umap_learn.py'),
        [images, String(count), String(params.neighbors), String(params.minDist), out, '42'],
      )
      if ('missing' in peer) {
        console.log(`  umap-learn did not run: ${peer.missing} (apt-get install python3-umap)`)
        break
      }
      theirs.push(peer.result.seconds)
      const peerLayout = new Float32Array(readFileSync(out).buffer.slice(0))
      trust.theirs = await trustworthiness(x, dim, peerLayout, 2, count, { seed: 0 })
      const peerSide = `umap-learn ${peer.result.version}`
      rows.push([
        `${run}`,
        peerSide,
        peer.result.seconds,
        peer.result.cpu,
        '',
        '',
        trust.theirs.toFixed(4),
        loadBefore,
      ])
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  console.log(
    `\n${count} Fashion-MNIST images, 784-d in [0, 1], n_neighbors ${params.neighbors}, ` +
      `min_dist ${params.minDist}, 2-D, seed ${params.seed}; trustworthiness k = 10 on 5,000 rows`,
  )
  table(rows)
  const recall = await neighbourRecall(x, dim)
  console.log(
    `  our kNN recall of the exact 15 neighbours (500 rows checked): ${recall.toFixed(4)}`,
  )
  if (theirs.length) {
    const best = (values: number[]) => Math.min(...values)
    console.log(
      `  ratio studio / umap-learn (best of ${repeats}): ${(best(ours) / best(theirs)).toFixed(2)}× ` +
        `the time (goal ≤ 1); trustworthiness ${(trust.ours - trust.theirs).toFixed(4)} ` +
        `against umap-learn (goal ≥ −0.01); 1-min load average now ${load()} on ` +
        `${availableParallelism()} cores`,
    )
  }
}
