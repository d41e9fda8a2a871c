"""Peer for `npm run bench -- cluster`: N2D's own pipeline, trained for as many epochs as ours.

usage: n2d_reference.py FASHION_DIR EPOCHS SEED RUNS

The autoencoder is N2D's (McConville et al., its published code): d-500-500-2000-10, ReLU, a
linear code and a linear output, Keras's initialisation (Glorot-uniform weights, zero biases),
MSE, Adam at 0.001, batches of 256, on all 70,000 images; here in PyTorch on one thread (two ran
slower on this machine). Then, per seed, umap-learn (n_neighbors 20, min_dist 0, 10 dimensions)
of the codes and scikit-learn's full-covariance GaussianMixture there.
prints one JSON object last: {"trainSeconds": …, "runs": [{"acc", "nmi", "ari", "seconds"}, …]}
"""
import json
import sys
import time

import numpy as np
import torch
import umap
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.mixture import GaussianMixture

from sklearn_cluster import accuracy, fashion


def autoencoder(dims):
    def stack(sizes):
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers.append(torch.nn.ReLU())
        return torch.nn.Sequential(*layers)

    encoder, decoder = stack(dims), stack(dims[::-1])
    for layer in [*encoder, *decoder]:
        if isinstance(layer, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(layer.weight)
            torch.nn.init.zeros_(layer.bias)
    return encoder, decoder


def main():
    directory, epochs, seed, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    x, labels = fashion(directory)
    data = torch.from_numpy(x)
    encoder, decoder = autoencoder([784, 500, 500, 2000, 10])
    model = torch.nn.Sequential(encoder, decoder)
    optimiser = torch.optim.Adam(model.parameters(), lr=0.001)
    started = time.perf_counter()
    for epoch in range(epochs):
        order = torch.randperm(len(data))
        for i in range(0, len(data), 256):
            batch = data[order[i : i + 256]]
            loss = ((model(batch) - batch) ** 2).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        print(f"epoch {epoch + 1}: mse {loss.item():.5f}", file=sys.stderr, flush=True)
    with torch.no_grad():
        codes = encoder(data).numpy()
    train_seconds = time.perf_counter() - started
    results = []
    for r in range(runs):
        started = time.perf_counter()
        layout = umap.UMAP(
            n_neighbors=20, min_dist=0.0, n_components=10, metric="euclidean", random_state=seed + r
        ).fit_transform(codes)
        clusters = GaussianMixture(
            n_components=10, covariance_type="full", random_state=seed + r
        ).fit_predict(layout)
        results.append(
            {
                "acc": accuracy(labels, clusters),
                "nmi": normalized_mutual_info_score(labels, clusters),
                "ari": adjusted_rand_score(labels, clusters),
                "seconds": time.perf_counter() - started,
            }
        )
    print(json.dumps({"trainSeconds": train_seconds, "runs": results}))


if __name__ == "__main__":
    main()
