// A run's model as ONNX (docs/data.md, "Data out"; docs/python.md for loading it): encoder.onnx and
// decoder.onnx, built by onnx-graph.ts from the same checkpoint and layer plan as the tfjs export,
// each with its inputs, outputs, shapes and pixel scaling in the model's metadata_props.
import { join } from 'node:path'
// onnx-proto is CommonJS: under Node's ESM only its default export is there to import
import onnxProto, { type onnx } from 'onnx-proto'
import { staged, stepDone, type ExportProgress } from './files'
import { onnxOpset, partGraph, type GraphPort } from './onnx-graph'
import { modelPlan, type ModelSource } from './tfjs-model'

const proto = onnxProto.onnx

export const onnxFiles = { encoder: 'encoder.onnx', decoder: 'decoder.onnx' } as const

/** The two models' bytes and the metadata each carries. */
export function onnxModels(source: ModelSource): Record<'encoder' | 'decoder', Uint8Array> {
  const { checkpoint, config, dataset } = source
  const channels = dataset.channels === 'rgb' ? 3 : 1
  const image: [number, number, number] = [dataset.height, dataset.width, channels]
  const plan = modelPlan(config, image, checkpoint, source.runId)
  const pixels: GraphPort = { name: 'pixels', size: dataset.width * dataset.height * channels }
  const variational = config.variational !== null
  const latent = config.latent
  const codes: GraphPort[] = variational
    ? [
        { name: 'mean', size: latent },
        { name: 'log_var', size: latent },
      ]
    : [{ name: 'code', size: latent }]
  const layout = `${dataset.height}×${dataset.width}×${channels} (height, width, channels) row-major, channels last, flattened to ${pixels.size} numbers per row`
  const scaling = 'each pixel byte / 255, in [0, 1]'
  const common = {
    'studio.run': `${source.runId} ${source.runName}`,
    'studio.checkpoint': `${source.checkpointKind}, epoch ${checkpoint.epoch}`,
    'studio.dataset': `${dataset.name} (${dataset.width}×${dataset.height} ${dataset.channels})`,
    'studio.config': JSON.stringify(config),
  }
  const encoderMeta = {
    ...common,
    inputs: 'pixels',
    'pixels.shape': `[batch, ${pixels.size}]`,
    'pixels.layout': layout,
    'pixels.scaling': scaling,
    outputs: codes.map((c) => c.name).join(', '),
    ...(variational
      ? {
          'mean.shape': `[batch, ${latent}]: the mean of q(z|x), the code the app shows`,
          'log_var.shape': `[batch, ${latent}]: the log-variance of q(z|x)`,
        }
      : { 'code.shape': `[batch, ${latent}]` }),
  }
  const decoderMeta = {
    ...common,
    inputs: 'code',
    'code.shape': `[batch, ${latent}]`,
    outputs: 'pixels',
    'pixels.shape': `[batch, ${pixels.size}]`,
    'pixels.layout': layout,
    'pixels.scaling': `reconstructed pixels in [0, 1] (sigmoid); × 255 for bytes`,
  }
  const decoderInput: GraphPort = { name: 'code', size: latent }
  return {
    encoder: modelBytes(
      partGraph('encoder', plan.encoder, checkpoint.weights, pixels, codes),
      encoderMeta,
      'The encoder of an Autoencoder Studio run: pixels to codes.',
    ),
    decoder: modelBytes(
      partGraph('decoder', plan.decoder, checkpoint.weights, decoderInput, [pixels]),
      decoderMeta,
      'The decoder of an Autoencoder Studio run: codes to pixels.',
    ),
  }
}

function modelBytes(
  graph: onnx.IGraphProto,
  metadata: Record<string, string>,
  docString: string,
): Uint8Array {
  const model = proto.ModelProto.create({
    irVersion: proto.Version.IR_VERSION_2020_5_8,
    opsetImport: [{ domain: '', version: onnxOpset }],
    producerName: 'Autoencoder Studio',
    docString,
    graph,
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  })
  return proto.ModelProto.encode(model).finish()
}

/** Writes encoder.onnx and decoder.onnx into `folder`; returns the paths written. */
export function exportOnnx(
  folder: string,
  source: ModelSource,
  overwrite = false,
  progress: ExportProgress = {},
): Promise<string[]> {
  progress.onProgress?.({ done: 0, total: 3 })
  const models = onnxModels(source)
  return staged(async (staging) => {
    stepDone(progress, 1, 3)
    for (const [i, part] of (['encoder', 'decoder'] as const).entries()) {
      await staging.write(join(folder, onnxFiles[part]), models[part])
      stepDone(progress, i + 2, 3)
    }
  }, overwrite)
}
