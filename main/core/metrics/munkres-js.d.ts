// munkres-js ships no types; this is the part of its API the clustering metrics use.
declare module 'munkres-js' {
  /** The minimum-cost assignment of a (possibly rectangular) cost matrix, as [row, column] pairs. */
  function munkres(costMatrix: number[][]): [number, number][]
  export default munkres
}
