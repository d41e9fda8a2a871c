// `npm run bench -- <name>`: each benchmark runs our side and its peer in one run and prints ratios.
// Each is imported when asked for, so a bundle of this file (the device kit, docs/architecture.md,
// "Measuring on a GPU machine") loads only what the benches it runs need: `train` and `cluster`
// never open a workspace, so they run where better-sqlite3 and sharp are not installed.

const benches: Record<string, () => Promise<void>> = {
  adapter: async () => (await import('./adapter')).printAdapter(),
  chaos: async () => (await import('./chaos.bench')).benchChaos(),
  cluster: async () => (await import('./cluster.bench')).benchCluster(),
  decode: async () => (await import('./decode.bench')).benchDecode(),
  import: async () => (await import('./import.bench')).benchImport(),
  responsive: async () => (await import('./responsive.bench')).benchResponsiveness(),
  scatter: async () => (await import('./scatter.bench')).benchScatter(),
  train: async () => {
    await (await import('./train.bench')).benchTrain()
    // BENCH_RESPONSIVE=0: the GPU figures alone (the responsiveness bench trains on the CPU path)
    if (process.env.BENCH_RESPONSIVE !== '0')
      await (await import('./responsive.bench')).benchResponsiveness()
  },
  umap: async () => (await import('./umap.bench')).benchUmap(),
}

const names = process.argv.slice(2)
const unknown = names.filter((name) => !(name in benches))
if (!names.length || unknown.length) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}>…`)
  if (unknown.length) console.error(`unknown benchmark: ${unknown.join(', ')}`)
  process.exit(2)
}
for (const name of names) await benches[name]()

export {} // a module: top-level await needs one, and this file imports only lazily
