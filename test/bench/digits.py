# The second labelled set of the cluster bench's refinement check: scikit-learn's handwritten
# digits (1,797 images of 8×8, 17 grey levels), shipped inside the package, nothing downloaded.
# Prints one JSON object: the pixels in [0, 1], row by row, and the labels.
import json

from sklearn.datasets import load_digits

digits = load_digits()
pixels = (digits.data / 16.0).round(6).tolist()
print(json.dumps({"pixels": pixels, "labels": digits.target.tolist()}))
