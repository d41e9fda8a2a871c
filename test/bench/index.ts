// `npm run bench -- <name>`: each benchmark runs our side and its peer in one run and prints ratios.
import { benchImport } from './import.bench'
import { benchResponsiveness, benchTrain } from './train.bench'

const benches: Record<string, () => Promise<void>> = {
  import: benchImport,
  train: async () => {
    await benchTrain()
    await benchResponsiveness()
  },
}

const names = process.argv.slice(2)
const unknown = names.filter((name) => !(name in benches))
if (!names.length || unknown.length) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>…`)
  if (unknown.length) console.error(`unknown benchmark: ${unknown.join(', ')}`)
  process.exit(2)
}
for (const name of names) await benches[name]()
