#!/usr/bin/python3
"""Times one training step (forward, backward, Adam update) of the same MLPs as
bench/Dsl.Benchmarks/TrainStepBenchmarks.cs, in PyTorch on the CPU.

    /usr/bin/python3 bench/torch/train_step.py            # prints CSV: case,threads,median_us

Needs Debian's python3-torch. Each case: 50 warm-up steps, then the median of 30 samples, each
the mean of a run of steps lasting at least ~20 ms.
"""
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CASES = {
    "quickstart/100": ([10, 16, 2], 100),
    "digits/64": ([64, 128, 10], 64),
    "digits/256": ([64, 128, 10], 256),
    "mnist/128": ([784, 512, 256, 10], 128),
}


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def time_case(sizes, batch):
    torch.manual_seed(1)
    model = mlp(sizes)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(batch, sizes[0]) * 2 - 1
    y = torch.randint(0, sizes[-1], (batch,))

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    for _ in range(50):
        step()
    start = time.perf_counter()
    runs = 0
    while time.perf_counter() - start < 0.02:
        step()
        runs += 1
    samples = []
    for _ in range(30):
        t0 = time.perf_counter()
        for _ in range(runs):
            step()
        samples.append((time.perf_counter() - t0) / runs * 1e6)
    return statistics.median(samples)


def main():
    print("case,threads,median_us")
    for threads in ([1, 2] if torch.get_num_interop_threads() >= 1 else [1]):
        torch.set_num_threads(threads)
        for name, (sizes, batch) in CASES.items():
            print(f"{name},{threads},{time_case(sizes, batch):.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
