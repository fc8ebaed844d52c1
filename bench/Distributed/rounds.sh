#!/usr/bin/env bash
# Step time and optimizer memory of 784-1024-1024-10 on 1 process and on 2 ranks under mpirun
# (docs/scaling.md, "Measured on this machine"), in interleaved rounds: the machine is shared, so
# only figures from the same round compare. Prints one line per run: the run's name, then each
# rank's stats (step_seconds, wait_seconds in collectives, bytes all-reduced, buckets, optimizer_bytes, peak_working_set).
#
#   dotnet build tests/Distributed.Worker -c Release
#   bench/Distributed/rounds.sh [ROUNDS] [STEPS]
set -euo pipefail
rounds=${1:-2}
steps=${2:-60}
worker="$(cd "$(dirname "$0")/../.." && pwd)/tests/Distributed.Worker/bin/Release/net10.0/Distributed.Worker.dll"
out=$(mktemp -d)
mpi=(mpirun --allow-run-as-root --oversubscribe -np 2 dotnet "$worker")

run() {
  local name=$1; shift
  rm -rf "$out/run"
  "$@" --out "$out/run" > "$out/log" 2>&1 || { echo "$name failed:"; tail -20 "$out/log"; exit 1; }
  local line="$name"
  for stats in "$out"/run/stats-rank*.txt; do
    line+=" | $(grep -E '^(step_seconds|wait_seconds|bytes|buckets|optimizer_bytes|peak_working_set) ' "$stats" | tr '\n' ' ')"
  done
  echo "$line"
}

for round in $(seq 1 "$rounds"); do
  echo "round $round (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  run "1 process, batch 64" dotnet "$worker" --model mlp784 --batch 64 --steps "$steps"
  run "2 ranks alone, batch 32" "${mpi[@]}" --model mlp784 --batch 32 --steps "$steps" --alone 1
  run "2 ranks DDP, bucket 0 (per parameter, in parts)" "${mpi[@]}" --model mlp784 --batch 32 --steps "$steps" --bucket-mb 0
  run "2 ranks DDP, bucket 25 MiB" "${mpi[@]}" --model mlp784 --batch 32 --steps "$steps" --bucket-mb 25
  run "2 ranks DDP, bucket 1 MiB" "${mpi[@]}" --model mlp784 --batch 32 --steps "$steps" --bucket-mb 1
  run "Adam, 2 ranks DDP" "${mpi[@]}" --model mlp784adam --batch 32 --steps "$steps" --strategy ddp
  run "Adam, 2 ranks ZeRO-1" "${mpi[@]}" --model mlp784adam --batch 32 --steps "$steps" --strategy sharded
done
rm -rf "$out"
