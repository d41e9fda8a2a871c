import { defineStore } from 'pinia'
import { ref } from 'vue'

export type ToastKind = 'success' | 'error' | 'info'

export interface Toast {
  id: number
  kind: ToastKind
  message: string
}

const lifetimeMs: Record<ToastKind, number> = { success: 6000, info: 6000, error: 10000 }

/** Short messages in the corner that go away by themselves. */
export const useToasts = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([])
  let nextId = 1

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((toast) => toast.id !== id)
  }

  function show(message: string, kind: ToastKind = 'info'): void {
    const id = nextId++
    toasts.value = [...toasts.value.slice(-3), { id, kind, message }]
    setTimeout(() => dismiss(id), lifetimeMs[kind])
  }

  return { toasts, show, dismiss }
})
