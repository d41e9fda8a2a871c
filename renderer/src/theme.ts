// The colour theme: light, dark, or the system's, chosen in the sidebar and kept in
// localStorage. The root element carries the resolved theme (data-theme="light" | "dark"),
// which styles/tokens.css keys its colours on; canvases redraw through onThemeChange.
import { ref, watch } from 'vue'

export type ThemeChoice = 'system' | 'light' | 'dark'
const key = 'studio-theme'
const darkQuery = window.matchMedia('(prefers-color-scheme: dark)')

function stored(): ThemeChoice {
  const value = localStorage.getItem(key)
  return value === 'light' || value === 'dark' ? value : 'system'
}

/** What the user chose; setting it applies and persists it. */
export const themeChoice = ref<ThemeChoice>(stored())

function apply(): void {
  const dark = themeChoice.value === 'system' ? darkQuery.matches : themeChoice.value === 'dark'
  document.documentElement.dataset.theme = dark ? 'dark' : 'light'
}

const listeners = new Set<() => void>()
function changed(): void {
  apply()
  for (const listener of listeners) listener()
}

apply()
darkQuery.addEventListener('change', changed)
watch(themeChoice, (choice) => {
  if (choice === 'system') localStorage.removeItem(key)
  else localStorage.setItem(key, choice)
  changed()
})

/** Calls `listener` whenever the colours change (a choice, or the system's switch); unsubscribes. */
export function onThemeChange(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
