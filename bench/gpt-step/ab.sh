#!/bin/sh
# Interleaved A/B of two Release builds of bench/Dsl.Benchmarks on the GPT step, by thread CPU time:
#   bench/gpt-step/ab.sh OLD_REPO NEW_REPO ROUNDS CALLS
# Builds this tool against each (into $GPT_STEP_OUT-old and -new, /tmp/gpt-step-old and -new by default),
# then per round prints the FMA probe (GFLOP/s), and the old and new builds' median, lower quartile and
# minimum ms per step of gpt2x128/16.
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=${GPT_STEP_OUT:-/tmp/gpt-step}
for side in old new; do
  repo=$([ $side = old ] && echo "$1" || echo "$2")
  rm -rf "$here/obj" "$here/bin"
  dotnet build "$here/GptStepCpuTime.csproj" -c Release -v q -nologo -p:BenchDir="$repo/bench/Dsl.Benchmarks/bin/Release/net10.0" -o "$out-$side" > /dev/null
  # The build copies from its intermediate folder; make sure the tool runs this side's assemblies.
  cp "$repo"/bench/Dsl.Benchmarks/bin/Release/net10.0/Dsl.Benchmarks.dll "$repo"/bench/Dsl.Benchmarks/bin/Release/net10.0/Runtime.Gpu.dll "$out-$side"/
done
rm -rf "$here/obj" "$here/bin"
for r in $(seq "$3"); do
  p=$(dotnet "$out"-new/GptStepCpuTime.dll peak 21)
  o=$(dotnet "$out"-old/GptStepCpuTime.dll gpt2x128/16 "$4")
  n=$(dotnet "$out"-new/GptStepCpuTime.dll gpt2x128/16 "$4")
  echo "round $r $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg) probe_gflops $p old $o new $n"
done
