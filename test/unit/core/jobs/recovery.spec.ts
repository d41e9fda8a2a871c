import { describe, expect, it } from 'vitest'
import { Recovery } from '../../../../main/core/jobs/recovery'
import { ClusteringsStore } from '../../../../main/core/store/clusterings-store'
import { DatasetsStore } from '../../../../main/core/store/datasets-store'
import { Owners } from '../../../../main/core/store/owners'
import { ProjectionsStore } from '../../../../main/core/store/projections-store'
import { RunsStore } from '../../../../main/core/store/runs-store'
import { openWorkspace, type Workspace } from '../../../../main/core/store/workspace'
import { tempWorkspaceFile } from '../../../helpers/temp'
import { baseOptions as options } from '../datasets/workspace'

/** One process's stores over a shared workspace file, owned by `owners`. */
function processOn(db: Workspace, owners: Owners) {
  const datasets = new DatasetsStore(db, owners.id)
  const runs = new RunsStore(db, owners.id)
  const projections = new ProjectionsStore(db, owners.id)
  const clusterings = new ClusteringsStore(db, owners.id)
  /** an import under way, a training run, a projection and a clustering, all started here */
  const startJobs = (readyDataset: number) => {
    const importing = datasets.create({
      name: 'importing',
      width: 2,
      height: 2,
      channels: 'grey',
      options,
      sources: [],
    })
    const run = runs.create({ datasetId: readyDataset, name: 'r', config: {} })
    runs.start(run, { backend: 'cpu', pid: process.pid })
    const projection = projections.create({
      datasetId: readyDataset,
      runId: null,
      space: 'raw',
      method: 'pca',
      params: { dims: 2, neighbors: 15, minDist: 0.1, metric: 'euclidean', seed: 1 },
    })
    const clustering = clusterings.create(run, 'kmeans', { k: 2, nInit: 1, seed: 1 })
    return { importing, run, projection, clustering }
  }
  return { datasets, runs, projections, clusterings, startJobs }
}

function setup() {
  const file = tempWorkspaceFile()
  const exited = new Set<number>()
  const alive = (pid: number) => !exited.has(pid)
  const open = (pid: number) => {
    const db = openWorkspace(file)
    const owners = new Owners(db, 'cli', { alive, host: 'here', pid })
    return { db, owners, ...processOn(db, owners) }
  }
  const killed = open(101)
  const live = open(102)
  const me = open(103)
  const ready = killed.datasets.create({
    name: 'ready',
    width: 2,
    height: 2,
    channels: 'grey',
    options,
    sources: [],
  })
  killed.datasets.markReady(ready)
  return {
    killed,
    live,
    me,
    ready,
    exited,
    close: () => [killed, live, me].forEach((p) => p.db.close()),
  }
}

describe('recovering jobs whose owner is gone', () => {
  it("ends a killed process's jobs, leaves a live one's alone, and says so", () => {
    const { killed, live, me, ready, exited, close } = setup()
    const dead = killed.startJobs(ready)
    const working = live.startJobs(ready)
    const events: [string, unknown][] = []
    const recovery = new Recovery({
      ...me,
      mine: { runs: () => [], projections: () => [], clusterings: () => [] },
      emit: (event, payload) => events.push([event, payload]),
    })
    expect(recovery.recover()).toEqual({ datasets: [], runs: [], projections: [], clusterings: [] })

    exited.add(101)
    expect(recovery.recover()).toEqual({
      datasets: [dead.importing],
      runs: [dead.run],
      projections: [dead.projection],
      clusterings: [dead.clustering],
    })
    expect(me.runs.get(dead.run).status).toBe('interrupted')
    expect(me.projections.get(dead.projection)).toMatchObject({ status: 'failed' })
    expect(me.clusterings.get(dead.clustering).error).toMatch(/ended before it finished/)
    expect(me.runs.get(working.run).status).toBe('running')
    expect(me.projections.get(working.projection).status).toBe('running')
    expect(me.clusterings.get(working.clustering).status).toBe('running')
    expect(me.owners.describe(killed.owners.id)).toBe('a process that has ended')
    expect(events.map(([event]) => event).sort()).toEqual([
      'clustering:status',
      'projection:status',
      'training:status',
    ])
    close()
  })

  it('ends a job this process owns but no longer computes (its exit went unrecorded)', () => {
    const { me, ready, close } = setup()
    const mine = me.startJobs(ready)
    const computing = { runs: [mine.run], projections: [mine.projection], clusterings: [] }
    const recovery = new Recovery({
      ...me,
      mine: {
        runs: () => computing.runs,
        projections: () => computing.projections,
        clusterings: () => computing.clusterings,
      },
      emit: () => {},
    })
    const recovered = recovery.recover()
    expect(recovered).toMatchObject({ runs: [], projections: [], clusterings: [mine.clustering] })
    expect(recovered.datasets).toEqual([]) // its own import ends itself
    computing.runs = []
    expect(recovery.recover().runs).toEqual([mine.run])
    close()
  })

  it("announces another process's runs and clusterings as they start and end", () => {
    const { live, me, ready, close } = setup()
    const events: [string, unknown][] = []
    const recovery = new Recovery({
      ...me,
      mine: { runs: () => [], projections: () => [], clusterings: () => [] },
      emit: (event, payload) => events.push([event, payload]),
    })
    recovery.tick()
    expect(events).toEqual([])
    const jobs = live.startJobs(ready)
    recovery.tick()
    expect(events).toEqual([
      ['training:status', { runId: jobs.run, status: 'running' }],
      ['projection:status', { id: jobs.projection, status: 'running' }],
      ['clustering:status', { id: jobs.clustering, status: 'running' }],
    ])
    events.length = 0
    live.runs.finish(jobs.run, { status: 'completed' })
    live.clusterings.finish(jobs.clustering, 'cancelled', 'Cancelled.')
    recovery.tick()
    expect(events).toEqual([
      ['training:status', { runId: jobs.run, status: 'completed', error: undefined }],
      ['clustering:status', { id: jobs.clustering, status: 'cancelled', error: 'Cancelled.' }],
    ])
    close()
  })
})
