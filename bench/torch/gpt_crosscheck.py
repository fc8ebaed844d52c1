"""Cross-checks a compiled GPT (samples/Gpt/Model/Gpt.cs.pending, or a smaller one of the same
shape) against PyTorch, as a new user would: the weights this project wrote as safetensors are
loaded into the same GPT written with torch.nn (same state_dict names), the same batch is run,
and the loss and every gradient are compared with the ones the compiled program computed.

    /usr/bin/python3 bench/torch/gpt_crosscheck.py params.safetensors batch.safetensors [--heads 4]
    /usr/bin/python3 bench/torch/gpt_crosscheck.py --self-test

The torch model: token and learned positional embeddings; per block, pre-LN
x = x + attention(norm1(x)) with torch.nn.MultiheadAttention(d, heads, dropout=0, batch_first=True)
under the causal mask triu(ones(T, T), 1), then x = x + down(gelu(up(norm2(x)))); a final
LayerNorm and a head without bias. No dropout anywhere: the compiled side must be a
dropout-free variant too (its masks are Philox draws torch cannot reproduce). The layer count,
width, context and vocabulary are read from the tensors' shapes; the heads (which no shape
shows) from --heads or the batch file's 'heads' metadata.

batch.safetensors holds ids and next (I32 [B, T]), one F32 'grad/<name>' per parameter, and the
compiled loss in its metadata. Prints one line per figure and, last, 'max relative error: <e>'
against PyTorch in float64 (the figure a test asserts on).

--self-test writes a torch-initialised 2-layer GPT and a batch whose gradients torch computed
in float32 to safetensors (with the writer below), reads them back through the same path a
compiled program's files take, checks every name and shape, and expects a float32-sized error.
"""
import json
import os
import struct
import sys
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crosscheck import report
from read_checkpoint import load  # noqa: E402


class Block(torch.nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.norm1 = torch.nn.LayerNorm(width)
        self.attention = torch.nn.MultiheadAttention(width, heads, dropout=0.0, batch_first=True)
        self.norm2 = torch.nn.LayerNorm(width)
        self.up = torch.nn.Linear(width, 4 * width)
        self.down = torch.nn.Linear(4 * width, width)

    def forward(self, x):
        t = x.shape[1]
        mask = torch.triu(torch.ones(t, t), 1).bool()
        h = self.norm1(x)
        x = x + self.attention(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + self.down(F.gelu(self.up(self.norm2(x))))


class Gpt(torch.nn.Module):
    def __init__(self, vocab=256, context=128, width=128, heads=4, layers=4):
        super().__init__()
        self.context = context
        self.token_embedding = torch.nn.Embedding(vocab, width)
        self.position_embedding = torch.nn.Embedding(context, width)
        self.blocks = torch.nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.norm = torch.nn.LayerNorm(width)
        self.head = torch.nn.Linear(width, vocab, bias=False)

    def forward(self, ids):
        x = self.token_embedding(ids) + self.position_embedding(torch.arange(ids.shape[1]))
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x))


def expected_shapes(vocab, context, width, layers):
    """The state_dict the compiled GPT must write, in its order."""
    shapes = {"token_embedding.weight": [vocab, width], "position_embedding.weight": [context, width]}
    for i in range(layers):
        p = f"blocks.{i}."
        shapes.update({
            p + "norm1.weight": [width], p + "norm1.bias": [width],
            p + "attention.in_proj_weight": [3 * width, width], p + "attention.in_proj_bias": [3 * width],
            p + "attention.out_proj.weight": [width, width], p + "attention.out_proj.bias": [width],
            p + "norm2.weight": [width], p + "norm2.bias": [width],
            p + "up.weight": [4 * width, width], p + "up.bias": [4 * width],
            p + "down.weight": [width, 4 * width], p + "down.bias": [width],
        })
    shapes.update({"norm.weight": [width], "norm.bias": [width], "head.weight": [vocab, width]})
    return shapes


