// Delete after confirmation: which item is being asked about, the request in flight, its error.
import { ref, type Ref } from 'vue'
import { errorData } from '../api'
import { useToasts } from '../stores/use-toasts'

export function useConfirmedDelete<T extends { id: number; name: string }>(
  remove: (id: number) => Promise<unknown>,
) {
  const toasts = useToasts()
  const toDelete = ref(null) as Ref<T | null>
  const deleting = ref(false)
  const deleteError = ref<string | null>(null)

  function askDelete(item: T): void {
    toDelete.value = item
    deleteError.value = null
  }

  async function confirmDelete(): Promise<void> {
    const item = toDelete.value
    if (!item) return
    deleting.value = true
    try {
      await remove(item.id)
      toDelete.value = null
      toasts.show(`Deleted “${item.name}”`, 'info')
    } catch (caught) {
      deleteError.value = errorData(caught).message
    } finally {
      deleting.value = false
    }
  }

  return { toDelete, deleting, deleteError, askDelete, confirmDelete }
}
