// A helper thread of data-parallel training (data-parallel.ts), and of deep clustering's
// refinement. On 'step' it loads the weights the other threads stepped, computes the objective
// (with the cluster term, for deep clustering) and its gradients on its share of the batch and
// shares them; on 'update' it takes the optimiser step for its part of the variables.
import { parentPort, workerData } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs-core'
import { createAutoencoder } from '../models/autoencoder'
import { stepVariables } from '../models/objective'
import { deepMethodPolicies } from '../clustering/deep'
import { useHelperBackend } from './backend'
import { modelSpec } from './config'
import { optimizerFor, readVariables, stepPart, writeTensors } from './data-parallel'
import type { HelperOutcome, HelperReply, HelperRequest, HelperSetup } from './helper-messages'
import { objectiveOf, shareStep } from './step'

const setup = workerData as HelperSetup
const { layout, thread, config, deep } = setup
const policy = deep && deepMethodPolicies[deep.method]
const weights = new Float32Array(setup.weights)
const gradients = setup.gradients.map((buffer) => new Float32Array(buffer))
const objective = objectiveOf(config)
const data = { pixels: setup.pixels, count: 0, size: setup.size, image: setup.image }

const ready = useHelperBackend(setup.backend).then(() => {
  const spec = modelSpec(config, setup.image)
  const model = createAutoencoder(spec, config.seed)
  // DEC and IDEC train the centres too; their values come with the others' from `weights`
  const centroids =
    policy?.centres === 'trained' ? tf.variable(tf.zeros([deep!.k, spec.latent])) : null
  const variables = stepVariables(model, !!policy?.encoderOnly, centroids)
  return { variables, model, centroids, optimizer: optimizerFor(config) }
})
type Helper = Awaited<typeof ready>

/** this step's gradients, kept for the update */
let own: tf.Tensor[] = []
/** whether this thread's own part is loaded (it keeps it from then on) */
let loaded = false
/** room for a share's rows, kept from step to step */
let buffer = new Float32Array(0)

async function step(
  { model, variables, centroids }: Helper,
  { rows, seed, cluster }: Extract<HelperRequest, { type: 'step' }>,
): Promise<HelperOutcome> {
  readVariables(variables, weights, layout, loaded ? layout.parts[thread] : [0, 0])
  loaded = true
  tf.dispose(own)
  if (buffer.length < rows.length * setup.size) buffer = new Float32Array(rows.length * setup.size)
  const helperSeed = (seed + Math.imul(thread, 0x632be5ab)) >>> 0
  const term =
    deep && cluster
      ? {
          method: deep.method,
          weight: deep.weight,
          centroids: centroids ?? cluster.centres!,
          target: cluster.target,
        }
      : undefined
  const { grads, ...values } = await shareStep(
    model,
    data,
    rows,
    buffer,
    config,
    objective,
    helperSeed,
    term,
  )
  own = grads
  writeTensors(own, gradients[thread], layout)
  return values
}

function update({ variables, optimizer }: Helper, threadWeights: number[]): void {
  stepPart(optimizer, variables, own, gradients, threadWeights, thread, layout)
  tf.dispose(own)
  own = []
  writeTensors(variables, weights, layout, layout.parts[thread])
}

parentPort!.on('message', (request: HelperRequest) => {
  void ready
    .then((helper): HelperReply | Promise<HelperReply> => {
      if (request.type === 'step') return step(helper, request)
      update(helper, request.weights)
      return { updated: true }
    })
    .then(
      (reply) => parentPort!.postMessage(reply),
      (error: unknown) =>
        parentPort!.postMessage({
          error: error instanceof Error ? error.message : String(error),
        } satisfies HelperReply),
    )
})