def config_of(state, heads):
    """(vocab, context, width, heads, layers) from the tensors' shapes; fails naming what is wrong."""
    vocab, width = state["token_embedding.weight"].shape
    context = state["position_embedding.weight"].shape[0]
    layers = len({k.split(".")[1] for k in state if k.startswith("blocks.")})
    if width % heads != 0:
        raise SystemExit(f"--heads {heads} does not divide the width {width}")
    want = expected_shapes(vocab, context, width, layers)
    problems = [f"missing {k} {s}" for k, s in want.items() if k not in state]
    problems += [f"unexpected {k}" for k in state if k not in want]
    problems += [f"{k} is {list(state[k].shape)}, expected {s}" for k, s in want.items() if k in state and list(state[k].shape) != s]
    if problems:
        raise SystemExit("the parameters do not form a GPT:\n  " + "\n  ".join(problems))
    return vocab, context, width, heads, layers


def run(state, config, ids, targets, dtype):
    model = Gpt(*config).to(dtype)
    model.load_state_dict({k: v.to(dtype) for k, v in state.items()}, strict=True)
    logits = model(ids)
    # F.cross_entropy over the flattened B·T positions: the batch mean of the per-example means
    # over T that the DSL's CrossEntropy(logits [T, V], Tokens [T]) gives.
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
    loss.backward()
    return loss.item(), {name: p.grad for name, p in model.named_parameters()}


def compare(params_path, batch_path, heads=None):
    tensors, _ = load(params_path)
    state = {k: v for k, v in tensors.items() if "/" not in k}  # Trainer checkpoints add optimizer state under names with '/'
    batch, metadata = load(batch_path)
    config = config_of(state, heads or int(metadata.get("heads", 4)))
    print("GPT: vocab {}, context {}, width {}, heads {}, layers {}; {} tensors".format(*config, len(state)))
    ids, targets = batch["ids"].long(), batch["next"].long()
    return report(lambda dtype: run(state, config, ids, targets, dtype), batch, metadata)


def save(path, tensors, metadata=None):
    """Writes safetensors: 8 bytes of header length, the JSON header (padded to 8), raw little-endian data."""
    dtypes = {np.dtype(np.float32): "F32", np.dtype(np.int32): "I32", np.dtype(np.float64): "F64"}
    header, chunks, offset = {}, [], 0
    for name, array in tensors.items():
        array = np.ascontiguousarray(array)
        data = array.astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": dtypes[array.dtype], "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def self_test():
    torch.manual_seed(0)
    vocab, context, width, heads, layers, batch = 256, 16, 32, 4, 2, 3
    model = Gpt(vocab, context, width, heads, layers)
    ids = torch.randint(0, vocab, (batch, context))
    targets = torch.randint(0, vocab, (batch, context))
    logits = model(ids)
    loss = F.cross_entropy(logits.reshape(-1, vocab), targets.reshape(-1))
    loss.backward()
    names = list(model.state_dict())
    want = expected_shapes(vocab, context, width, layers)
    assert names == list(want), f"torch's state_dict order {names} is not the expected {list(want)}"
    with tempfile.TemporaryDirectory() as folder:
        params, data = os.path.join(folder, "params.safetensors"), os.path.join(folder, "batch.safetensors")
        save(params, {k: v.detach().numpy() for k, v in model.state_dict().items()})
        grads = {"grad/" + k: p.grad.numpy() for k, p in model.named_parameters()}
        save(data, {"ids": ids.int().numpy(), "next": targets.int().numpy(), **grads}, {"loss": repr(loss.item()), "heads": str(heads)})
        read, _ = load(params)
        for k, shape in want.items():
            assert list(read[k].shape) == shape, f"{k} read back as {list(read[k].shape)}, expected {shape}"
            assert torch.equal(read[k], model.state_dict()[k]), f"{k} changed in the round trip"
        worst = compare(params, data)
    # torch's own float32 gradients against its float64 ones: float32 rounding, far below 1e-4.
    assert worst < 1e-4, f"float32 torch differs from float64 torch by {worst:.2e}"
    print(f"self-test passed: {len(want)} tensors named and shaped as expected, round trip exact")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--self-test"]:
        self_test()
    else:
        heads = int(sys.argv[sys.argv.index("--heads") + 1]) if "--heads" in sys.argv else None
        compare(sys.argv[1], sys.argv[2], heads)
