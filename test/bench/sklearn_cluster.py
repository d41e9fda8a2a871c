"""Peer for `npm run bench -- cluster`: scikit-learn's KMeans on the same arrays as ours.

usage:
  sklearn_cluster.py pca FASHION_DIR OUT_NPY DIMS   writes PCA-DIMS of all 70,000 images (float32)
  sklearn_cluster.py raw FASHION_DIR K N_INIT SEED  KMeans on the raw pixels in [0, 1]
  sklearn_cluster.py speed NPY K N_INIT SEED RUNS   KMeans on the .npy array, timed RUNS times
prints one JSON object last: {"seconds": …} plus acc/nmi/ari/inertia where they apply.
"""
import gzip
import json
import os
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def fashion(directory):
    """All 70,000 images (train then t10k) as float32 in [0, 1], and their labels."""
    images, labels = [], []
    for part in ("train", "t10k"):
        with gzip.open(os.path.join(directory, f"{part}-images-idx3-ubyte.gz")) as f:
            images.append(np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784))
        with gzip.open(os.path.join(directory, f"{part}-labels-idx1-ubyte.gz")) as f:
            labels.append(np.frombuffer(f.read(), dtype=np.uint8, offset=8))
    return np.concatenate(images).astype(np.float32) / 255.0, np.concatenate(labels)


def accuracy(labels, clusters):
    """ACC: the best one-to-one cluster → class matching (Hungarian), as in the DEC paper."""
    table = np.zeros((clusters.max() + 1, labels.max() + 1), dtype=np.int64)
    np.add.at(table, (clusters, labels), 1)
    rows, cols = linear_sum_assignment(-table)
    return table[rows, cols].sum() / len(labels)


def kmeans(x, k, n_init, seed):
    model = KMeans(n_clusters=k, n_init=n_init, random_state=seed, algorithm="lloyd")
    start = time.perf_counter()
    model.fit(x)
    return model, time.perf_counter() - start


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "pca":
        x, _ = fashion(args[0])
        dims = int(args[2])
        centred = x.astype(np.float64) - x.mean(axis=0)
        values, vectors = np.linalg.eigh(centred.T @ centred)
        top = vectors[:, np.argsort(values)[::-1][:dims]]
        np.save(args[1], np.ascontiguousarray((centred @ top).astype(np.float32)))
        print(json.dumps({"shape": [x.shape[0], dims]}))
    elif mode == "raw":
        x, y = fashion(args[0])
        k, n_init, seed = map(int, args[1:4])
        model, seconds = kmeans(x, k, n_init, seed)
        print(json.dumps({
            "seconds": seconds,
            "inertia": float(model.inertia_),
            "acc": float(accuracy(y, model.labels_)),
            "nmi": float(normalized_mutual_info_score(y, model.labels_)),
            "ari": float(adjusted_rand_score(y, model.labels_)),
        }))
    elif mode == "speed":
        x = np.load(args[0])
        k, n_init, seed, runs = map(int, args[1:5])
        times, inertia = [], 0.0
        for run in range(runs):
            model, seconds = kmeans(x, k, n_init, seed + run)
            times.append(seconds)
            inertia = float(model.inertia_)
        print(json.dumps({"seconds": times, "inertia": inertia, "iterations": int(model.n_iter_)}))
    else:
        sys.exit(f"unknown mode {mode}")


# (n2d_reference.py imports fashion() and accuracy() from here)
if __name__ == "__main__":
    main()
