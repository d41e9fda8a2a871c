// `npm run bench -- <name>`: each benchmark runs our side and its peer in one run and prints ratios.
import { benchChaos } from './chaos.bench'
import { benchCluster } from './cluster.bench'
import { benchDecode } from './decode.bench'
import { benchImport } from './import.bench'
import { benchScatter } from './scatter.bench'
import { benchResponsiveness } from './responsive.bench'
import { benchTrain } from './train.bench'
import { benchUmap } from './umap.bench'

const benches: Record<string, () => Promise<void>> = {
  chaos: benchChaos,
  cluster: benchCluster,
  decode: benchDecode,
  import: benchImport,
  responsive: benchResponsiveness,
  scatter: benchScatter,
  train: async () => {
    await benchTrain()
    await benchResponsiveness()
  },
  umap: benchUmap,
}

const names = process.argv.slice(2)
const unknown = names.filter((name) => !(name in benches))
if (!names.length || unknown.length) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>…`)
  if (unknown.length) console.error(`unknown benchmark: ${unknown.join(', ')}`)
  process.exit(2)
}
for (const name of names) await benches[name]()
