"""Cross-checks the compiled TinyAttention (tests/Dsl.EndToEnd.Tests/Models/TinyAttention.cs) against
PyTorch, as a new user would: the weights this project wrote as safetensors are loaded into the same
model written with torch.nn (same state_dict names: torch.nn.MultiheadAttention's in_proj_weight,
in_proj_bias, out_proj.weight, out_proj.bias), the same batch is run, and the loss and every gradient
are compared with the ones the compiled program computed (stored beside the batch).

    /usr/bin/python3 bench/torch/tinyattention_crosscheck.py params.safetensors batch.safetensors

batch.safetensors holds ids and next (I32 [B, T]), one F32 'grad/<name>' per parameter, and the
compiled loss in its metadata. Prints one line per figure and, last, 'max relative error: <e>'
against PyTorch in float64 (the figure the test asserts on).
"""
import sys

import torch
import torch.nn.functional as F

from crosscheck import report
from read_checkpoint import load


class TinyAttention(torch.nn.Module):
    def __init__(self, vocab=16, context=8, width=16, heads=2):
        super().__init__()
        self.context = context
        self.token_embedding = torch.nn.Embedding(vocab, width)
        self.position_embedding = torch.nn.Embedding(context, width)
        self.norm = torch.nn.LayerNorm(width)
        self.attention = torch.nn.MultiheadAttention(width, heads, batch_first=True)
        self.head = torch.nn.Linear(width, vocab)

    def forward(self, ids):
        x = self.token_embedding(ids) + self.position_embedding(torch.arange(self.context))
        h = self.norm(x)
        # Position i attends to positions j <= i: True marks the pairs that are masked out.
        mask = torch.triu(torch.ones(self.context, self.context), diagonal=1).bool()
        attended, _ = self.attention(h, h, h, attn_mask=mask, need_weights=False)
        return self.head(x + attended)


def run(state, ids, targets, dtype):
    model = TinyAttention().to(dtype)
    model.load_state_dict({k: v.to(dtype) for k, v in state.items()}, strict=True)
    logits = model(ids)
    # F.cross_entropy over the flattened positions: the mean over B·T, which is the batch mean of
    # the per-example means over T that the DSL's CrossEntropy(logits [T, V], Tokens [T]) gives.
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
    loss.backward()
    return loss.item(), {name: p.grad for name, p in model.named_parameters()}


def main(params_path, batch_path):
    state, _ = load(params_path)
    batch, metadata = load(batch_path)
    ids, targets = batch["ids"].long(), batch["next"].long()
    worst = report(lambda dtype: run(state, ids, targets, dtype), batch, metadata)


if __name__ == "__main__":
    main(*sys.argv[1:3])
