// Reads, hashes and decodes image files off the main thread: the fast PNG and JPEG readers are
// JavaScript, so on the main thread they would use one core of two. Stays alive for one import;
// its replies are small.
import { parentPort } from 'node:worker_threads'
import { prepareDecoder, type PixelOptions } from './decode'
import { readRegularFileSync } from './files'
import { imageOutcome, type ImageSource, type Outcome } from './tasks'

export interface DecodeRequest {
  id: number
  source: ImageSource
  options: PixelOptions
}

export interface DecodeReply {
  id: number
  outcomes: Outcome[]
}

prepareDecoder()
parentPort!.on('message', ({ id, source, options }: DecodeRequest) => {
  // A thread of its own may block: a synchronous read costs a tenth of an async one's CPU.
  void imageOutcome(source, options, readRegularFileSync).then((outcomes) => {
    // copied: transferring a few hundred bytes costs more than copying them
    parentPort!.postMessage({ id, outcomes } satisfies DecodeReply)
  })
})
