import initial from './001-initial'
import duplicatesAndLabelIndex from './002-duplicates-and-label-index'
import runs from './003-runs'
import datasetStats from './004-dataset-stats'
import projections from './005-projections'
import clusterings from './006-clusterings'
import clusteringCertainty from './007-clustering-certainty'
import jobOwners from './008-job-owners'
import tagsAndSelections from './009-tags-and-selections'

/** Ordered, forward-only: migration i brings the schema from user_version i to i + 1. */
export const migrations: readonly string[] = [
  initial,
  duplicatesAndLabelIndex,
  runs,
  datasetStats,
  projections,
  clusterings,
  clusteringCertainty,
  jobOwners,
  tagsAndSelections,
]
