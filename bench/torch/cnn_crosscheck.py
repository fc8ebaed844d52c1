"""Cross-checks the compiled convolutional networks against PyTorch, as a new user would: the
weights this project wrote as safetensors are loaded into the same model written with torch.nn
(same state_dict names: nn.Conv2d/nn.Conv1d's weight [out, in, k, k] and bias), the same batch is
run, and the loss and every gradient are compared with the ones the compiled program computed.

    /usr/bin/python3 bench/torch/cnn_crosscheck.py params.safetensors batch.safetensors

batch.safetensors holds x (F32 [B, C, H, W]), labels (I32 [B]), one F32 'grad/<name>' per
parameter, and in its metadata the compiled loss and the model ('CnnClassifier', samples/Cnn,
'TinyCnn', 'GroupedCnn', 'TinyBatchNorm', 'BatchNormOptions', 'CumulativeBatchNorm', 'UnevenPool',
'SequencePool' or 'UnevenMaxPool',
tests/Dsl.EndToEnd.Tests/Models/). The loss and gradients
are those of training mode (BatchNorm normalises with the batch's statistics).

For a model with BatchNorm it also holds 'steps' batches ('step<i>/x', 'step<i>/labels') that the
compiled program trained on with Adam (metadata 'learning_rate') from the parameters given, the
buffers it ended with ('after/<name>'), and the logits it then predicted in eval mode for 'eval/x'
('eval/logits'): the script takes the same Adam steps in torch, in train mode, and compares the
running statistics and num_batches_tracked, then the eval-mode logits.

Prints one line per figure and, last, 'max relative error: <e>' against PyTorch in float64 (the
figure the test asserts on).
"""
import sys

import torch
import torch.nn.functional as F
from torch import nn

from crosscheck import report
from read_checkpoint import load


class CnnClassifier(nn.Module):
    """samples/Cnn: conv 16@3x3 pad 1 (no bias), BatchNorm2d, ReLU, conv 32@3x3 pad 1 (no bias),
    BatchNorm2d, ReLU, max pool 2, flatten, dense 10."""

    def __init__(self, mask=None):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1, bias=False)
        self.norm1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1, bias=False)
        self.norm2 = nn.BatchNorm2d(32)
        self.output = nn.Linear(32 * 4 * 4, 10)

    def forward(self, x):
        x = F.relu(self.norm1(self.conv1(x)))
        x = F.max_pool2d(F.relu(self.norm2(self.conv2(x))), 2)
        return self.output(torch.flatten(x, 1))


class TinyCnn(nn.Module):
    """tests/Dsl.EndToEnd.Tests/Models/TinyCnn.cs, layer for layer."""

    def __init__(self, mask=None):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3, padding=1)
        self.strided = nn.Conv2d(4, 3, 2, stride=2, dilation=2, bias=False)
        self.rows = nn.Conv1d(2, 2, 3, padding=2, stride=3)
        self.head = nn.Linear(4 * 4 * 5, 3)
        self.strided_head = nn.Linear(3 * 2 * 3, 3)
        self.rows_head = nn.Linear(2 * 15, 3)

    def forward(self, x):
        activations = torch.tanh(self.conv(x))
        pooled = F.avg_pool2d(F.max_pool2d(activations, 3, stride=2, padding=1), 2, stride=1, padding=1)
        rows = self.rows(x.reshape(x.shape[0], 2, 42))
        return (self.head(torch.flatten(pooled, 1)) + self.strided_head(torch.flatten(self.strided(activations), 1))
                + self.rows_head(torch.flatten(rows, 1)))


class TinyBatchNorm(nn.Module):
    """tests/Dsl.EndToEnd.Tests/Models/TinyBatchNorm.cs, layer for layer."""

    def __init__(self, mask=None):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3, padding=1, bias=False)
        self.norm = nn.BatchNorm2d(3)
        self.rows = nn.BatchNorm1d(2)
        self.hidden = nn.Linear(3 * 5 * 4, 6, bias=False)
        self.hidden_norm = nn.BatchNorm1d(6)
        self.head = nn.Linear(6, 3)
        self.rows_head = nn.Linear(2 * 20, 3)

    def forward(self, x):
        h = F.relu(self.hidden_norm(self.hidden(torch.flatten(F.relu(self.norm(self.conv(x))), 1))))
        return self.head(h) + self.rows_head(torch.flatten(self.rows(x.reshape(x.shape[0], 2, 20)), 1))


