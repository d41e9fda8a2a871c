// The cluster × label table as heatmap rows: each row shaded by its own largest cell, and the
// rows ordered by the label they hold most of, so a good clustering reads as a diagonal.

export interface HeatRow {
  cluster: number
  cells: { n: number; shade: number }[]
}

/** `counts` is clusters × labels, row-major. */
export function heatRows(counts: readonly number[], clusters: number, labels: number): HeatRow[] {
  const rows = Array.from({ length: clusters }, (_, cluster) => {
    const cells = counts.slice(cluster * labels, (cluster + 1) * labels)
    const top = Math.max(0, ...cells)
    return {
      cluster,
      dominant: top > 0 ? cells.indexOf(top) : labels,
      top,
      cells: cells.map((n) => ({ n, shade: n / Math.max(1, top) })),
    }
  })
  rows.sort((a, b) => a.dominant - b.dominant || b.top - a.top || a.cluster - b.cluster)
  return rows.map(({ cluster, cells }) => ({ cluster, cells }))
}
