// Item ids (items.id) of dataset positions: tags, relabelling and saved selections take ids,
// plots select positions (docs/working-with-data.md, "Ids and positions").
import { call } from '../api'

const page = 2000

export async function idsAt(datasetId: number, positions: readonly number[]): Promise<number[]> {
  const ids: number[] = []
  for (let offset = 0; offset < positions.length; offset += page) {
    const result = await call('items.query', {
      datasetId,
      filter: { positions: positions.slice(offset, offset + page) },
      limit: page,
    })
    for (const row of result.rows) ids.push(row.id)
  }
  return ids
}
