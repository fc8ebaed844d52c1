#!/usr/bin/env bash
# The GPU check of issue 17, in two halves, because the GPU machine has no dotnet:
#
#   bench/gpu/run.sh publish   here: publishes CudaTests and TrainSteps self-contained for linux-x64
#                              into one folder and packs it as bench/gpu/out/gpu-check.tar.xz (< 64 MiB)
#   bench/gpu/run.sh run       on the GPU machine: unpacks it, runs the CUDA tests with
#                              DSL_REQUIRE_CUDA=1 (a missing driver fails them instead of skipping),
#                              then times train steps on the CPU and on CUDA and prints one table
#
# With the device tool: run `publish` here, then run `bench/gpu/run.sh run` there with
# carry ["bench/gpu/out"] (the tarball is git-ignored). Variables: STEPS, WARMUP, DEVICES, CASES.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/out"
tarball="$out/gpu-check.tar.xz"
limit=$((64 * 1024 * 1024))

publish() {
    rm -rf "$out"
    mkdir -p "$out/gpu-check"
    # Both apps into one folder: they share the runtime and the Dsl assemblies, packed once.
    for project in CudaTests TrainSteps; do
        dotnet publish "$here/$project/$project.csproj" -c Release -r linux-x64 --self-contained \
            -p:PublishTrimmed=false -o "$out/gpu-check" -v q -nologo
    done
    tar -C "$out" -cJf "$tarball" gpu-check
    local size
    size=$(stat -c %s "$tarball")
    echo "$tarball: $size bytes ($((size / 1024 / 1024)) MiB; unpacked $(du -sm "$out/gpu-check" | cut -f1) MiB)"
    if [ "$size" -ge "$limit" ]; then
        echo "error: the tarball is not under 64 MiB" >&2
        exit 1
    fi
}

run() {
    [ -f "$tarball" ] || { echo "error: no $tarball; run '$0 publish' on a machine with dotnet first" >&2; exit 1; }
    local work
    work="$(mktemp -d)"
    tar -C "$work" -xJf "$tarball"
    if command -v nvidia-smi > /dev/null; then
        nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
    else
        echo "nvidia-smi: not found"
    fi

    echo "== CUDA tests (DSL_REQUIRE_CUDA=1)"
    local tests=0
    DSL_REQUIRE_CUDA=1 "$work/gpu-check/CudaTests" || tests=$?

    echo "== Train steps"
    local steps=0
    "$work/gpu-check/TrainSteps" --device "${DEVICES:-cpu,cuda}" --cases "${CASES:-quickstart,mlp1024,gpt}" \
        --steps "${STEPS:-20}" --warmup "${WARMUP:-3}" || steps=$?
    rm -rf "$work"
    # Failed tests, or a device that did not open, fail the check.
    [ "$tests" -eq 0 ] && [ "$steps" -eq 0 ]
}

case "${1:-}" in
    publish) publish ;;
    run) run ;;
    *) echo "usage: $0 publish|run" >&2; exit 2 ;;
esac
