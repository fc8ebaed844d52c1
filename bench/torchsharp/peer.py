"""bench/compare.py's TorchSharp peer (issue 20): builds bench/torchsharp/Worker (TorchSharp-cpu 0.107.0,
LibTorch 2.10 with MKL 2024), makes its native library load on Debian 12 (weaken_version.py), compiles
the MKL Intel-path shim (mkl_intel_path.c), and runs the worker on two MKL paths per thread count:

    shipped  LibTorch as NuGet ships it: on AMD processors MKL takes its generic (non-AVX-512) path;
    intel    the same with LD_PRELOAD=mkl_intel_path.so: MKL believes it runs on Intel and takes its
             AVX-512 kernels, which is what the same binary does on an Intel processor.

compare.py sends each case's shapes (request), so its model list stays the one place they are defined.
"""
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.join(HERE, "Worker")
OUTPUT = os.path.join(PROJECT, "bin", "Release", "net10.0", "linux-x64")
BINARY = os.path.join(OUTPUT, "TorchSharpWorker")
SHIM_SOURCE = os.path.join(HERE, "mkl_intel_path.c")
SHIM = os.path.join(OUTPUT, "mkl_intel_path.so")
SETUP = ("needs the .NET SDK and NuGet access to TorchSharp-cpu 0.107.0 "
         "(dotnet restore bench/torchsharp/Worker); the Intel-path column also needs gcc (apt-get install -y gcc). "
         "See bench/torchsharp/README.md")
TITLES = {
    "shipped": "TorchSharp, MKL as shipped",
    "intel": "TorchSharp, MKL Intel path",
}


def build():
    """Builds what the peer needs; returns {path: extra environment} for the paths that work (maybe none)."""
    built = subprocess.run(["dotnet", "build", "-c", "Release", PROJECT], capture_output=True, text=True)
    if built.returncode != 0:
        print(f"TorchSharp peer: the worker did not build; it {SETUP}.\n{built.stdout[-1500:]}", file=sys.stderr)
        return {}
    # Every build copies the library again, so its GLIBCXX_3.4.32 requirement is weakened every time.
    subprocess.run([sys.executable, os.path.join(HERE, "weaken_version.py"),
                    os.path.join(OUTPUT, "libLibTorchSharp.so"), "GLIBCXX_3.4.32"], capture_output=True)
    version = subprocess.run([BINARY, "1", "1"], input="version\n", capture_output=True, text=True)
    if version.returncode != 0 or not version.stdout.strip():
        print(f"TorchSharp peer: the worker built but LibTorch did not load:\n{version.stderr[-1500:]}", file=sys.stderr)
        return {}
    print(f"TorchSharp peer: LibTorch {version.stdout.strip()}", file=sys.stderr)
    paths = {"shipped": {}}
    shim = subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", SHIM, SHIM_SOURCE], capture_output=True, text=True) \
        if _has("gcc") else None
    if shim is not None and shim.returncode == 0:
        paths["intel"] = {"LD_PRELOAD": SHIM}
    else:
        print("TorchSharp peer: no C compiler for the MKL Intel-path shim (apt-get install -y gcc); "
              "reporting MKL as shipped only.", file=sys.stderr)
    return paths


def _has(program):
    return any(os.access(os.path.join(d, program), os.X_OK) for d in os.environ.get("PATH", "").split(os.pathsep))


def request(item, models, gpt_models):
    """The worker's request for a compare.py work item, or None for a kind the worker does not run."""
    kind, name, batch, _ = item
    if kind == "gemm":
        return f"gemm {name}"
    if kind == "gpt":
        c = gpt_models[name]
        return (f"gpt {c['vocab']} {c['width']} {c['heads']} {c['layers']} {c['context']} {c['batch']} {c['dropout']}")
    if kind == "cnn":
        # The architectures are fixed (Cnn.cs builds what compare.py's torch_cnn_call does): the name's family and the batch.
        return f"cnn {name.split('/')[0]} {batch}"
    if kind == "model" and name in models and isinstance(models[name][0], list):
        sizes, batch, training = models[name]
        return f"mlp {','.join(map(str, sizes))} {batch} {'train' if training else 'predict'}"
    return None


class Peer:
    """One worker per MKL path and thread count; a worker that fails or answers an error gives None, not an exception."""

    def __init__(self, worker_class, paths, env_for_threads, threads, samples):
        self.workers = {}
        for path, extra in paths.items():
            for t in threads:
                env = dict(env_for_threads(t), MKL_NUM_THREADS=str(t), **extra)
                self.workers[(path, t)] = worker_class([BINARY, str(t), str(samples)], env)
        self.paths = list(paths)

    def ask(self, path, threads, request):
        worker = self.workers.get((path, threads))
        if worker is None or request is None:
            return None
        try:
            return worker.ask(request)
        except (RuntimeError, OSError) as e:
            print(f"TorchSharp peer ({path}, {threads} threads): {e}", file=sys.stderr)
            if worker.process.poll() is not None:
                del self.workers[(path, threads)]
            return None

    def close(self):
        for worker in self.workers.values():
            worker.close()


def report(results, paths, throughput, unit):
    """The table of Dsl against TorchSharp on each MKL path: medians and ours/theirs ratios (throughput's better direction)."""
    if not paths:
        print(f"\nTorchSharp: not measured (--no-torchsharp, or the worker {SETUP}).")
        return
    print("\nTorchSharp-cpu 0.107.0 (LibTorch 2.10, MKL 2024, oneDNN), same rounds. \"as shipped\": MKL's generic path on"
          " this AMD processor; \"Intel path\": the same binary with LD_PRELOAD=mkl_intel_path.so, so MKL runs its"
          " AVX-512 kernels as on an Intel processor. ratio = Dsl/TorchSharp (issue 20's target: 1.0x the Intel path).\n")
    heads = [TITLES[p] for p in paths]
    print("| work | threads | unit | Dsl | " + " | ".join(heads) + " | " + " | ".join(f"ratio vs {p}" for p in paths)
          + " | per-round ratios vs " + paths[-1] + " |")
    print("| --- | ---: | --- | ---: | " + "---: | " * (2 * len(paths)) + "--- |")
    for (name, t), cell in results.items():
        item = cell["item"]
        ours = [s for s in cell.get("ours", []) if s is not None]
        theirs = {p: [s for s in cell.get(side(p), []) if s is not None] for p in paths}
        if not any(theirs.values()):
            continue
        figures = [f"{throughput(item, statistics.median(v)):,.1f}" if v else "-" for v in [ours, *theirs.values()]]
        ratios = [f"{statistics.median(v) / statistics.median(ours):.2f}x" if v and ours else "-" for v in theirs.values()]
        last = cell.get(side(paths[-1]), [])
        per_round = ", ".join(f"{b / a:.2f}" for a, b in zip(cell.get("ours", []), last) if a is not None and b is not None)
        print(f"| {name} | {t} | {unit(item)} | " + " | ".join(figures) + " | " + " | ".join(ratios) + f" | {per_round} |")


def side(path):
    """The key under which compare.py's results hold this path's timings."""
    return "torchsharp-" + path
