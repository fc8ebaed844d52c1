#!/usr/bin/python3
"""Runs the compiled train-step benchmark (BenchmarkDotNet) and the same steps in PyTorch, and
prints the medians side by side with their ratio.

    /usr/bin/python3 bench/compare_train_step.py

Takes a few minutes. Needs the .NET SDK and Debian's python3-torch.
"""
import csv
import glob
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def to_us(text):
    value, unit = text.replace(",", "").split()
    return float(value) * {"ns": 1e-3, "μs": 1.0, "us": 1.0, "ms": 1e3, "s": 1e6}[unit]


def dotnet_medians():
    artifacts = os.path.join(ROOT, "BenchmarkDotNet.Artifacts")
    subprocess.run(["dotnet", "run", "-c", "Release", "--project", "bench/Dsl.Benchmarks", "--",
                    "--filter", "*TrainStepBenchmarks*", "--job", "short", "--exporters", "csv",
                    "--artifacts", artifacts], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    report = glob.glob(os.path.join(artifacts, "results", "*TrainStepBenchmarks-report.csv"))[0]
    with open(report, newline="") as f:
        return {(row["Case"], int(row["Threads"])): to_us(row["Median"]) for row in csv.DictReader(f)}


def torch_medians():
    out = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "torch", "train_step.py")],
                         check=True, capture_output=True, text=True).stdout
    rows = list(csv.DictReader(out.splitlines()))
    return {(row["case"], int(row["threads"])): float(row["median_us"]) for row in rows}


def main():
    ours = dotnet_medians()
    theirs = torch_medians()
    print(f"{'case':16s} {'threads':>7s} {'Dsl (us)':>10s} {'PyTorch (us)':>13s} {'PyTorch/Dsl':>12s}")
    for key in sorted(ours):
        if key in theirs:
            print(f"{key[0]:16s} {key[1]:7d} {ours[key]:10.1f} {theirs[key]:13.1f} {theirs[key] / ours[key]:11.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
