#!/usr/bin/python3
"""Issue 7's side-by-side run: the same work in PyTorch (and OpenBLAS through numpy) and in Dsl,
alternating case by case over interleaved rounds, on 1 and 2 threads, then a table of medians
and ours/theirs ratios.

    apt-get install -y python3-torch python3-numpy libopenblas0-pthread    # the PyTorch side, once
    /usr/bin/python3 bench/compare.py [--rounds 4] [--quick]

Work: train steps of the seed's 10-16-2 MLP (batch 100), 784-128-10 (batch 128) and
784-1024-1024-10 (batch 256), all with cross-entropy and Adam(1e-3); train steps of issue 7's
byte-level GPT (2 pre-LN layers of width 128 with 4 causal heads, context 64, batch 16, dropout
0.1 after attention, inside it and after the feed-forward, untied head without bias, AdamW with
clipping at norm 1) in train tokens/s, Dsl's side only once bench/Dsl.Benchmarks has a
"gpt2x128/16" model case; 784-128-10 inference at
batch 1; square single-precision GEMM 512-2048; process start to the first finished train step
of the seed MLP (JIT and NativeAOT against `python3` importing torch); the peak working set
of the 784-1024-1024-10 run; and the FMA peak of the machine in the same rounds, against which
the GEMM figures are read.

The peer gets its best settings: OPENBLAS_CORETYPE is removed from its environment (this
machine's Haswell setting holds OpenBLAS to AVX2), its thread count is set explicitly
(torch.set_num_threads, OMP_NUM_THREADS, OPENBLAS_NUM_THREADS), OMP_WAIT_POLICY=PASSIVE with two
threads, gradients are set to None rather than zeroed, and inference runs under
torch.inference_mode. Each side runs in one long-lived worker process per thread count and
answers "time this case" requests, so a case is timed on both sides back to back; a round
visits every case, the side that goes first alternates by round, and the figure reported is the
median over rounds of each round's median (time per call).

Issue 20's peer, TorchSharp-cpu 0.107.0 (LibTorch 2.10, MKL 2024), runs the same cases in the same
rounds from a .NET worker (bench/torchsharp/: built here, with MKL as shipped and with MKL's
Intel/AVX-512 path through an LD_PRELOAD shim; --no-torchsharp leaves it out), and a table gives
Dsl's 2-thread/1-thread speed-up per case beside the FMA probe's (issue 20, item 5). --aot adds
Dsl's server compiled with NativeAOT (bench/ServeAot, this machine's instruction set) as one more
side, and a table of its time against the JIT's per case (issue 20, item 4). On a busy machine,
--save FILE keeps the timings after every round and --report-saved FILE prints their tables.

Without PyTorch or TorchSharp the script says what to install and still reports our figures.
Takes about 4 minutes (--quick: 2 rounds and fewer samples, for a smoke run; --torch-gpt: only
PyTorch's GPT step on one thread, a few seconds, to check that side; --only lenet5/64,residual16/32:
those cases alone, without the start-up and memory runs).

Issue 19 adds two convolutional train steps (cross-entropy, Adam 1e-3), in samples/s: LeNet-5 on
28x28 at batch 64 (lenet5/64) and a residual stack of two conv-ReLU-conv blocks with skips at
32x32x16, global average pooling and a 16-10 head, batch 32 (residual16/32).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "torchsharp"))
sys.dont_write_bytecode = True  # no __pycache__ beside the tracked sources
import peer as torchsharp_peer  # noqa: E402 (bench/torchsharp/peer.py: the TorchSharp worker's plumbing)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = "/usr/bin/python3"
SETUP_LINE = "apt-get install -y python3-torch python3-numpy libopenblas0-pthread"
BENCH_DLL = os.path.join(ROOT, "bench", "Dsl.Benchmarks", "bin", "Release", "net10.0", "Dsl.Benchmarks.dll")
STARTUP_JIT = os.path.join(ROOT, "bench", "Startup", "bin", "Release", "net10.0", "Startup")
STARTUP_AOT = os.path.join(ROOT, "bench", "Startup", "bin", "Release", "net10.0", "linux-x64", "publish", "Startup")
SERVE_AOT = os.path.join(ROOT, "bench", "ServeAot", "bin", "native", "ServeAot")

# name: (layer sizes, batch, training?). The Dsl side has the same names (bench/Dsl.Benchmarks/ModelCase.cs).
MODELS = {
    "seed/100": ([10, 16, 2], 100, True),
    "mnist128/128": ([784, 128, 10], 128, True),
    "mnist1024/256": ([784, 1024, 1024, 10], 256, True),
    "predict128/1": ([784, 128, 10], 1, False),
}
# name: the GPT's configuration (issue 7). Dsl's side runs a case of the same name when
# bench/Dsl.Benchmarks/ModelCase.cs lists it (see dsl_has_case).
GPT_MODELS = {
    "gpt2x128/16": dict(vocab=256, width=128, heads=4, layers=2, context=64, batch=16, dropout=0.1),
}
# name: batch of issue 19's convolutional train steps (cross-entropy, Adam(1e-3)); the Dsl side
# has the same names (bench/Dsl.Benchmarks/ModelCase.cs, models in Models/ConvNets.cs).
CNN_MODELS = {"lenet5/64": 64, "residual16/32": 32}
GEMM_SIZES = [512, 1024, 2048]
THREADS = [1, 2]

# Targets of issue 7, as ours/theirs throughput ratios.
TARGETS = {"lenet5/64": 1.5, "residual16/32": 1.5, "seed/100": 30.0, "mnist128/128": 3.0, "mnist1024/256": 2.0, "predict128/1": 10.0, "gpt2x128/16": 2.0, "gemm": 0.9}

WARMUP_SECONDS = 0.3
MIN_SAMPLE_SECONDS = 0.01
SAMPLES = 11


# ---------------------------------------------------------------- the PyTorch worker

def median_seconds(call, samples):
    """Warms up, then the median over samples of a calibrated run of calls: seconds per call."""
    start = time.perf_counter()
    calls = 0
    while calls < 3 or time.perf_counter() - start < WARMUP_SECONDS:
        call()
        calls += 1
    per_call = (time.perf_counter() - start) / calls
    runs = max(1, int(-(-MIN_SAMPLE_SECONDS // per_call)))
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(runs):
            call()
        times.append((time.perf_counter() - t0) / runs)
    return statistics.median(times)


def torch_model_call(name):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    sizes, batch, training = MODELS[name]
    torch.manual_seed(1)
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    x = torch.rand(batch, sizes[0]) * 2 - 1
    if not training:
        model.eval()

        def predict():
            with torch.inference_mode():
                return model(x)
        return predict

    y = torch.randint(0, sizes[-1], (batch,))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss
    return step


def torch_gpt_call(name):
    """One AdamW train step of the GPT: the same model as bench/torch/gpt_crosscheck.py, with dropout."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    c = GPT_MODELS[name]
    width, context = c["width"], c["context"]

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.norm1 = nn.LayerNorm(width)
            self.attention = nn.MultiheadAttention(width, c["heads"], dropout=c["dropout"], batch_first=True)
            self.norm2 = nn.LayerNorm(width)
            self.up = nn.Linear(width, 4 * width)
            self.down = nn.Linear(4 * width, width)
            self.drop = nn.Dropout(c["dropout"])

        def forward(self, x, mask):
            h = self.norm1(x)
            x = x + self.drop(self.attention(h, h, h, attn_mask=mask, need_weights=False)[0])
            return x + self.drop(self.down(F.gelu(self.up(self.norm2(x)))))

    class Gpt(nn.Module):
        def __init__(self):
            super().__init__()
            self.token_embedding = nn.Embedding(c["vocab"], width)
            self.position_embedding = nn.Embedding(context, width)
            self.blocks = nn.ModuleList(Block() for _ in range(c["layers"]))
            self.norm = nn.LayerNorm(width)
            self.head = nn.Linear(width, c["vocab"], bias=False)
            self.register_buffer("mask", torch.triu(torch.ones(context, context), 1).bool())
            self.register_buffer("positions", torch.arange(context))

        def forward(self, ids):
            x = self.token_embedding(ids) + self.position_embedding(self.positions)
            for block in self.blocks:
                x = block(x, self.mask)
            return self.head(self.norm(x))

    torch.manual_seed(1)
    model = Gpt().train()
    ids = torch.randint(0, c["vocab"], (c["batch"], context))
    targets = torch.randint(0, c["vocab"], (c["batch"], context))
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.1)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(ids).reshape(-1, c["vocab"]), targets.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss
    return step


