import { describe, expect, it } from 'vitest'
import { leaseMs, Owners } from '../../../../main/core/store/owners'
import { openWorkspace } from '../../../../main/core/store/workspace'
import { tempWorkspaceFile } from '../../../helpers/temp'

/** Two processes' views of one workspace, with clocks and process tables the test sets. */
function twoOwners() {
  const file = tempWorkspaceFile()
  const clock = { a: 0, b: 0 }
  const exited = new Set<number>()
  const alive = (pid: number) => !exited.has(pid)
  const dbA = openWorkspace(file)
  const dbB = openWorkspace(file)
  const a = new Owners(dbA, 'cli', { now: () => clock.a, alive, host: 'here', pid: 100 })
  const b = new Owners(dbB, 'electron', { now: () => clock.b, alive, host: 'here', pid: 200 })
  return { a, b, clock, exited, close: () => (dbA.close(), dbB.close()) }
}

describe('workspace owners', () => {
  it('never waits for the write lock to beat: a beat that finds it taken is skipped', () => {
    const { a, close } = twoOwners()
    const file = (a as unknown as { db: { name: string } }).db.name
    const writer = openWorkspace(file)
    const beats = () =>
      (writer.prepare('SELECT beat FROM owners WHERE id = ?').get(a.id) as { beat: number }).beat
    const before = beats()
    // a training process writing an epoch holds the lock (its busy wait would be 5 s, then throw)
    writer.exec('BEGIN IMMEDIATE')
    expect(a.beat()).toBe(true)
    writer.exec('COMMIT')
    expect(beats()).toBe(before)
    expect(a.beat()).toBe(true)
    expect(beats()).toBe(before + 1)
    // the wait of every other statement is left as it was
    const db = (a as unknown as { db: { pragma(p: string, o: object): unknown } }).db
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    writer.close()
    close()
  })

  it('takes an owner whose process exited on this machine for gone at once', () => {
    const { a, b, exited, close } = twoOwners()
    expect(b.gone()).toEqual(new Set())
    exited.add(100)
    expect(b.gone()).toEqual(new Set([a.id]))
    close()
  })

  it('takes an owner whose beat stood still for a lease of its own clock for gone, not sooner', () => {
    const { a, b, clock, close } = twoOwners()
    expect(b.gone()).toEqual(new Set()) // first sight: a full lease from now
    clock.b += leaseMs - 1
    expect(b.gone()).toEqual(new Set())
    a.beat()
    clock.b += 2 // it beat meanwhile: the lease starts again from this look
    expect(b.gone()).toEqual(new Set())
    clock.b += leaseMs
    expect(b.gone()).toEqual(new Set())
    clock.b += 1
    expect(b.gone()).toEqual(new Set([a.id]))
    close()
  })

  it('takes nobody for gone after a sleep that froze every clock alike', () => {
    const { b, close } = twoOwners()
    // the monotonic clock does not move while the machine sleeps; only the wall clock does
    expect(b.gone()).toEqual(new Set())
    expect(b.gone()).toEqual(new Set())
    close()
  })

  it('judges an owner on another machine by its beat alone', () => {
    const file = tempWorkspaceFile()
    const db = openWorkspace(file)
    let now = 0
    const far = new Owners(db, 'serve', { host: 'elsewhere', pid: 100 })
    const here = new Owners(db, 'cli', {
      host: 'here',
      pid: 200,
      now: () => now,
      alive: () => false,
    })
    expect(here.gone()).toEqual(new Set()) // pid 100 means nothing on this machine
    now += leaseMs + 1
    expect(here.gone()).toEqual(new Set([far.id]))
    expect(here.describe(far.id)).toBe('`studio serve` (process 100 on elsewhere)')
    db.close()
  })

  it('takes its row back when another removed it, and releases it on leaving', () => {
    const { a, b, close } = twoOwners()
    b.forget([a.id])
    expect(a.beat()).toBe(false)
    expect(a.beat()).toBe(true)
    expect(b.describe(a.id)).toBe('a `studio` command (process 100)')
    a.release()
    expect(b.describe(a.id)).toBe('a process that has ended')
    close()
  })
})
