// Clustering a run's codes in its own process: k-means with its metrics against the labels, a
// sweep over k, cluster names, cancel, and a killed process.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Events } from '../../main/core/contract'
import { dispatch } from '../../main/core/dispatch'
import { Studio } from '../../main/core/service'
import { call, sampleWithRun, until } from '../helpers/studio'
import { methodParams } from '../../main/core/shared/clustering-methods'
import type { Clustering, ClusteringSummary } from '../../main/core/shared/clusterings'

const ended = (id: number) => (s: Events['clustering:status']) =>
  s.id === id && s.status !== 'running'

let studio: Studio
let dir = ''
let runId = 0
let close = () => {}

beforeAll(async () => {
  ;({ studio, dir, runId, close } = await sampleWithRun({
    hidden: [64],
    latent: 10,
    epochs: 3,
    batchSize: 100,
    backend: 'cpu',
  }))
}, 120_000)

afterAll(() => close())

describe('clusterings', () => {
  it('clusters the codes with k-means and measures the clusters against the labels', async () => {
    const progress: number[] = []
    const stop = studio.onEvent((name, payload) => {
      if (name === 'clustering:progress') progress.push(payload.fraction)
    })
    const started = (await call(studio, 'clusterings.start', { runId, k: 10 })) as ClusteringSummary
    expect(await until(studio, 'clustering:status', ended(started.id))).toMatchObject({
      status: 'completed',
    })
    stop()
    expect(progress.length).toBeGreaterThan(0)
    const result = (await call(studio, 'clusterings.get', { id: started.id })) as Clustering
    expect(result.assignments!.length).toBe(2000)
    expect(result.distances!.every((d) => d >= 0)).toBe(true)
    const m = result.metrics!
    expect(m.sizes.reduce((a, b) => a + b)).toBe(2000)
    expect(m.sizes).toHaveLength(10)
    expect(m.confusion!.counts.reduce((a, b) => a + b)).toBe(2000)
    expect(m.confusion!.labels).toHaveLength(10)
    // ten balanced classes: chance ACC is about 0.1 and chance NMI about 0
    expect(m.acc).toBeGreaterThan(0.3)
    expect(m.nmi).toBeGreaterThan(0.25)
    expect(m.ari).toBeGreaterThan(0.1)
    expect(m.silhouette).toBeGreaterThan(0)
    // each item's cluster agrees with the stored sizes
    const counted = new Array(10).fill(0)
    for (const a of result.assignments!) counted[a]++
    expect(counted).toEqual(m.sizes)

    const renamed = (await call(studio, 'clusterings.renameCluster', {
      id: started.id,
      cluster: 3,
      name: 'boots',
    })) as ClusteringSummary
    expect(renamed.names[3]).toBe('boots')
    expect(renamed.names[0]).toBe('Cluster 1')
    const outcome = await dispatch(studio.handlers, 'clusterings.renameCluster', {
      id: started.id,
      cluster: 10,
      name: 'none',
    })
    expect(outcome.ok).toBe(false)
  })

  it('exports CSV, JSON and one folder of images per cluster, overwriting nothing', async () => {
    const [done] = (
      (await call(studio, 'clusterings.list', { runId })) as ClusteringSummary[]
    ).filter((c) => c.method === 'kmeans' && c.status === 'completed')
    const csv = join(dir, 'clusters.csv')
    await call(studio, 'clusterings.export', { id: done.id, format: 'csv', out: csv })
    const lines = readFileSync(csv, 'utf8').trim().split('\r\n')
    expect(lines[0]).toBe('path,cluster,name,distance,label')
    expect(lines).toHaveLength(2001)
    const [, cluster, name, distance] = lines[1].split(',')
    // numbered from 1, as the names are: "Cluster 3" is cluster 3
    expect(name).toBe(done.names[Number(cluster) - 1])
    expect(Number(distance)).toBeGreaterThanOrEqual(0)
    const json = join(dir, 'clusters.json')
    await call(studio, 'clusterings.export', { id: done.id, format: 'json', out: json })
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as {
      clusters: { cluster: number; name: string }[]
      items: { cluster: number; name: string }[]
    }
    expect(parsed.clusters).toEqual(done.names.map((name, i) => ({ cluster: i + 1, name })))
    for (const item of parsed.items.slice(0, 50))
      expect(parsed.clusters[item.cluster - 1].name).toBe(item.name)
    expect(parsed.items).toHaveLength(2000)

    const folders = join(dir, 'folders')
    const progress: number[] = []
    const stop = studio.onEvent((event, payload) => {
      if (event === 'export:progress' && payload.jobId === 'copy') progress.push(payload.done)
    })
    const first = (await call(studio, 'clusterings.export', {
      id: done.id,
      format: 'folders',
      out: folders,
      jobId: 'copy',
    })) as { files: string[] }
    stop()
    expect(first.files).toHaveLength(2000)
    expect(progress[progress.length - 1]).toBe(2000)
    expect(readdirSync(folders).sort()).toEqual([...done.names].sort())
    expect(readFileSync(first.files[0]).subarray(1, 4).toString()).toBe('PNG')
    const refused = await dispatch(studio.handlers, 'clusterings.export', {
      id: done.id,
      format: 'folders',
      out: folders,
    })
    expect(refused).toMatchObject({ ok: false, error: { code: 'exists' } })
    const again = (await call(studio, 'clusterings.export', {
      id: done.id,
      format: 'folders',
      out: folders,
      overwrite: true,
    })) as { files: string[] }
    expect([...again.files].sort()).toEqual([...first.files].sort())
    expect(readdirSync(join(folders, done.names[0])).length).toBe(done.metrics!.sizes[0])
  })

  it('clusters with the N2D recipe: UMAP of the codes to 10-D, then a Gaussian mixture', async () => {
    await expect(
      call(studio, 'clusterings.start', { runId, method: 'kmeans', k: 10, runs: 3 }),
    ).rejects.toThrow('runs applies to N2D')
    const started = (await call(studio, 'clusterings.start', {
      runId,
      method: 'n2d',
      k: 10,
      runs: 3,
    })) as ClusteringSummary
    expect(started.params.runs).toBe(3)
    const status = await until(studio, 'clustering:status', ended(started.id))
    expect(status.error).toBeUndefined()
    const result = (await call(studio, 'clusterings.get', { id: started.id })) as Clustering
    expect(result.method).toBe('n2d')
    expect(result.assignments!.length).toBe(2000)
    expect(result.metrics!.sizes.reduce((a, b) => a + b)).toBe(2000)
    expect(result.metrics!.acc).toBeGreaterThan(0.3) // chance is about 0.1
    expect(result.distances!.every((d) => Number.isFinite(d) && d >= 0)).toBe(true)
    // N2D says how sure it is of each image: how far its three runs agree
    expect(result.certainty!.length).toBe(2000)
    expect(result.certainty!.every((c) => c >= 0 && c <= 1)).toBe(true)
    expect(result.certainty!.some((c) => c > 0.5)).toBe(true)
    // …and exports it beside the other columns
    const csv = join(dir, 'n2d.csv')
    await call(studio, 'clusterings.export', { id: started.id, format: 'csv', out: csv })
    const lines = readFileSync(csv, 'utf8').trim().split('\r\n')
    expect(lines[0]).toBe('path,cluster,name,distance,label,certainty')
    expect(Number(lines[1].split(',')[5])).toBeCloseTo(result.certainty![0], 5)
    const json = join(dir, 'n2d.json')
    await call(studio, 'clusterings.export', { id: started.id, format: 'json', out: json })
    const items = (JSON.parse(readFileSync(json, 'utf8')) as { items: { certainty: number }[] })
      .items
    expect(items[1].certainty).toBeCloseTo(result.certainty![1], 5)
    const byKmeans = (await call(studio, 'clusterings.list', { runId })) as ClusteringSummary[]
    const kmeansId = byKmeans.find((c) => c.method === 'kmeans' && c.status === 'completed')!.id
    const plain = (await call(studio, 'clusterings.get', { id: kmeansId })) as Clustering
    expect(plain.certainty).toBeNull()
    // three UMAP layouts and mixtures: a minute on a quiet 2-core machine, more when it is shared
  }, 180_000)

  it('refines the encoder with each deep method and records its epochs', async () => {
    const baseline = (await call(studio, 'clusterings.list', { runId })) as ClusteringSummary[]
    const kmeansAcc = baseline.find((c) => c.method === 'kmeans')!.metrics!.acc!
    for (const method of ['dcn', 'dec', 'idec'] as const) {
      const started = (await call(studio, 'clusterings.start', {
        runId,
        method,
        k: 10,
        nInit: 3,
        epochs: 2,
      })) as ClusteringSummary
      expect(started.params).toMatchObject({
        epochs: 2,
        learningRate: methodParams(method).learningRate,
      })
      expect(started.params.weight).toBeGreaterThan(0)
      const status = await until(studio, 'clustering:status', ended(started.id))
      expect(status.error).toBeUndefined()
      const result = (await call(studio, 'clusterings.get', { id: started.id })) as Clustering
      expect(result.method).toBe(method)
      const m = result.metrics!
      expect(m.history!.length).toBeGreaterThanOrEqual(1)
      expect(m.history!.length).toBeLessThanOrEqual(2)
      expect(m.history!.every((e) => e.clusterLoss > 0 && e.seconds > 0)).toBe(true)
      expect(m.sizes.reduce((a, b) => a + b)).toBe(2000)
      // two epochs from k-means on a 3-epoch run: still far above chance (0.1), near k-means
      expect(m.acc).toBeGreaterThan(Math.min(0.3, kmeansAcc - 0.15))
      expect(result.distances!.every((d) => Number.isFinite(d) && d >= 0)).toBe(true)
      // DEC and IDEC's soft assignment q of each image to its cluster: at least 1/k; DCN's are hard
      if (method === 'dcn') expect(result.certainty).toBeNull()
      else expect(result.certainty!.every((q) => q >= 0.1 - 1e-6 && q <= 1)).toBe(true)
    }
    // the run's own model and codes are left as they were
    const again = (await call(studio, 'clusterings.start', { runId, k: 10 })) as ClusteringSummary
    await until(studio, 'clustering:status', ended(again.id))
    const repeated = (await call(studio, 'clusterings.get', { id: again.id })) as Clustering
    expect(repeated.metrics!.acc).toBe(kmeansAcc)
  }, 120_000)

  it('cancels a deep method mid-refinement and keeps nothing half-done', async () => {
    const started = (await call(studio, 'clusterings.start', {
      runId,
      method: 'idec',
      k: 10,
      nInit: 1,
      epochs: 200,
    })) as ClusteringSummary
    // past k-means (the first tenth): the network is being refined
    await until(studio, 'clustering:progress', (p) => p.id === started.id && p.fraction > 0.11)
    expect(await call(studio, 'clusterings.cancel', { id: started.id })).toEqual({
      cancelled: true,
    })
    expect((await until(studio, 'clustering:status', ended(started.id))).status).toBe('cancelled')
    const result = (await call(studio, 'clusterings.get', { id: started.id })) as Clustering
    expect(result.assignments).toBeNull()
    expect(result.metrics).toBeNull()
    // deletable once its process has exited
    await expect
      .poll(
        async () => (await dispatch(studio.handlers, 'clusterings.delete', { id: started.id })).ok,
      )
      .toBe(true)
  }, 60_000)

  it('refuses deep-method settings for k-means', async () => {
    const refused = await dispatch(studio.handlers, 'clusterings.start', {
      runId,
      k: 10,
      epochs: 3,
    })
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad-params' } })
    expect(
      (
        await dispatch(studio.handlers, 'clusterings.start', {
          runId,
          k: 10,
          method: 'dcn',
          weight: -1,
        })
      ).ok,
    ).toBe(false)
  })

  it('sweeps k and suggests the one with the best silhouette', async () => {
    const started = (await call(studio, 'clusterings.sweep', {
      runId,
      from: 2,
      to: 6,
    })) as ClusteringSummary
    expect((await until(studio, 'clustering:status', ended(started.id))).status).toBe('completed')
    const { sweep } = (await call(studio, 'clusterings.get', { id: started.id })) as Clustering
    expect(sweep!.k).toEqual([2, 3, 4, 5, 6])
    expect(sweep!.inertia[0]).toBeGreaterThan(sweep!.inertia[4])
    const best = sweep!.k[sweep!.silhouette.indexOf(Math.max(...(sweep!.silhouette as number[])))]
    expect(sweep!.suggested).toBe(best)
  })

  it('cancels, marks a killed process failed, and refuses bad requests', async () => {
    const first = (await call(studio, 'clusterings.start', {
      runId,
      k: 50,
      nInit: 100,
    })) as ClusteringSummary
    await until(studio, 'clustering:progress', (p) => p.id === first.id)
    expect(await call(studio, 'clusterings.cancel', { id: first.id })).toEqual({ cancelled: true })
    expect((await until(studio, 'clustering:status', ended(first.id))).status).toBe('cancelled')

    const second = (await call(studio, 'clusterings.start', {
      runId,
      k: 50,
      nInit: 100,
    })) as ClusteringSummary
    await until(studio, 'clustering:progress', (p) => p.id === second.id)
    studio.clusterers.processes.kill(second.id, 'SIGKILL')
    const status = await until(studio, 'clustering:status', ended(second.id))
    expect(status.status).toBe('failed')
    expect(status.error).toMatch(/clustering process stopped unexpectedly.*SIGKILL/)

    expect((await dispatch(studio.handlers, 'clusterings.start', { runId, k: 1 })).ok).toBe(false)
    expect((await dispatch(studio.handlers, 'clusterings.start', { runId, k: 5000 })).ok).toBe(
      false,
    )
    const listed = (await call(studio, 'clusterings.list', { runId })) as ClusteringSummary[]
    expect(listed.map((c) => c.status)).toEqual([
      'failed',
      'cancelled',
      ...new Array(7).fill('completed'),
    ])
  })
})
