// Reads, hashes and decodes image files off the main thread: the fast PNG and JPEG readers are
// JavaScript, so on the main thread they would use one core of two. Stays alive for one import
// (decode-pool.ts); its replies are small, so they are copied: transferring a few hundred bytes
// costs more than copying them.
import { serveRequests } from '../jobs/worker-rpc'
import { prepareDecoder, type PixelOptions } from './decode'
import { readRegularFileSync } from './files'
import { imageOutcome, type ImageSource, type Outcome } from './tasks'

export interface DecodeProtocol {
  request: { source: ImageSource; options: PixelOptions }
  response: Outcome[]
  note: never
}

prepareDecoder()
// A thread of its own may block: a synchronous read costs a tenth of an async one's CPU.
serveRequests<DecodeProtocol>(({ source, options }) =>
  imageOutcome(source, options, readRegularFileSync),
)
