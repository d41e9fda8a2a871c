import { onBeforeUnmount, onMounted } from 'vue'

const isMac = /Mac|iPhone|iPad/.test(navigator.platform)

/** The label of the platform's command key, for hints next to buttons. */
export const commandKey = isMac ? '⌘' : 'Ctrl+'

/** Runs `action` on Ctrl+key (Cmd+key on macOS) while the component is mounted. */
export function useCommandShortcut(key: string, action: () => void): void {
  function handle(event: KeyboardEvent): void {
    const command = isMac ? event.metaKey : event.ctrlKey
    if (!command || event.altKey || event.shiftKey || event.key.toLowerCase() !== key) return
    event.preventDefault()
    action()
  }
  onMounted(() => window.addEventListener('keydown', handle))
  onBeforeUnmount(() => window.removeEventListener('keydown', handle))
}

/** Runs `action` on a plain key while the component is mounted, unless the user is typing. */
export function useKeyShortcut(key: string, action: () => void): void {
  function handle(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey || event.key !== key) return
    const target = event.target as HTMLElement | null
    // nor in a dialog: its Esc must reach the dialog, not be taken by the page below
    if (target?.closest('input, textarea, select, [contenteditable="true"], dialog')) return
    event.preventDefault()
    action()
  }
  onMounted(() => window.addEventListener('keydown', handle))
  onBeforeUnmount(() => window.removeEventListener('keydown', handle))
}
