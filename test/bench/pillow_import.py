"""Peer for `npm run bench -- import`: a plain Pillow loop doing the same decode and resize.

usage: pillow_import.py FOLDER SIZE  -> prints {"images": n, "seconds": s}
"""
import json
import os
import sys
import time

import numpy as np
from PIL import Image, ImageOps

folder, size = sys.argv[1], int(sys.argv[2])
paths = sorted(
    os.path.join(d, f) for d, _, files in os.walk(folder) for f in files if not f.startswith(".")
)
start = time.perf_counter()
images = 0
for path in paths:
    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im).convert("L")
        im = ImageOps.pad(im, (size, size), method=Image.Resampling.LANCZOS, color=0)
        pixels = np.asarray(im, dtype=np.uint8)
        images += pixels.shape[0] > 0
print(json.dumps({"images": images, "seconds": time.perf_counter() - start}))
