// "Watch it learn": the watched sample's codes after each stored epoch, laid out alike (PCA of
// the last epoch's codes where there are more than three dimensions), stepped through or played.
import { computed, onScopeDispose, ref, shallowRef } from 'vue'
import { call } from '../api'
import { normalise, padTo3, pcaBasis, projectOn } from './layouts'
import { mergeEpochCodes, type FetchedCodes } from './epoch-codes'

export interface EpochReplay {
  /** dataset positions of the watched sample */
  positions: Int32Array
  dims: number
  epochs: number[]
  /** n×3 positions after each epoch */
  layouts: Float32Array[]
}

/** `onStep` runs on the frame after each step: the scatter animates from the previous layout. */
export function useEpochReplay(runId: () => number, onStep: () => void) {
  const epochData = shallowRef<EpochReplay | null>(null)
  const epochIndex = ref(0)
  const playing = ref(false)
  const previousLayout = shallowRef<Float32Array | null>(null)

  /** the codes fetched so far, of run `id`: a run training adds an epoch's at a time */
  let fetched: ({ id: number } & FetchedCodes) | null = null

  /** Fetches the epochs not fetched yet and lays them all out. */
  async function loadEpochs(): Promise<void> {
    const id = runId()
    const after = fetched?.id === id ? (fetched.epochs.at(-1) ?? -1) : -1
    const added = await call('runs.epochCodes', { id, after })
    if (id !== runId()) return
    fetched = { id, ...mergeEpochCodes(fetched?.id === id ? fetched : null, added) }
    const stored = { positions: added.positions, ...fetched }
    if (!stored.epochs.length) {
      epochData.value = { ...stored, layouts: [] }
      return
    }
    const n = stored.positions.length
    const last = stored.codes[stored.codes.length - 1]
    const basis = stored.dims > 3 ? pcaBasis(last, n, stored.dims) : null
    const layouts = stored.codes.map((codes) =>
      normalise(basis ? projectOn(codes, n, basis) : padTo3(codes, n, stored.dims)),
    )
    const wasAtEnd = epochIndex.value >= (epochData.value?.layouts.length ?? 0) - 1
    epochData.value = { ...stored, layouts }
    if (wasAtEnd) stepTo(layouts.length - 1)
  }

  function stepTo(index: number): void {
    const data = epochData.value
    if (!data?.layouts.length) return
    const target = Math.max(0, Math.min(data.layouts.length - 1, index))
    previousLayout.value = data.layouts[epochIndex.value] ?? data.layouts[target]
    epochIndex.value = target
    requestAnimationFrame(onStep)
  }

  let playTimer = 0
  function togglePlay(): void {
    playing.value = !playing.value
    clearInterval(playTimer)
    if (!playing.value) return
    if (epochIndex.value >= (epochData.value?.layouts.length ?? 1) - 1) stepTo(0)
    playTimer = window.setInterval(() => {
      const last = (epochData.value?.layouts.length ?? 1) - 1
      if (epochIndex.value >= last) {
        playing.value = false
        clearInterval(playTimer)
      } else stepTo(epochIndex.value + 1)
    }, 700)
  }
  onScopeDispose(() => clearInterval(playTimer))

  const epochLabel = computed(() => epochData.value?.epochs[epochIndex.value] ?? 0)

  return {
    epochData,
    epochIndex,
    playing,
    previousLayout,
    epochLabel,
    loadEpochs,
    stepTo,
    togglePlay,
  }
}
