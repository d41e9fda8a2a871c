"""Peer for `npm run bench -- train`: the same autoencoder in PyTorch on one CPU thread.

usage: torch_train.py IMAGES_IDX_GZ dense|conv|conv64 HIDDEN LATENT EPOCHS BATCH SEED [ROWS [DEVICE]]
conv: 3×3 stride-2 convs of 32 and 64 channels, a linear code, and a decoder of dense → 7×7×64,
then (nearest ×2, 3×3 conv) to 32 channels and to 1, as studio's conv model.
conv64: the same on 64×64 RGB images made from the first ROWS as train.bench.ts makes them
(nearest-neighbour enlarged, r = s, g = (s + 4x) >> 1, b = (s + 4y) >> 1); 16×16×64 at the code.
ROWS: the first images only (default all); DEVICE: cpu (default) or cuda.
prints {"samplesPerSec": …, "seconds": …, "mse": …} — mse: mean per-pixel squared error on the
training images after the last epoch, as `studio train` reports it; on cuda also "gpu", its name.
"""
import gzip
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)  # its fastest setting on this 2-core machine
path, kind = sys.argv[1], sys.argv[2]
hidden, latent, epochs, batch, seed = map(int, sys.argv[3:8])
rows = int(sys.argv[8]) if len(sys.argv) > 8 else None
device = sys.argv[9] if len(sys.argv) > 9 else "cpu"
if device == "cuda" and not torch.cuda.is_available():
    sys.exit("PyTorch has no CUDA device here")
torch.manual_seed(seed)
with gzip.open(path) as f:
    raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 28, 28)[:rows]
if kind == "conv64":
    idx = np.arange(64) * 28 // 64
    s = raw[:, idx][:, :, idx].astype(np.int32)  # n × 64 × 64
    g = (s + 4 * np.arange(64)[None, None, :]) >> 1
    b = (s + 4 * np.arange(64)[None, :, None]) >> 1
    images = np.stack([s, g, b], axis=-1)  # n × 64 × 64 × 3, as studio's pixel layout
    side, channels = 64, 3
else:
    images, side, channels = raw, 28, 1
size = side * side * channels
x = torch.from_numpy(images.reshape(-1, size).astype(np.float32) / 255.0).to(device)
n = x.shape[0]

nn = torch.nn


class Permute(nn.Module):
    def __init__(self, *order):
        super().__init__()
        self.order = order

    def forward(self, t):
        return t.permute(*self.order)


if kind == "dense":
    model = nn.Sequential(
        nn.Linear(size, hidden), nn.ReLU(),
        nn.Linear(hidden, latent),
        nn.Linear(latent, hidden), nn.ReLU(),
        nn.Linear(hidden, size), nn.Sigmoid(),
    )
else:
    q = side // 4
    model = nn.Sequential(
        # studio keeps pixels height × width × channels; PyTorch's convs want channels first
        nn.Unflatten(1, (side, side, channels)), Permute(0, 3, 1, 2),
        nn.Conv2d(channels, 32, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
        nn.Flatten(), nn.Linear(64 * q * q, latent),
        nn.Linear(latent, 64 * q * q), nn.ReLU(), nn.Unflatten(1, (64, q, q)),
        nn.Upsample(scale_factor=2), nn.Conv2d(64, 32, 3, padding=1), nn.ReLU(),
        nn.Upsample(scale_factor=2), nn.Conv2d(32, channels, 3, padding=1), nn.Sigmoid(),
        Permute(0, 2, 3, 1), nn.Flatten(),
    )
optimizer = torch.optim.Adam(model.to(device).parameters(), lr=1e-3)
start = time.perf_counter()
for epoch in range(epochs):
    order = torch.randperm(n, device=device)
    for i in range(0, n, batch):
        xb = x[order[i:i + batch]]
        # ½‖x − x̂‖², batch mean, as docs/models.md, "Reconstruction"
        loss = 0.5 * ((model(xb) - xb) ** 2).sum() / xb.shape[0]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
if device == "cuda":
    torch.cuda.synchronize()
seconds = time.perf_counter() - start
with torch.no_grad():
    mse = sum(((model(x[i:i + 4096]) - x[i:i + 4096]) ** 2).sum().item() for i in range(0, n, 4096)) / (n * size)
result = {"samplesPerSec": n * epochs / seconds, "seconds": seconds, "mse": mse}
if device == "cuda":
    result["gpu"] = torch.cuda.get_device_name()
print(json.dumps(result))