MODELS = {"CnnClassifier": CnnClassifier, "TinyCnn": TinyCnn, "TinyBatchNorm": TinyBatchNorm}


def build(model_type, state, mask, dtype):
    model = model_type(mask).to(dtype)
    # num_batches_tracked stays int64, as the file holds it; the floats take the run's dtype.
    model.load_state_dict({k: v.to(dtype) if v.is_floating_point() else v for k, v in state.items()}, strict=True)
    return model


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


class BatchNormOptions(nn.Module):
    """tests/Dsl.EndToEnd.Tests/Models/BatchNormOptions.cs, layer for layer: BatchNorm's eps, momentum,
    affine and track_running_stats arguments."""

    def __init__(self, mask=None):
        super().__init__()
        self.rows = nn.BatchNorm1d(2, eps=1e-3, momentum=0.3, affine=False)
        self.conv = nn.Conv2d(2, 3, 3, padding=1, bias=False)
        self.norm = nn.BatchNorm2d(3, track_running_stats=False)
        self.head = nn.Linear(3 * 5 * 4, 3)
        self.rows_head = nn.Linear(2 * 20, 3)

    def forward(self, x):
        return (self.head(torch.flatten(F.relu(self.norm(self.conv(x))), 1))
                + self.rows_head(torch.flatten(self.rows(x.reshape(x.shape[0], 2, 20)), 1)))


class UnevenPool(nn.Module):
    """tests/Dsl.EndToEnd.Tests/Models/UnevenPool.cs: adaptive average pooling with uneven windows."""

    def __init__(self, mask=None):
        super().__init__()
        self.head = nn.Linear(2 * 3 * 4, 3)
        self.stretch_head = nn.Linear(2 * 4 * 7, 3)

    def forward(self, x):
        return (self.head(torch.flatten(F.adaptive_avg_pool2d(torch.tanh(x), (3, 4)), 1))
                + self.stretch_head(torch.flatten(F.adaptive_avg_pool2d(x, (4, 7)), 1)))


class CumulativeBatchNorm(nn.Module):
    """tests/Dsl.EndToEnd.Tests/Models/CumulativeBatchNorm.cs: BatchNorm with momentum=None (the running
    statistics the plain average of every batch's), over an image and over rows."""

    def __init__(self, mask=None):
        super().__init__()
        self.rows = nn.BatchNorm1d(2, eps=1e-3, momentum=None)
        self.conv = nn.Conv2d(2, 3, 3, padding=1, bias=False)
        self.norm = nn.BatchNorm2d(3, momentum=None)
        self.head = nn.Linear(3 * 4 * 3, 3)
        self.rows_head = nn.Linear(2 * 12, 3)

    def forward(self, x):
        return (self.head(torch.flatten(F.relu(self.norm(self.conv(x))), 1))
                + self.rows_head(torch.flatten(self.rows(x.reshape(x.shape[0], 2, 12)), 1)))


MODELS["BatchNormOptions"] = BatchNormOptions
MODELS["CumulativeBatchNorm"] = CumulativeBatchNorm
MODELS["UnevenPool"] = UnevenPool


