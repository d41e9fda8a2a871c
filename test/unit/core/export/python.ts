// Reading exports back with independent readers: Python's numpy and csv modules.
import { spawnSync } from 'node:child_process'

const python = '/usr/bin/python3'

/** Runs a Python script with arguments and parses the JSON it prints. */
export function runPython<T>(script: string, ...args: string[]): T {
  const result = spawnSync(python, ['-c', script, ...args], { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`)
  return JSON.parse(result.stdout) as T
}

export interface LoadedNpy {
  shape: number[]
  dtype: string
  values: number[]
}

/** numpy.load of a file: its shape, dtype ('<f4' and the like) and values, flattened. */
export function numpyLoad(path: string): LoadedNpy {
  return runPython<LoadedNpy>(
    `import json, sys, numpy
a = numpy.load(sys.argv[1])
print(json.dumps({'shape': list(a.shape), 'dtype': a.dtype.str,
  'values': [None if v != v else v for v in a.astype('float64').ravel().tolist()]}))`,
    path,
  )
}

/** The records of a CSV file as Python's csv module reads them. */
export function pythonCsv(path: string): string[][] {
  return runPython<string[][]>(
    `import csv, json, sys
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    print(json.dumps(list(csv.reader(f))))`,
    path,
  )
}
