// Runs up to `window` tasks at once and hands their results over in the tasks' order,
// however their work finishes: decodes run in parallel, items are stored in path order.

export async function* inOrder<T>(
  tasks: AsyncIterable<() => T | Promise<T>>,
  window: number,
): AsyncGenerator<T> {
  const pending: Promise<T>[] = []
  try {
    for await (const task of tasks) {
      const started = Promise.resolve().then(task)
      // A failure is rethrown when its turn comes; until then it must not count as unhandled.
      started.catch(() => {})
      pending.push(started)
      while (pending.length >= window) yield await pending.shift()!
    }
    while (pending.length > 0) yield await pending.shift()!
  } finally {
    // Stopped early (cancel, error): let work already started finish before returning.
    await Promise.allSettled(pending)
  }
}
