"""Peer for test/bench/umap.bench.ts: umap-learn on the first N Fashion-MNIST training images.

usage: umap_learn.py IMAGES_IDX_GZ N NEIGHBORS MIN_DIST OUT_F32 [SEED|none]
Writes the N×2 layout as raw float32 to OUT_F32; prints one JSON line last.
"""
import gzip
import json
import sys
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore")


def main() -> None:
    path, n, neighbors, min_dist, out = sys.argv[1:6]
    seed = None if len(sys.argv) < 7 or sys.argv[6] == "none" else int(sys.argv[6])
    n, neighbors, min_dist = int(n), int(neighbors), float(min_dist)
    with gzip.open(path, "rb") as f:
        raw = f.read()
    count, rows, cols = np.frombuffer(raw[4:16], dtype=">u4")
    images = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(count, rows * cols)
    x = (images[:n].astype(np.float32) / 255.0).copy()

    import umap  # imported after reading, so its import time is not in either figure

    # numba compiles on first use: warm up NN-descent (used from 4,096 rows) and the layout
    rng = np.random.default_rng(0)
    warm = rng.random((4200, 8), dtype=np.float32)
    umap.UMAP(n_neighbors=neighbors, min_dist=min_dist, n_epochs=5, random_state=seed).fit(warm)

    started = time.perf_counter()
    cpu = time.process_time()
    layout = umap.UMAP(
        n_neighbors=neighbors, min_dist=min_dist, n_components=2, random_state=seed
    ).fit_transform(x)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    np.ascontiguousarray(layout, dtype=np.float32).tofile(out)
    print(json.dumps({"seconds": seconds, "cpu": cpu, "n": n, "version": umap.__version__}))


if __name__ == "__main__":
    main()
