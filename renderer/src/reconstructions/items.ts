// Item look-ups the Reconstructions tabs share.
import { call } from '../api'

/** The dataset's items at these positions, in the order asked. */
export function itemsAt(datasetId: number, positions: number[]) {
  return call('datasets.itemsAt', { id: datasetId, positions })
}

export type Items = Awaited<ReturnType<typeof itemsAt>>

/** `n` positions drawn at random among `total` items. */
export function randomPositions(total: number, n: number): number[] {
  return Array.from({ length: n }, () => Math.floor(Math.random() * total))
}
