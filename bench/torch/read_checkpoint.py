"""Reads a checkpoint written by this project into PyTorch, with no safetensors package: the
format is 8 bytes of header length, a JSON header and raw little-endian data, so a few lines of
numpy suffice. Loads the model tensors into an nn.Module with the same state_dict names and
reports the accuracy on the digits CSV, to show that the file is usable outside .NET.

    /usr/bin/python3 bench/torch/read_checkpoint.py digits-output/checkpoints/last.safetensors samples/Digits/data/digits.csv.gz
"""
import gzip
import json
import struct
import sys

import numpy as np
import torch

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32, "BF16": None}


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    base = 8 + length
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[base + begin:base + end], dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors, metadata


class DigitsClassifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(64, 128)
        self.output = torch.nn.Linear(128, 10)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x)))


def main(checkpoint, csv):
    tensors, metadata = load(checkpoint)
    # Trainer checkpoints also hold optimizer state, named with a '/'; the model's tensors are the rest.
    state = {k: v for k, v in tensors.items() if "/" not in k}
    print(f"{len(tensors)} tensors ({len(state)} model), metadata keys: {sorted(metadata)}")
    model = DigitsClassifier()
    print(model.load_state_dict(state, strict=True))
    rows = np.loadtxt(gzip.open(csv, "rt"), delimiter=",", dtype=np.float32)
    x, y = torch.from_numpy(rows[:, :64] / 16), torch.from_numpy(rows[:, 64].astype(np.int64))
    with torch.no_grad():
        accuracy = (model(x).argmax(1) == y).float().mean().item()
    print(f"accuracy on all {len(y)} digits: {accuracy:.4f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
