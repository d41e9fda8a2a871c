// The latent view's "Watch it learn" fetches only the epochs it lacks while a run trains
// (renderer/src/latent/epoch-codes.ts): what it fetched and what came since make one list.
import { describe, expect, it } from 'vitest'
import { mergeEpochCodes } from '../../../../renderer/src/latent/epoch-codes'

const codes = (epoch: number) => new Float32Array([epoch, -epoch])
const fetched = (...epochs: number[]) => ({ dims: 2, epochs, codes: epochs.map(codes) })

describe("the epochs' codes a page has fetched", () => {
  it('are all of the first fetch', () => {
    expect(mergeEpochCodes(null, fetched(1, 2))).toEqual(fetched(1, 2))
  })

  it('gain the epochs after their last, in order', () => {
    expect(mergeEpochCodes(fetched(1, 2), fetched(3))).toEqual(fetched(1, 2, 3))
  })

  it('take no epoch twice when two fetches overlapped', () => {
    // two epochs ended close together: both fetches asked for the epochs after 1
    const first = mergeEpochCodes(fetched(1), fetched(2, 3))
    expect(mergeEpochCodes(first, fetched(2))).toEqual(fetched(1, 2, 3))
  })

  it('keep their code size when nothing new came', () => {
    expect(mergeEpochCodes(fetched(1), { dims: 0, epochs: [], codes: [] })).toEqual(fetched(1))
  })
})
