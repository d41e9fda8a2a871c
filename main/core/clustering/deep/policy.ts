// What a deep clustering method is to the refinement loop (clustering/deep-cluster.ts) and to a
// training step (training/train.ts, train.worker.ts): its term and its loop policy. One file
// per method beside this one; index.ts registers them.

export interface DeepMethodPolicy {
  /**
   * the term added to the objective (models/cluster-term.ts): `distance`, λ·‖z − c(z)‖² to the
   * nearest centre; `kl`, KL(P ‖ Q) of the Student-t soft assignment Q to its sharpened target P
   */
  term: 'distance' | 'kl'
  /**
   * how the centres move: `trained` with the network by the optimiser, P recomputed over the
   * whole dataset each epoch; `moved` by an online k-means step after each batch, every image
   * reassigned to its nearest centre each epoch
   */
  centres: 'trained' | 'moved'
  /** trains the encoder alone, on the clean images, with no reconstruction term */
  encoderOnly: boolean
  /** the term's weight where it is fixed, whatever the user gives */
  fixedWeight?: number
  /**
   * the weight is given on the paper's scale, where the reconstruction term is a mean over the
   * image's values; ours is a sum over them (models/objective.ts), so the refinement multiplies
   * the weight by the reconstruction's scale (models/cluster-term.ts, reconstructionScale)
   */
  weightPerValue?: boolean
}
