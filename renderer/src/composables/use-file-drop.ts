import { onBeforeUnmount, onMounted, ref } from 'vue'
import { dragHasFiles } from '../file-transfer'

/**
 * Makes the whole window a drop target for files and folders: `dragging` is true while files
 * are held over it, and `onDrop` gets the drop event (read it synchronously).
 */
export function useFileDrop(onDrop: (event: DragEvent) => void) {
  const dragging = ref(false)
  // dragenter/dragleave fire for every child element crossed; count them to know when the drag left.
  let depth = 0

  function enter(event: DragEvent): void {
    if (!dragHasFiles(event)) return
    event.preventDefault()
    depth++
    dragging.value = true
  }

  function over(event: DragEvent): void {
    if (!dragHasFiles(event)) return
    event.preventDefault()
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
    dragging.value = true
  }

  function leave(event: DragEvent): void {
    if (!dragHasFiles(event)) return
    depth = Math.max(0, depth - 1)
    // Leaving the window itself reports no related target.
    if (depth === 0 || event.relatedTarget === null) {
      depth = 0
      dragging.value = false
    }
  }

  function drop(event: DragEvent): void {
    depth = 0
    dragging.value = false
    if (!dragHasFiles(event)) return
    event.preventDefault()
    onDrop(event)
  }

  onMounted(() => {
    window.addEventListener('dragenter', enter)
    window.addEventListener('dragover', over)
    window.addEventListener('dragleave', leave)
    window.addEventListener('drop', drop)
  })
  onBeforeUnmount(() => {
    window.removeEventListener('dragenter', enter)
    window.removeEventListener('dragover', over)
    window.removeEventListener('dragleave', leave)
    window.removeEventListener('drop', drop)
  })

  return { dragging }
}