def torch_cnn_call(name):
    """One Adam train step of LeNet-5 (28x28, conv 6@5x5, pool, conv 16@5x5, pool, 120-84-10) or
    the residual stack (two blocks x + conv(relu(conv(x))) of 16@3x3 at 32x32, global average
    pooling, 16-10), as bench/Dsl.Benchmarks/Models/ConvNets.cs writes them."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    batch = CNN_MODELS[name]
    torch.manual_seed(1)
    if name.startswith("lenet5"):
        model = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Flatten(), nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
        x = torch.rand(batch, 1, 28, 28) * 2 - 1
    else:
        class Residual(nn.Module):
            def __init__(self):
                super().__init__()
                self.convs = nn.ModuleList(nn.Conv2d(16, 16, 3, padding=1) for _ in range(4))
                self.head = nn.Linear(16, 10)

            def forward(self, x):
                x = x + self.convs[1](F.relu(self.convs[0](x)))
                x = x + self.convs[3](F.relu(self.convs[2](x)))
                return self.head(torch.flatten(F.adaptive_avg_pool2d(F.relu(x), 1), 1))
        model = Residual()
        x = torch.rand(batch, 16, 32, 32) * 2 - 1
    y = torch.randint(0, 10, (batch,))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss
    return step


def numpy_gemm_call(n):
    import numpy as np
    rng = np.random.default_rng(42)
    a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
    c = np.empty((n, n), dtype=np.float32)
    return lambda: np.matmul(a, b, out=c)


def worker(threads, samples):
    """Answers requests on stdin ('model NAME', 'gpt NAME' or 'gemm N'), one median per line."""
    import torch
    torch.set_num_threads(threads)
    for line in sys.stdin:
        words = line.split()
        if words[0] == "model":
            call = torch_model_call(words[1])
        elif words[0] == "gpt":
            call = torch_gpt_call(words[1])
        elif words[0] == "cnn":
            call = torch_cnn_call(words[1])
        else:
            call = numpy_gemm_call(int(words[1]))
        print(repr(median_seconds(call, samples)), flush=True)
    return 0


def first_step():
    """Process start to the first finished train step, PyTorch's way (the seed's loop, one step)."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    torch.manual_seed(42)
    model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(100, 10)
    y = torch.randint(0, 2, (100,))
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    print(f"loss {loss.item()!r}", flush=True)
    return 0


