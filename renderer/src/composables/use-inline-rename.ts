// Inline rename of a list row (datasets, runs): Enter saves, Esc cancels, errors shown in place.
import { nextTick, ref, type Ref } from 'vue'
import { errorData } from '../api'

export function useInlineRename(options: {
  /** the current name */
  current: () => string
  save: (name: string) => Promise<unknown>
  /** shown when the name is left empty, e.g. "A run needs a name." */
  emptyMessage: string
}) {
  const editing = ref(false)
  const draft = ref('')
  const saving = ref(false)
  const renameError = ref<string | null>(null)
  const input: Ref<HTMLInputElement | null> = ref(null)

  async function startRename(): Promise<void> {
    draft.value = options.current()
    renameError.value = null
    editing.value = true
    await nextTick()
    input.value?.focus()
    input.value?.select()
  }

  function cancelRename(): void {
    editing.value = false
    renameError.value = null
  }

  async function saveRename(): Promise<void> {
    if (!editing.value || saving.value) return
    const name = draft.value.trim()
    if (name === options.current()) return cancelRename()
    if (!name) {
      renameError.value = options.emptyMessage
      return
    }
    saving.value = true
    try {
      await options.save(name)
      cancelRename()
    } catch (caught) {
      renameError.value = errorData(caught).message
    } finally {
      saving.value = false
    }
  }

  function onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault()
      void saveRename()
    } else if (event.key === 'Escape') {
      event.preventDefault()
      cancelRename()
    }
  }

  return {
    editing,
    draft,
    saving,
    renameError,
    input,
    startRename,
    cancelRename,
    saveRename,
    onKeydown,
  }
}
