// The epochs' codes a page watching a run has fetched (use-epoch-replay.ts): while the run trains
// it asks only for the epochs after the last it has, and merges them in here.

/** Epochs' codes as fetched: each epoch's codes of the watched sample, `dims` a code. */
export interface FetchedCodes {
  dims: number
  epochs: number[]
  codes: Float32Array[]
}

/**
 * `known` with the epochs of `added` after its last one: another fetch may have brought some of
 * them meanwhile, and none may appear twice.
 */
export function mergeEpochCodes(known: FetchedCodes | null, added: FetchedCodes): FetchedCodes {
  const newest = known?.epochs.at(-1) ?? -1
  const fresh = added.epochs.flatMap((epoch, i) => (epoch > newest ? [i] : []))
  return {
    dims: fresh.length ? added.dims : (known?.dims ?? 0),
    epochs: [...(known?.epochs ?? []), ...fresh.map((i) => added.epochs[i])],
    codes: [...(known?.codes ?? []), ...fresh.map((i) => added.codes[i])],
  }
}