# ---------------------------------------------------------------- the orchestrator

def peer_env(threads):
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env["OMP_NUM_THREADS"] = str(threads)
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    if threads > 1:
        env["OMP_WAIT_POLICY"] = "PASSIVE"
    return env


class Worker:
    """A long-lived process answering one timing request per line."""

    def __init__(self, args, env=None):
        self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)

    def ask(self, request):
        self.process.stdin.write(request + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        if not answer or answer.startswith("error"):
            raise RuntimeError(f"worker {self.process.args} answered {answer!r} to {request!r}")
        return float(answer)

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def torch_available():
    probe = subprocess.run([PYTHON, "-c", "import torch, numpy"], capture_output=True, text=True)
    return probe.returncode == 0


def build(with_startup=True):
    for project, extra in [("bench/Dsl.Benchmarks", []), ("bench/Startup", [])][:2 if with_startup else 1]:
        subprocess.run(["dotnet", "build", "-c", "Release", project, *extra], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    if not with_startup:
        return
    aot = subprocess.run(["dotnet", "publish", "-c", "Release", "-r", "linux-x64", "bench/Startup"],
                         cwd=ROOT, capture_output=True, text=True)
    if aot.returncode != 0:
        print("NativeAOT publish failed; start-up is measured JIT only:\n" + aot.stdout[-2000:], file=sys.stderr)


def build_serve_aot():
    """Publishes Dsl's server with NativeAOT for this machine's instruction set (as the JIT compiles for it)."""
    publish = subprocess.run(["dotnet", "publish", "-c", "Release", "-r", "linux-x64", "bench/ServeAot",
                              "-p:IlcInstructionSet=native", "-o", os.path.dirname(SERVE_AOT)], cwd=ROOT, capture_output=True, text=True)
    if publish.returncode != 0:
        print("NativeAOT publish of bench/ServeAot failed; no NativeAOT column:\n" + publish.stdout[-2000:], file=sys.stderr)
    return publish.returncode == 0


def time_to_first_line(args, env=None):
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    process.wait()
    if not line.startswith("loss"):
        raise RuntimeError(f"{args} printed {line!r}")
    return elapsed


def dsl_has_case(name):
    """Whether Dsl's benchmark server knows a model case: ModelCase.Names lists it."""
    with open(os.path.join(ROOT, "bench", "Dsl.Benchmarks", "ModelCase.cs")) as f:
        return f'"{name}"' in f.read()


def work_items():
    for name, (_, batch, training) in MODELS.items():
        yield ("model", name, batch, training)
    for name, config in GPT_MODELS.items():
        yield ("gpt", name, config["batch"], True)
    for name, batch in CNN_MODELS.items():
        yield ("cnn", name, batch, True)
    for n in GEMM_SIZES:
        yield ("gemm", n, n, None)


def throughput(item, seconds):
    """The issue's unit: steps/s (seed), samples/s (the other train steps), tokens/s (GPT), us/call (inference), GFLOP/s (GEMM)."""
    kind, name, batch, training = item
    if kind == "gemm":
        return 2.0 * name ** 3 / seconds / 1e9
    if kind == "gpt":
        return batch * GPT_MODELS[name]["context"] / seconds
    if not training:
        return seconds * 1e6
    return 1 / seconds if name == "seed/100" else batch / seconds


def unit(item):
    kind, name, _, training = item
    if kind == "gemm":
        return "GFLOP/s"
    if kind == "gpt":
        return "tokens/s"
    if not training:
        return "us/call"
    return "steps/s" if name == "seed/100" else "samples/s"


def label(item):
    kind, name, _, _ = item
    return f"sgemm {name}^3" if kind == "gemm" else name


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="2 rounds, 3 samples: checks the script, not the machine")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--samples", type=int, default=SAMPLES, help=argparse.SUPPRESS)
    parser.add_argument("--first-step", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--only", help="comma-separated work names (e.g. lenet5/64,residual16/32): time only those, no start-up or memory runs")
    parser.add_argument("--torch-gpt", action="store_true", help="time only PyTorch's GPT train step on one thread (a few seconds)")
    parser.add_argument("--no-torchsharp", action="store_true", help="leave out the TorchSharp peer (bench/torchsharp)")
    parser.add_argument("--save", metavar="FILE", help="write the timings so far to FILE (JSON) after every round")
    parser.add_argument("--report-saved", metavar="FILE", help="print the tables of timings saved with --save; measures nothing")
    parser.add_argument("--aot", action="store_true",
                        help="also time Dsl's server as a NativeAOT binary (bench/ServeAot, IlcInstructionSet=native) against the JIT")
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.samples)
    if args.torch_gpt:
        return torch_gpt_smoke()
    if args.first_step:
        return first_step()
    rounds, samples = (2, 3) if args.quick else (args.rounds, args.samples)
    if args.report_saved:
        return report_saved(args.report_saved)

    have_torch = torch_available()
    if not have_torch:
        print(f"PyTorch or numpy is missing for {PYTHON}: install them with\n    {SETUP_LINE}\n"
              "Reporting Dsl's figures only.\n", file=sys.stderr)
    only = set(args.only.split(",")) if args.only else None
    build(with_startup=only is None)
    ts_paths = {} if args.no_torchsharp else torchsharp_peer.build()
    aot = Worker([SERVE_AOT]) if args.aot and build_serve_aot() else None

    ours = Worker(["dotnet", BENCH_DLL, "serve"])
    theirs = {t: Worker([PYTHON, os.path.abspath(__file__), "--worker", str(t), "--samples", str(samples)], peer_env(t))
              for t in THREADS} if have_torch else {}
    ts = torchsharp_peer.Peer(Worker, ts_paths, peer_env, THREADS, samples)
    items = [item for item in work_items() if only is None or label(item) in only]
    results = {}  # (label, threads) -> {"ours": [...], "theirs": [...]}
    peaks = {}  # threads -> seconds per flop at the FMA peak, one per round
    try:
        for r in range(rounds):
            for item in items:
                for t in THREADS:
                    kind, name, _, _ = item
                    ours_request = f"model {name} {t}" if kind in ("model", "gpt", "cnn") else f"gemm {name} {name} {name} 0 0 {t}"
                    theirs_request = f"{kind} {name}" if kind in ("model", "gpt", "cnn") else f"gemm {name}"
                    sides = [("ours", lambda: ours.ask(ours_request))] if kind != "gpt" or dsl_has_case(name) else []
                    if aot and sides:
                        sides.append(("ours-aot", lambda: aot.ask(ours_request)))
                    if have_torch:
                        sides.append(("theirs", lambda: theirs[t].ask(theirs_request)))
                    ts_request = torchsharp_peer.request(item, MODELS, GPT_MODELS)
                    for path in ts.paths:
                        sides.append((torchsharp_peer.side(path), lambda p=path: ts.ask(p, t, ts_request)))
                    if r % 2 == 1:
                        sides.reverse()
                    cell = results.setdefault((label(item), t), {"item": item, "ours": [], "theirs": []})
                    for side, ask in sides:
                        cell.setdefault(side, []).append(ask())
            for t in THREADS:
                peaks.setdefault(t, []).append(ours.ask(f"peak {t}"))
            print(f"round {r + 1}/{rounds} done", file=sys.stderr, flush=True)
            if args.save:
                save(args.save, results, peaks, ts.paths, r + 1, have_torch)
    finally:
        ours.close()
        for w in theirs.values():
            w.close()
        ts.close()
        if aot:
            aot.close()

    startup = {"jit": [], "aot": [], "torch": []}
    for _ in range(rounds if only is None else 0):
        startup["jit"].append(time_to_first_line([STARTUP_JIT]))
        if os.path.exists(STARTUP_AOT):
            startup["aot"].append(time_to_first_line([STARTUP_AOT]))
        if have_torch:
            startup["torch"].append(time_to_first_line([PYTHON, os.path.abspath(__file__), "--first-step"], peer_env(1)))

    memory = {}
    for key, binary in [("jit", STARTUP_JIT), ("aot", STARTUP_AOT)]:
        if only is None and os.path.exists(binary):
            out = subprocess.run([binary, "memory", "1"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
            memory[key] = {k: int(v) for k, v in (line.split() for line in out.splitlines())}

    report(results, startup, memory, {t: 1 / statistics.median(v) / 1e9 for t, v in peaks.items()}, rounds, have_torch)
    torchsharp_peer.report(results, ts.paths, throughput, unit)
    report_scaling(results, peaks)
    if aot:
        report_aot(results)
    return 0


def report(results, startup, memory, peak, rounds, have_torch):
    print(f"Medians over {rounds} interleaved rounds; ratio = ours/theirs in the unit's better direction"
          " (throughput ours/theirs; for us/call theirs/ours).\n")
    print("| work | threads | unit | Dsl | PyTorch/OpenBLAS | ratio | target | per-round ratios |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |")
    for (name, t), cell in results.items():
        item = cell["item"]
        if not cell["ours"]:
            # Dsl has no such case yet (the GPT before the transformer issue): PyTorch's figure alone.
            theirs = f"{throughput(item, statistics.median(cell['theirs'])):,.1f}" if cell["theirs"] else "-"
            print(f"| {name} | {t} | {unit(item)} | - | {theirs} | - | {TARGETS.get(name, 0):g}x | - |")
            continue
        ours = statistics.median(cell["ours"])
        row = f"| {name} | {t} | {unit(item)} | {throughput(item, ours):,.1f} |"
        if have_torch and cell["theirs"]:
            theirs = statistics.median(cell["theirs"])
            ratio = theirs / ours
            per_round = ", ".join(f"{b / a:.2f}" for a, b in zip(cell["ours"], cell["theirs"]))
            target = TARGETS["gemm" if item[0] == "gemm" else item[1]]
            row += f" {throughput(item, theirs):,.1f} | {ratio:.2f}x | {target:g}x | {per_round} |"
        else:
            row += " - | - | - | - |"
        print(row)

    print("\nFMA peak measured in the same rounds (registers only, bench/Dsl.Benchmarks/FmaPeak.cs): "
          + ", ".join(f"{peak[t]:.1f} GFLOP/s on {t} thread{'s' if t > 1 else ''}" for t in THREADS))
    for (name, t), cell in results.items():
        if cell["item"][0] == "gemm":
            gflops = throughput(cell["item"], statistics.median(cell["ours"]))
            line = f"  {name}, {t} thread(s): Dsl at {gflops / peak[t]:.0%} of that peak"
            if have_torch and cell["theirs"]:
                line += f", OpenBLAS at {throughput(cell['item'], statistics.median(cell['theirs'])) / peak[t]:.0%}"
            print(line)

    print("\n| start to first finished train step (seed MLP) | median s | runs (s) |")
    print("| --- | ---: | --- |")
    for key, title in [("jit", "Dsl, JIT (apphost)"), ("aot", "Dsl, NativeAOT"), ("torch", "python3 + import torch")]:
        if startup[key]:
            runs = ", ".join(f"{s:.3f}" for s in startup[key])
            print(f"| {title} | {statistics.median(startup[key]):.3f} | {runs} |")

    for key, title in [("jit", "JIT"), ("aot", "NativeAOT")]:
        if key not in memory:
            continue
        m = memory[key]
        need = m["parameters"] + m["optimizer_state"] + m["activations"]
        print(f"\nPeak working set, 784-1024-1024-10 at batch 256, 20 Adam steps, 1 thread, {title}: {m['peak_working_set']:,} bytes"
              f" ({m['peak_before_model']:,} before the model was built); parameters {m['parameters']:,}"
              f" + optimizer state {m['optimizer_state']:,} + activations {m['activations']:,} = {need:,};"
              f" peak / that = {m['peak_working_set'] / need:.2f}; (peak - before) / that = "
              f"{(m['peak_working_set'] - m['peak_before_model']) / need:.2f}")


def save(path, results, peaks, ts_paths, rounds, have_torch):
    """Writes the timings so far, so that a run cut short (a busy shared machine) still gives its tables."""
    cells = [{"threads": t, **cell} for (_, t), cell in results.items()]
    with open(path, "w") as f:
        json.dump({"cells": cells, "peaks": peaks, "torchsharp": ts_paths, "rounds": rounds, "torch": have_torch}, f)


def report_saved(path):
    """The tables of a --save file (start-up and memory figures are not saved: they are taken after the rounds)."""
    with open(path) as f:
        saved = json.load(f)
    results = {}
    for cell in saved["cells"]:
        cell["item"] = tuple(cell["item"])
        results[(label(cell["item"]), cell.pop("threads"))] = cell
    peaks = {int(t): v for t, v in saved["peaks"].items()}
    report(results, {"jit": [], "aot": [], "torch": []}, {}, {t: 1 / statistics.median(v) / 1e9 for t, v in peaks.items()},
           saved["rounds"], saved["torch"])
    torchsharp_peer.report(results, saved["torchsharp"], throughput, unit)
    report_scaling(results, peaks)
    report_aot(results)
    return 0


def report_scaling(results, peaks):
    """Issue 20, item 5: Dsl's 2-thread speed-up per case (1-thread time / 2-thread time), read against the
    probe's in the same rounds (a probe below ~1.8x means the second core was not free)."""
    if 1 not in THREADS or 2 not in THREADS:
        return
    probe = [one / two for one, two in zip(peaks[1], peaks[2])]  # seconds per flop: 1-thread / 2-thread
    print(f"\nTwo threads against one (Dsl): FMA probe {statistics.median(probe):.2f}x"
          f" (per round {', '.join(f'{x:.2f}' for x in probe)})\n")
    print("| work | Dsl 1 -> 2 threads | per round | ours / probe |")
    print("| --- | ---: | --- | ---: |")
    for (name, t), cell in results.items():
        two = results.get((name, 2), {}).get("ours")
        if t != 1 or not cell["ours"] or not two:
            continue
        per_round = [a / b for a, b in zip(cell["ours"], two)]
        speedup = statistics.median(cell["ours"]) / statistics.median(two)
        print(f"| {name} | {speedup:.2f}x | {', '.join(f'{x:.2f}' for x in per_round)} | {speedup / statistics.median(probe):.2f} |")


def report_aot(results):
    """Issue 20, item 4: the NativeAOT server's time against the JIT server's, case by case in the same rounds."""
    if not any(cell.get("ours-aot") for cell in results.values()):
        return
    print("\n| work | threads | NativeAOT / JIT time | per round |")
    print("| --- | ---: | ---: | --- |")
    for (name, t), cell in results.items():
        if cell.get("ours-aot") and cell["ours"]:
            per_round = ", ".join(f"{b / a:.2f}" for a, b in zip(cell["ours"], cell["ours-aot"]))
            print(f"| {name} | {t} | {statistics.median(cell['ours-aot']) / statistics.median(cell['ours']):.2f}x | {per_round} |")


def torch_gpt_smoke():
    """PyTorch's GPT step alone, on one thread, in the worker's environment: checks that side quickly."""
    if os.environ.get("OPENBLAS_CORETYPE") is not None:
        # Re-run in the peer's environment (OPENBLAS_CORETYPE must be unset before torch loads).
        return subprocess.run([PYTHON, os.path.abspath(__file__), "--torch-gpt"], env=peer_env(1)).returncode
    import torch
    torch.set_num_threads(1)
    for name, config in GPT_MODELS.items():
        seconds = median_seconds(torch_gpt_call(name), 3)
        item = ("gpt", name, config["batch"], True)
        print(f"PyTorch {name}, 1 thread: {seconds * 1e3:.1f} ms/step, {throughput(item, seconds):,.0f} train tokens/s"
              f" (Dsl's case {'exists' if dsl_has_case(name) else 'does not exist yet'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
