// Which item the record view shows (RecordDialog.vue, mounted once in App.vue): any thumbnail
// opens it with the list it belongs to, so the arrow keys step through that list.
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'

export interface RecordTarget {
  runId: number
  datasetId: number
  /** dataset position of the item shown */
  position: number
  /** the positions the arrow keys step through (the gallery, the table page it came from) */
  sequence: readonly number[]
}

export const useRecord = defineStore('record', () => {
  const target = shallowRef<RecordTarget | null>(null)
  function open(next: RecordTarget): void {
    target.value = next
  }
  function close(): void {
    target.value = null
  }
  /** Moves to another item: one of the sequence, or a neighbour outside it. */
  function show(position: number): void {
    if (target.value) target.value = { ...target.value, position }
  }
  function step(by: number): void {
    const t = target.value
    if (!t || !t.sequence.length) return
    const at = t.sequence.indexOf(t.position)
    const next = t.sequence[Math.min(t.sequence.length - 1, Math.max(0, at + by))]
    if (next !== undefined) show(next)
  }
  return { target, open, close, show, step }
})
