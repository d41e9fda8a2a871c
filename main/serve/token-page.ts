// The page a browser gets when its token is no longer the server's: after `studio serve` restarts
// (each start makes a new token) an old tab or bookmark lands here rather than on raw JSON.
import type { ServerResponse } from 'node:http'
import { baseHeaders } from './respond'

export const tokenChangedTitle = 'The access token changed'

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Autoencoder Studio: ${tokenChangedTitle}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f6f7f9;color:#1d2330}
main{max-width:36rem;padding:2rem;background:#fff;border:1px solid #dde1e8;border-radius:10px}
h1{font-size:1.3rem;margin-top:0}code{background:#eef0f4;padding:.1em .3em;border-radius:4px;white-space:nowrap}
@media (prefers-color-scheme:dark){body{background:#15181e;color:#e4e7ee}main{background:#1d2129;border-color:#303644}code{background:#2a303b}}
</style></head>
<body><main data-testid="token-changed">
<h1>${tokenChangedTitle}</h1>
<p>This tab does not carry the token the server now expects: <code>studio serve</code> was
restarted (each start makes a new token), or another server now uses this port.</p>
<p><strong>To get back in</strong>, open the URL that <code>studio serve</code> printed in its
terminal: it ends in <code>?token=…</code>. Your datasets, runs and exports are kept in the
workspace and are all still there.</p>
<p>To keep one address across restarts, start it with
<code>studio serve --token-file FILE</code>: the token is kept in FILE.</p>
</main></body></html>
`

/** Whether a request is a page load (a browser navigation) rather than a script's fetch. */
export function wantsPage(accept: string | undefined): boolean {
  return accept?.includes('text/html') ?? false
}

export function sendTokenChangedPage(res: ServerResponse): void {
  res.writeHead(401, {
    ...baseHeaders,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(page),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  })
  res.end(page)
}
