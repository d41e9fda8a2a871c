// The few lines of Python that load each export (docs/python.md holds the same, each checked
// there): shown in the export dialog under the format the user chose. Plain strings: the
// renderer imports this file.

export type SnippetKind = 'embeddings' | 'projector' | 'model' | 'onnx'
export type SnippetFormat = 'csv' | 'npy' | 'json' | 'parquet'

/** The snippet for an export named `name` (a file, or the folder of a model). */
export function pythonSnippet(kind: SnippetKind, format: SnippetFormat, name: string): string {
  if (kind === 'onnx')
    return `import numpy as np, onnxruntime as ort
encoder = ort.InferenceSession('${name}/encoder.onnx')
decoder = ort.InferenceSession('${name}/decoder.onnx')
# images: N×H×W×C uint8, channels last (a PyTorch N×C×H×W batch: x.permute(0, 2, 3, 1))
pixels = images.reshape(len(images), -1).astype(np.float32) / 255
codes = encoder.run(None, {'pixels': pixels})[0]  # a VAE gives [mean, log_var]
reconstructions = decoder.run(None, {'code': codes})[0]  # N × H·W·C, in [0, 1]`
  if (kind === 'model')
    return `import json, numpy as np, keras  # Keras 3, any backend
def load(folder):
    spec = json.load(open(f'{folder}/model.json'))
    model = keras.models.model_from_json(json.dumps(spec['modelTopology']))
    flat = np.fromfile(f'{folder}/weights.bin', dtype='<f4')
    shapes = [w['shape'] for w in spec['weightsManifest'][0]['weights']]
    sizes = np.cumsum([0] + [int(np.prod(s)) for s in shapes])
    model.set_weights([flat[a:b].reshape(s) for a, b, s in zip(sizes, sizes[1:], shapes)])
    return model
encoder, decoder = load('${name}/encoder'), load('${name}/decoder')`
  if (kind === 'projector')
    return `# TensorBoard: tensorboard --logdir ${name}  (the Projector tab)
import pandas as pd
vectors = pd.read_csv('${name}/vectors.tsv', sep='\\t', header=None).to_numpy('float32')
metadata = pd.read_csv('${name}/metadata.tsv', sep='\\t')`
  switch (format) {
    case 'parquet':
      return `import numpy as np, pandas as pd, torch
table = pd.read_parquet('${name}')  # id, path, label, cluster…, error, code, x, y…
codes = np.stack(table['code'].to_numpy()).astype(np.float32)  # N × z, in item order
dataset = torch.utils.data.TensorDataset(torch.from_numpy(codes))`
    case 'npy':
      return `import numpy as np, pandas as pd, torch
codes = np.load('${name}')  # float32, N × z
items = pd.read_csv('${name.replace(/\.npy$/i, '')}.labels.csv', keep_default_na=False)  # same rows
codes_t = torch.from_numpy(codes)`
    case 'json':
      return `import json, numpy as np
rows = json.load(open('${name}', encoding='utf-8'))['rows']
codes = np.array([r['code'] for r in rows], dtype=np.float32)`
    case 'csv':
      return `import pandas as pd
table = pd.read_csv('${name}', keep_default_na=False)  # path, label, error, z0…
codes = table.filter(regex=r'^z\\d+$').to_numpy('float32')`
  }
}
