#!/usr/bin/env python3
# Start-up of the DigitsWeb binary: spawn it N times, time its first line ("listening"), the CPU
# time it used until then, and the first /predict answered. Usage: start_time.py BINARY [RUNS]
import os, json, statistics, subprocess, sys, time, urllib.request
binary, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 9
body = json.dumps({"pixels": [0] * 1024}).encode()
ready, first, cpu = [], [], []
for i in range(runs):
    port = 5190 + i
    t0 = time.perf_counter()
    p = subprocess.Popen([binary, "--urls", f"http://127.0.0.1:{port}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = p.stdout.readline()
    t1 = time.perf_counter()
    fields = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
    cpu.append((int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK"))
    req = urllib.request.Request(f"http://127.0.0.1:{port}/predict", data=body, headers={"Content-Type": "application/json"})
    answer = json.loads(urllib.request.urlopen(req).read())
    t2 = time.perf_counter()
    p.terminate(); p.wait()
    ready.append((t1 - t0) * 1000); first.append((t2 - t0) * 1000)
    if i == 0: print(line.strip(), "| digit", answer["digit"])
print("listening (ms):", ", ".join(f"{x:.1f}" for x in ready), "median", f"{statistics.median(ready):.1f}")
print("first /predict answered (ms from spawn):", ", ".join(f"{x:.1f}" for x in first), "median", f"{statistics.median(first):.1f}")
print("CPU time (user+sys) to listening (ms, 10 ms ticks):", ", ".join(f"{x:.0f}" for x in cpu), "median", f"{statistics.median(cpu):.0f}")
