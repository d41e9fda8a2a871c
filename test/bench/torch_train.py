"""Peer for `npm run bench -- train`: the same autoencoder in PyTorch on one CPU thread.

usage: torch_train.py IMAGES_IDX_GZ dense|conv HIDDEN LATENT EPOCHS BATCH SEED
conv: 3×3 stride-2 convs of 32 and 64 channels, a linear code, and a decoder of dense → 7×7×64,
then (nearest ×2, 3×3 conv) to 32 channels and to 1, as studio's conv model.
prints {"samplesPerSec": …, "seconds": …, "mse": …} — mse: mean per-pixel squared error on the
training images after the last epoch, as `studio train` reports it.
"""
import gzip
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)  # its fastest setting on this 2-core machine
path, kind = sys.argv[1], sys.argv[2]
hidden, latent, epochs, batch, seed = map(int, sys.argv[3:])
torch.manual_seed(seed)
with gzip.open(path) as f:
    raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
x = torch.from_numpy(raw.reshape(-1, 784).astype(np.float32) / 255.0)
n = x.shape[0]

nn = torch.nn
if kind == "dense":
    model = nn.Sequential(
        nn.Linear(784, hidden), nn.ReLU(),
        nn.Linear(hidden, latent),
        nn.Linear(latent, hidden), nn.ReLU(),
        nn.Linear(hidden, 784), nn.Sigmoid(),
    )
else:
    model = nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 32, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
        nn.Flatten(), nn.Linear(64 * 7 * 7, latent),
        nn.Linear(latent, 64 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
        nn.Upsample(scale_factor=2), nn.Conv2d(64, 32, 3, padding=1), nn.ReLU(),
        nn.Upsample(scale_factor=2), nn.Conv2d(32, 1, 3, padding=1), nn.Sigmoid(),
        nn.Flatten(),
    )
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
start = time.perf_counter()
for epoch in range(epochs):
    order = torch.randperm(n)
    for i in range(0, n, batch):
        xb = x[order[i:i + batch]]
        # ½‖x − x̂‖², batch mean, as docs/models.md, "Reconstruction"
        loss = 0.5 * ((model(xb) - xb) ** 2).sum() / xb.shape[0]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
seconds = time.perf_counter() - start
with torch.no_grad():
    mse = sum(((model(x[i:i + 4096]) - x[i:i + 4096]) ** 2).sum().item() for i in range(0, n, 4096)) / (n * 784)
print(json.dumps({"samplesPerSec": n * epochs / seconds, "seconds": seconds, "mse": mse}))
