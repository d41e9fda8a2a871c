import { defineStore } from 'pinia'
import { ref } from 'vue'

export type ToastKind = 'success' | 'error' | 'info'

export interface Toast {
  id: number
  kind: ToastKind
  message: string
  /** a web page to follow (opened in the system's browser by the desktop app) */
  link?: { label: string; url: string }
}

const lifetimeMs: Record<ToastKind, number> = { success: 6000, info: 6000, error: 10000 }
/** a toast with a link stays long enough to be followed */
const linkLifetimeMs = 30000

/** Short messages in the corner that go away by themselves. */
export const useToasts = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([])
  let nextId = 1

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((toast) => toast.id !== id)
  }

  function show(message: string, kind: ToastKind = 'info', link?: Toast['link']): void {
    const id = nextId++
    toasts.value = [...toasts.value.slice(-3), { id, kind, message, ...(link ? { link } : {}) }]
    setTimeout(() => dismiss(id), link ? linkLifetimeMs : lifetimeMs[kind])
  }

  return { toasts, show, dismiss }
})
