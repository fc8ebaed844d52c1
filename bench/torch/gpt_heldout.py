"""Measures a samples/Gpt checkpoint on the sample's held-out text in PyTorch, independently of
the project: the parameters are read from the safetensors file the Trainer wrote (by name, as
torch.nn's state_dict), loaded into the same GPT written with torch.nn (gpt_crosscheck.Gpt),
and the mean next-byte cross-entropy over every disjoint 128-byte window of the held-out tail
(bytes [3,930,958, 4,137,850) of samples/Gpt/Data/kjv.txt.gz, the last 5%) is printed in nats
and bits per byte, beside the figure the sample printed for the same checkpoint.

    /usr/bin/python3 bench/torch/gpt_heldout.py CHECKPOINT [--heads 4]
"""
import argparse
import gzip
import math
import os

import torch
import torch.nn.functional as F

from gpt_crosscheck import Gpt, config_of
from read_checkpoint import load

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "samples", "Gpt", "Data", "kjv.txt.gz")
VALIDATION_FRACTION = 0.05


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("checkpoint")
    parser.add_argument("--heads", type=int, default=4)
    args = parser.parse_args()
    tensors, metadata = load(args.checkpoint)
    names = [k for k in tensors if k.startswith(("token_embedding", "position_embedding", "blocks.", "norm.", "head."))]
    state = {k: tensors[k] for k in names}
    config = config_of(state, args.heads)
    model = Gpt(*config).eval()
    model.load_state_dict(state, strict=True)
    context = config[1]

    with gzip.open(CORPUS, "rb") as f:
        text = f.read()
    start = len(text) - int(round(len(text) * VALIDATION_FRACTION))
    tail = torch.tensor(list(text[start:]), dtype=torch.long)
    windows = (len(tail) - 1) // context
    ids = tail[: windows * context].reshape(windows, context)
    targets = tail[1 : windows * context + 1].reshape(windows, context)
    total = 0.0
    with torch.no_grad():
        for b in range(0, windows, 64):
            logits = model(ids[b : b + 64])
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets[b : b + 64].reshape(-1), reduction="sum").item()
    nats = total / (windows * context)
    print(f"held-out bytes [{start:,}, {len(text):,}): {windows:,} windows of {context}")
    print(f"torch: val_loss {nats:.4f} nats = {nats / math.log(2):.3f} bits/byte")


if __name__ == "__main__":
    main()
