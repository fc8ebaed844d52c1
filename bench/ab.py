#!/usr/bin/python3
"""Interleaved A/B timing of two builds of bench/Dsl.Benchmarks (e.g. main against a branch).

Usage: bench/ab.py OLD_DIR NEW_DIR ROUNDS CASE:THREADS...
where each DIR holds a Release build (bin/Release/net10.0/Dsl.Benchmarks.dll) and a CASE is a model
case (`gpt2x128/16`) or a product `gemm/M/N/K/TA/TB` (TA, TB 0 or 1). Both builds run as
`serve` workers (the mode bench/compare.py drives, 11 samples after 0.3 s warm-up, median); per
round and case the old one is asked first, then the new; rounds alternate nothing else. Prints
the per-round times and the median over the rounds, in microseconds.
"""
import statistics
import subprocess
import sys


def worker(directory):
    dll = f"{directory}/bench/Dsl.Benchmarks/bin/Release/net10.0/Dsl.Benchmarks.dll"
    return subprocess.Popen(["dotnet", dll, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)


def ask(process, request):
    process.stdin.write(request + "\n")
    answer = process.stdout.readline().strip()
    if answer.startswith("error"):
        sys.exit(answer)
    return float(answer) * 1e6


def request(name, threads):
    if name.startswith("gemm/"):
        return " ".join(name.split("/")) + f" {threads}"
    return f"model {name} {threads}"


def main():
    old_dir, new_dir, rounds, cases = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    old, new = worker(old_dir), worker(new_dir)
    times = {case: ([], []) for case in cases}
    for _ in range(rounds):
        for case in cases:
            name, threads = case.split(":")
            times[case][0].append(ask(old, request(name, threads)))
            times[case][1].append(ask(new, request(name, threads)))
    print("| case | threads | old µs | new µs | new/old | rounds old | rounds new |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for case in cases:
        name, threads = case.split(":")
        o, n = statistics.median(times[case][0]), statistics.median(times[case][1])
        fmt = lambda xs: ", ".join(f"{x:.1f}" for x in xs)
        print(f"| {name} | {threads} | {o:.1f} | {n:.1f} | {n / o:.2f} | {fmt(times[case][0])} | {fmt(times[case][1])} |")
    old.stdin.close()
    new.stdin.close()


if __name__ == "__main__":
    main()