class SequencePool(nn.Module):
    """tests/Dsl.EndToEnd.Tests/Models/SequencePool.cs: 1-D pooling and adaptive 1-D pooling (issue 19)."""

    def __init__(self, mask=None):
        super().__init__()
        self.conv = nn.Conv1d(2, 3, 3, padding=1)
        self.head = nn.Linear(3 * 4, 3)
        self.spread_head = nn.Linear(3 * 4, 3)
        self.global_head = nn.Linear(3, 3)
        self.halve_head = nn.Linear(3 * 5, 3)

    def forward(self, x):
        c = self.conv(x)
        h = torch.tanh(c)
        pooled = F.adaptive_max_pool1d(F.avg_pool1d(F.max_pool1d(h, 3, stride=2, padding=1, dilation=2), 2, stride=1, padding=1), 4)
        return (self.head(torch.flatten(pooled, 1)) + self.spread_head(torch.flatten(F.adaptive_avg_pool1d(h, 4), 1))
                + self.global_head(torch.flatten(F.adaptive_avg_pool1d(h, 1), 1)) + self.halve_head(torch.flatten(F.max_pool1d(F.relu(c), 2), 1)))


class UnevenMaxPool(nn.Module):
    """tests/Dsl.EndToEnd.Tests/Models/UnevenMaxPool.cs: adaptive max pooling, uneven windows (issue 19)."""

    def __init__(self, mask=None):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3, padding=1)
        self.head = nn.Linear(3 * 3 * 4, 3)
        self.stretch_head = nn.Linear(3 * 4 * 7, 3)
        self.global_head = nn.Linear(3, 3)
        self.rows_head = nn.Linear(3 * 7, 3)

    def forward(self, x):
        h = torch.tanh(self.conv(x))
        return (self.head(torch.flatten(F.adaptive_max_pool2d(h, (3, 4)), 1)) + self.stretch_head(torch.flatten(F.adaptive_max_pool2d(h, (4, 7)), 1))
                + self.global_head(torch.flatten(F.adaptive_max_pool2d(h, 1), 1)) + self.rows_head(torch.flatten(F.adaptive_max_pool2d(h, (7, 1)), 1)))


MODELS["SequencePool"] = SequencePool
MODELS["UnevenMaxPool"] = UnevenMaxPool


def run(model_type, state, x, labels, mask, dtype):
    model = build(model_type, state, mask, dtype)
    loss = F.cross_entropy(model(x.to(dtype)), labels)
    loss.backward()
    return loss.item(), {name: p.grad for name, p in model.named_parameters()}


def relative(ours, theirs):
    return ((ours.to(torch.float64) - theirs.to(torch.float64)).norm() / theirs.to(torch.float64).norm()).item()


def buffers_and_eval(model_type, state, batch, metadata):
    """The compiled Adam steps retaken in torch (float64, train mode): running statistics, then eval-mode logits."""
    model = build(model_type, state, None, torch.float64)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=float(metadata["learning_rate"]))
    steps = int(metadata["steps"])
    for i in range(steps):
        optimizer.zero_grad()
        F.cross_entropy(model(batch[f"step{i}/x"].to(torch.float64)), batch[f"step{i}/labels"].long()).backward()
        optimizer.step()
    worst = 0.0
    for name, buffer in model.named_buffers():
        ours = batch["after/" + name]
        if name.endswith("num_batches_tracked"):
            print(f"  {name}: torch {buffer.item()}, compiled {int(ours.item())}")
            worst = max(worst, 0.0 if int(ours.item()) == buffer.item() == steps else 1.0)
        else:
            error = relative(ours, buffer)
            print(f"  {name} after {steps} steps: relative error (norm) {error:.2e}")
            worst = max(worst, error)
    model.eval()
    with torch.no_grad():
        error = relative(batch["eval/logits"], model(batch["eval/x"].to(torch.float64)))
    print(f"  eval-mode logits (running statistics): relative error (norm) {error:.2e}")
    return max(worst, error)


def main(params_path, batch_path):
    state, _ = load(params_path)
    batch, metadata = load(batch_path)
    model_type = MODELS[metadata["model"]]
    steps = "steps" in metadata
    worst = report(lambda dtype: run(model_type, state, batch["x"], batch["labels"].long(), batch.get("mask"), dtype), batch, metadata, final=not steps)
    if steps:
        worst = max(worst, buffers_and_eval(model_type, state, batch, metadata))
        print(f"max relative error: {worst:.3e}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
