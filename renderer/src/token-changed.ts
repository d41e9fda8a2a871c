// What a tab shows when `studio serve` no longer accepts its token (it was restarted with a new
// one): how to get back in, instead of an endless "retrying". Plain DOM, so it shows whatever
// state the app was in; the server's own page (main/serve/token-page.ts) says the same on reload.
export function showTokenChanged(): void {
  if (document.querySelector('[data-testid="token-changed"]')) return
  const page = document.createElement('main')
  page.dataset.testid = 'token-changed'
  page.setAttribute('role', 'alertdialog')
  page.setAttribute('aria-labelledby', 'token-changed-title')
  page.className = 'token-changed'
  const title = document.createElement('h1')
  title.id = 'token-changed-title'
  title.textContent = 'The access token changed'
  const why = document.createElement('p')
  why.textContent =
    'studio serve was restarted (each start makes a new token), or another server now uses this ' +
    'port: this tab can no longer reach the app.'
  const how = document.createElement('p')
  how.innerHTML =
    '<strong>To get back in</strong>, open the URL that <code>studio serve</code> printed in ' +
    'its terminal: it ends in <code>?token=…</code>. Your datasets, runs and exports are kept ' +
    'in the workspace.'
  const keep = document.createElement('p')
  keep.innerHTML =
    'To keep one address across restarts, start it with <code>studio serve --token-file FILE</code>.'
  page.append(title, why, how, keep)
  const style = document.createElement('style')
  style.textContent = `
    .token-changed { position: fixed; inset: 0; z-index: 10000; display: flex; flex-direction: column;
      justify-content: center; gap: 0.25rem; padding: 2rem max(2rem, calc(50vw - 20rem));
      background: var(--surface, #fff); color: var(--text, #1d2330); font: 16px/1.5 system-ui, sans-serif; }
    .token-changed h1 { font-size: 1.4rem; margin: 0 0 0.5rem; }
    .token-changed p { margin: 0.25rem 0; }
    .token-changed code { background: var(--surface-sunken, #eef0f4); padding: 0.1em 0.3em; border-radius: 4px; white-space: nowrap; }`
  document.head.append(style)
  document.body.append(page)
}
