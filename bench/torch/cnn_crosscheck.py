"""Cross-checks the compiled convolutional networks against PyTorch, as a new user would: the
weights this project wrote as safetensors are loaded into the same model written with torch.nn
(same state_dict names: nn.Conv2d/nn.Conv1d's weight [out, in, k, k] and bias), the same batch is
run, and the loss and every gradient are compared with the ones the compiled program computed.

    /usr/bin/python3 bench/torch/cnn_crosscheck.py params.safetensors batch.safetensors

batch.safetensors holds x (F32 [B, C, H, W]), labels (I32 [B]) and for the sample its dropout
mask (F32 [B, 512], 0 or 1/(1 - p)), one F32 'grad/<name>' per
parameter, and in its metadata the compiled loss and the model ('CnnClassifier', samples/Cnn, or
'TinyCnn' or 'GroupedCnn', tests/Dsl.EndToEnd.Tests/Models/). Prints one line per figure and, last,
'max relative error: <e>' against PyTorch in float64 (the figure the test asserts on).
"""
import sys

import torch
import torch.nn.functional as F
from torch import nn

from crosscheck import report
from read_checkpoint import load


class CnnClassifier(nn.Module):
    """samples/Cnn: conv 16@3x3 pad 1, ReLU, conv 32@3x3 pad 1, ReLU, max pool 2, flatten, dropout
    0.3 (the compiled step's own mask, given: its Philox draws are not torch's), dense 10."""

    def __init__(self, mask):
        super().__init__()
        self.mask = mask
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.output = nn.Linear(32 * 4 * 4, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
        return self.output(torch.flatten(x, 1) * self.mask.to(x.dtype))


class TinyCnn(nn.Module):
    """tests/Dsl.EndToEnd.Tests/Models/TinyCnn.cs, layer for layer."""

    def __init__(self, mask=None):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3, padding=1)
        self.strided = nn.Conv2d(2, 3, 2, stride=2, dilation=2, bias=False)
        self.rows = nn.Conv1d(2, 2, 3, padding=2, stride=3)
        self.head = nn.Linear(4 * 4 * 5, 3)
        self.strided_head = nn.Linear(3 * 2 * 3, 3)
        self.rows_head = nn.Linear(2 * 15, 3)

    def forward(self, x):
        pooled = F.avg_pool2d(F.max_pool2d(torch.tanh(self.conv(x)), 3, stride=2, padding=1), 2, stride=1, padding=1)
        rows = self.rows(x.reshape(x.shape[0], 2, 42))
        return (self.head(torch.flatten(pooled, 1)) + self.strided_head(torch.flatten(self.strided(x), 1))
                + self.rows_head(torch.flatten(rows, 1)))


MODELS = {"CnnClassifier": CnnClassifier, "TinyCnn": TinyCnn}


class GroupedCnn(nn.Module):
    """tests/Dsl.EndToEnd.Tests/Models/GroupedCnn.cs, layer for layer: groups, non-square windows,
    adaptive pooling."""

    def __init__(self, mask=None):
        super().__init__()
        self.grouped = nn.Conv2d(4, 6, (3, 2), groups=2, padding=(1, 0), stride=(1, 2))
        self.depthwise = nn.Conv2d(6, 6, 3, groups=6, padding=1, dilation=(2, 1), bias=False)
        self.rows = nn.Conv1d(4, 4, 3, groups=2, stride=4)
        self.head = nn.Linear(4 * 5 * 1, 3)
        self.global_head = nn.Linear(6, 3)
        self.avg_head = nn.Linear(6 * 3 * 3, 3)
        self.rows_head = nn.Linear(4 * 18, 3)

    def forward(self, x):
        grouped = torch.tanh(self.grouped(x))
        depthwise = self.depthwise(grouped)
        pooled = F.adaptive_avg_pool2d(F.max_pool2d(x, (3, 2), stride=(2, 1), padding=(1, 0)), (5, 1))
        averaged = F.avg_pool2d(grouped, (3, 2), padding=(0, 1))
        rows = self.rows(x.reshape(x.shape[0], 4, 72))
        return (self.head(torch.flatten(pooled, 1)) + self.global_head(torch.flatten(F.adaptive_avg_pool2d(depthwise, 1), 1))
                + self.avg_head(torch.flatten(averaged, 1)) + self.rows_head(torch.flatten(rows, 1)))


MODELS["GroupedCnn"] = GroupedCnn


def run(model_type, state, x, labels, mask, dtype):
    model = model_type(mask).to(dtype)
    model.load_state_dict({k: v.to(dtype) for k, v in state.items()}, strict=True)
    loss = F.cross_entropy(model(x.to(dtype)), labels)
    loss.backward()
    return loss.item(), {name: p.grad for name, p in model.named_parameters()}


def main(params_path, batch_path):
    state, _ = load(params_path)
    batch, metadata = load(batch_path)
    model_type = MODELS[metadata["model"]]
    report(lambda dtype: run(model_type, state, batch["x"], batch["labels"].long(), batch.get("mask"), dtype), batch, metadata)


if __name__ == "__main__":
    main(*sys.argv[1:3])
