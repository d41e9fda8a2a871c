"""Peer for `npm run bench -- decode`: reconstruction throughput of the same autoencoder in PyTorch.

usage: torch_decode.py IMAGES_IDX_GZ [IMAGES_IDX_GZ…] --model dense|conv --batch N --repeats R
One CPU thread, freshly initialised weights (speed does not depend on training), inference mode.
Each pass: uint8 rows → floats in [0, 1] → model → bytes (round, uint8), as studio's
reconstructRows, over every image of the files.
prints {"imagesPerSec": [one per repeat], "images": N}
"""
import argparse
import gzip
import json
import time

import numpy as np
import torch

torch.set_num_threads(1)  # as the training peer: its fastest setting on this 2-core machine
parser = argparse.ArgumentParser()
parser.add_argument("paths", nargs="+")
parser.add_argument("--model", choices=["dense", "conv"], default="dense")
parser.add_argument("--batch", type=int, default=1024)
parser.add_argument("--repeats", type=int, default=2)
args = parser.parse_args()

parts = []
for path in args.paths:
    with gzip.open(path) as f:
        parts.append(np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784))
pixels = torch.from_numpy(np.concatenate(parts))
n = pixels.shape[0]

nn = torch.nn
torch.manual_seed(1)
if args.model == "dense":
    model = nn.Sequential(
        nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 32),
        nn.Linear(32, 256), nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid(),
    )
else:
    model = nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 32, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 32),
        nn.Linear(32, 64 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
        nn.Upsample(scale_factor=2), nn.Conv2d(64, 32, 3, padding=1), nn.ReLU(),
        nn.Upsample(scale_factor=2), nn.Conv2d(32, 1, 3, padding=1), nn.Sigmoid(),
        nn.Flatten(),
    )
model.eval()

rates = []
with torch.inference_mode():
    for _ in range(args.repeats):
        out = torch.empty((n, 784), dtype=torch.uint8)
        start = time.perf_counter()
        for i in range(0, n, args.batch):
            x = pixels[i:i + args.batch].float().div_(255)
            out[i:i + args.batch] = model(x).mul_(255).round_().to(torch.uint8)
        rates.append(n / (time.perf_counter() - start))
print(json.dumps({"imagesPerSec": rates, "images": n}))
