#!/usr/bin/python3
"""Replays the compiled training runs of bench/Parity in PyTorch and prints how far apart they are.

    dotnet run -c Release --project bench/Parity -- /tmp/parity.json
    /usr/bin/python3 bench/Parity/parity.py /tmp/parity.json

Needs Debian's python3-torch (1.13). Each model starts from the C# initial parameters, takes the
same full-batch steps with the same optimizer, and is compared on every step's loss and on the
final parameters.
"""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float32)


def dense(params, name, out_features, in_features, bias=True):
    layer = nn.Linear(in_features, out_features, bias=bias)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(params[name + ".weight"]).reshape(out_features, in_features))
        if bias:
            layer.bias.copy_(torch.tensor(params[name + ".bias"]))
    return layer


class Classifier(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.hidden = dense(p, "hidden", 16, 10)
        self.output = dense(p, "output", 2, 16)

    def loss(self, x, y):
        return F.cross_entropy(self.output(F.relu(self.hidden(x))), y)


class Regressor(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.encode = dense(p, "encode", 12, 5)
        self.mix = dense(p, "mix", 6, 12, bias=False)
        self.decode = dense(p, "decode", 3, 6)

    def loss(self, x, t):
        h = torch.tanh(self.encode(x))
        mixed = F.gelu(self.mix(h)) * 0.5 + torch.sigmoid(self.mix(h))
        out = self.decode(mixed) / 2 - 1
        return F.mse_loss(out, t)


class Attentive(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.score = dense(p, "score", 8, 6)
        self.head = dense(p, "head", 4, 8)

    def loss(self, x, y):
        weights = F.softmax(self.score(x), dim=-1)
        v = weights * 3 - x.mean(dim=-1, keepdim=True)
        h = v / (torch.log(torch.exp(v).sum(dim=-1, keepdim=True)) + 2)
        logits = self.head(h)
        entropy = -(F.softmax(logits, -1) * F.log_softmax(logits, -1)).sum(-1)
        return (F.cross_entropy(logits, y, reduction="none") + 0.1 * entropy).mean()


def replay(name, run, model, inputs, optimizer, clip=None):
    worst_loss = 0.0
    for expected in run["losses"]:
        optimizer.zero_grad()
        loss = model.loss(*inputs)
        loss.backward()
        if clip is not None:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        worst_loss = max(worst_loss, abs(loss.item() - expected) / max(1.0, abs(expected)))
    state = dict(model.named_parameters())
    worst_param = max(
        (torch.tensor(values).reshape(state[key].shape) - state[key].detach()).abs().max().item()
        for key, values in run["final"].items())
    print(f"{name:10s} steps={len(run['losses'])}  first loss C#={run['losses'][0]:.6f}  "
          f"max relative loss difference={worst_loss:.2e}  max final parameter difference={worst_param:.2e}")
    return worst_loss, worst_param


def main(path):
    runs = json.load(open(path))
    results = []

    r = runs["classifier"]
    m = Classifier(r["initial"])
    results.append(replay("classifier", r, m, (torch.tensor(r["x"]).reshape(-1, 10), torch.tensor(r["y"])),
                          torch.optim.Adam(m.parameters(), lr=1e-3)))

    r = runs["regressor"]
    m = Regressor(r["initial"])
    results.append(replay("regressor", r, m, (torch.tensor(r["x"]).reshape(-1, 5), torch.tensor(r["t"]).reshape(-1, 3)),
                          torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)))

    r = runs["attentive"]
    m = Attentive(r["initial"])
    results.append(replay("attentive", r, m, (torch.tensor(r["x"]).reshape(-1, 6), torch.tensor(r["y"])),
                          torch.optim.AdamW(m.parameters(), lr=1e-2), clip=1.0))

    ok = all(loss < 1e-4 and param < 1e-4 for loss, param in results)
    print("parity:", "OK (all within 1e-4)" if ok else "DIFFERENT")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "parity.json"))
