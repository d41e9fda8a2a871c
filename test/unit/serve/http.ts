// A raw HTTP client: sends the path byte for byte (fetch would fold `..` away before sending).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'

export interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: string
  json(): { code?: string; message?: string; dir?: string }
}

export function request(
  port: number,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let responded = false
    let failure: Error | undefined
    const req = httpRequest(
      // A fresh connection each time, so a closed server is seen as closed.
      {
        host: '127.0.0.1',
        port,
        path,
        method: init.method ?? 'GET',
        headers: init.headers,
        agent: false,
      },
      (res) => {
        responded = true
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body),
          })
        })
      },
    )
    // The server may answer (413) and close before the whole body is written: the write fails,
    // the response still counts.
    req.on('error', (error) => (failure = error))
    req.on('close', () => {
      if (!responded) reject(failure ?? new Error('The connection closed without a response.'))
    })
    req.end(init.body)
  })
}
