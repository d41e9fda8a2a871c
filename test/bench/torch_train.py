"""Peer for `npm run bench -- train`: the same dense autoencoder in PyTorch on one CPU thread.

usage: torch_train.py IMAGES_IDX_GZ HIDDEN LATENT EPOCHS BATCH SEED
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
path, hidden, latent, epochs, batch, seed = sys.argv[1], *map(int, sys.argv[2:])
torch.manual_seed(seed)
with gzip.open(path) as f:
    raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
x = torch.from_numpy(raw.reshape(-1, 784).astype(np.float32) / 255.0)
n = x.shape[0]

model = torch.nn.Sequential(
    torch.nn.Linear(784, hidden), torch.nn.ReLU(),
    torch.nn.Linear(hidden, latent),
    torch.nn.Linear(latent, hidden), torch.nn.ReLU(),
    torch.nn.Linear(hidden, 784), torch.nn.Sigmoid(),
)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
start = time.perf_counter()
for epoch in range(epochs):
    order = torch.randperm(n)
    for i in range(0, n, batch):
        xb = x[order[i:i + batch]]
        loss = 0.5 * ((model(xb) - xb) ** 2).sum() / xb.shape[0]  # SPEC.md: ½‖x − x̂‖², batch mean
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
seconds = time.perf_counter() - start
with torch.no_grad():
    mse = sum(((model(x[i:i + 4096]) - x[i:i + 4096]) ** 2).sum().item() for i in range(0, n, 4096)) / (n * 784)
print(json.dumps({"samplesPerSec": n * epochs / seconds, "seconds": seconds, "mse": mse}))
