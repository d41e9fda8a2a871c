import { onBeforeUnmount, ref, watch, type Ref } from 'vue'

/** The content box size of an element, kept current with a ResizeObserver. */
export function useElementSize(element: Ref<HTMLElement | null>) {
  const width = ref(0)
  const height = ref(0)
  const observer = new ResizeObserver(([entry]) => {
    width.value = entry.contentRect.width
    height.value = entry.contentRect.height
  })
  watch(
    element,
    (el, previous) => {
      if (previous) observer.unobserve(previous)
      if (el) observer.observe(el)
    },
    { immediate: true },
  )
  onBeforeUnmount(() => observer.disconnect())
  return { width, height }
}
