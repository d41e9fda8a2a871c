// The cluster bench's cap on its autoencoder's training time (BENCH_AE_SECONDS), for a GPU
// machine lent for a few minutes: training ends after the epoch past which one more would pass
// the cap, and the bench says how far it got. Without the cap, training runs every epoch asked.
import type { EpochReport, TrainControl } from '../../main/core/training/train'

export function epochCap(
  seconds = Number(process.env.BENCH_AE_SECONDS ?? Infinity),
  every = Number(process.env.BENCH_AE_LOG_EVERY ?? 10),
): { control: TrainControl; report(epochs: EpochReport[], planned: number): void } {
  const stop = new AbortController()
  const started = performance.now()
  const elapsed = () => (performance.now() - started) / 1000
  const control: TrainControl = {
    signal: stop.signal,
    onEpoch: (epoch) => {
      if (epoch.epoch % every === 0)
        console.log(
          `    epoch ${epoch.epoch}: MSE ${epoch.mse.toFixed(5)}, ${epoch.samplesPerSec.toFixed(0)} images/s, ${elapsed().toFixed(0)} s`,
        )
      // the next epoch takes about as long as this one: stop before it, not in it
      if (elapsed() + epoch.seconds > seconds) stop.abort()
    },
  }
  const report = (epochs: EpochReport[], planned: number) => {
    const last = epochs.at(-1)
    const rate = epochs.reduce((sum, e) => sum + e.samplesPerSec, 0) / (epochs.length || 1)
    const capped = epochs.length < planned && stop.signal.aborted
    console.log(
      `  autoencoder reached epoch ${epochs.length} of ${planned} in ${elapsed().toFixed(0)} s` +
        `${capped ? ` (stopped by BENCH_AE_SECONDS=${seconds})` : ''}: MSE ${last?.mse.toFixed(5)}, ` +
        `${rate.toFixed(0)} images/s on average`,
    )
  }
  return { control, report }
}
