// Usage (one thread; times are the thread's CPU time, so other processes' turns on the core
// are not counted, only the cache lines they evict):
//   dotnet run -c Release --project bench/GemmClock -- 1024x1024x1024 32x1024x784:NT ...
//       R=rounds (3), MAX=1 takes each round's best sample (else the median), T=threads
//   ... -- micro KC        the 8x32 and 12x32 micro-kernels alone on packed data in L1, beside the probe
//   ... -- cold MxNxK:TT   a fresh process's first 100 calls (what a short run sees of tiered JIT)
//   ... -- dump MxNxK:TT FILE   C of one product, raw, to compare two builds (or T=1 and T=2) bit for bit
// With T > 1 a sample is timed by the wall clock, and the process's CPU time is reported beside
// it (GFLOP per CPU-second: what the threads spent, waiting included, when the cores are not ours).
using System; using System.Linq; using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.Intrinsics;
using Dsl.Kernels;

static class P
{
    static float Sink;
    static double Peak()
    {
        const int it = 1 << 16;
        var sw = Stopwatch.StartNew(); long reps = 0;
        while (sw.Elapsed.TotalSeconds < 0.05) { Sink += Run512(it); reps++; }
        double best = 0;
        for (int s = 0; s < 5; s++)
        {
            sw.Restart(); reps = 0; double t0 = Clock.Now();
            while (sw.Elapsed.TotalSeconds < 0.02) { Sink += Run512(it); reps++; }
            best = Math.Max(best, reps * 2.0 * it * 12 * 16 / (Clock.Now() - t0) / 1e9);
        }
        return best;
    }
    public static float Run512Pub(int it) => Run512(it);
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    static float Run512(int iterations)
    {
        Vector512<float> m = Vector512.Create(0.999999f), a = Vector512.Create(1e-7f);
        Vector512<float> c0 = m, c1 = m, c2 = m, c3 = m, c4 = m, c5 = m, c6 = m, c7 = m, c8 = m, c9 = m, c10 = m, c11 = m;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, m, a); c1 = Vector512.FusedMultiplyAdd(c1, m, a);
            c2 = Vector512.FusedMultiplyAdd(c2, m, a); c3 = Vector512.FusedMultiplyAdd(c3, m, a);
            c4 = Vector512.FusedMultiplyAdd(c4, m, a); c5 = Vector512.FusedMultiplyAdd(c5, m, a);
            c6 = Vector512.FusedMultiplyAdd(c6, m, a); c7 = Vector512.FusedMultiplyAdd(c7, m, a);
            c8 = Vector512.FusedMultiplyAdd(c8, m, a); c9 = Vector512.FusedMultiplyAdd(c9, m, a);
            c10 = Vector512.FusedMultiplyAdd(c10, m, a); c11 = Vector512.FusedMultiplyAdd(c11, m, a);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }

    // median GFLOP/s over samples
    static double Time(int m, int n, int k, bool ta, bool tb, float[] a, float[] b, float[] c, int samples, List<double> perCpu)
    {
        double flops = 2.0 * m * n * k;
        var sw = Stopwatch.StartNew();
        int calls = 0;
        while (sw.Elapsed.TotalSeconds < 0.02 || calls < 2) { Gemm.Multiply(ta, tb, m, n, k, a, b, c); calls++; }
        int per = Math.Max(1, (int)(calls * 0.01 / sw.Elapsed.TotalSeconds));
        var list = new List<double>();
        for (int s = 0; s < samples; s++)
        {
            sw.Restart(); double t0 = Clock.Now(), p0 = Clock.Process();
            for (int i = 0; i < per; i++) Gemm.Multiply(ta, tb, m, n, k, a, b, c);
            double el = CpuParallel.MaxConcurrency == 1 ? Clock.Now() - t0 : sw.Elapsed.TotalSeconds;
            list.Add(flops * per / el / 1e9);
            perCpu.Add(flops * per / (Clock.Process() - p0) / 1e9);
        }
        list.Sort();
        return list[Environment.GetEnvironmentVariable("MAX") is null ? list.Count / 2 : list.Count - 1];
    }

    static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "micro") { Console.WriteLine($"probe {Peak():F1}"); Micro.Run(int.Parse(args[1])); Console.WriteLine($"probe {Peak():F1}"); return 0; }
        if (args.Length > 0 && args[0] == "dump")
        {
            // C of one product written raw, to compare two builds (or thread counts, T=) bit for bit.
            if (Environment.GetEnvironmentVariable("T") is string t)
                CpuParallel.MaxConcurrency = int.Parse(t);
            var w = args[1].Split('x', ':');
            int m = int.Parse(w[0]), n = int.Parse(w[1]), k = int.Parse(w[2]);
            bool ta = w.Length > 3 && w[3][0] == 'T', tb = w.Length > 3 && w[3][1] == 'T';
            var rd = new Random(3);
            var a = new float[m * k]; var b = new float[k * n]; var c = new float[m * n];
            for (int i = 0; i < a.Length; i++) a[i] = (float)rd.NextDouble() - 0.5f; for (int i = 0; i < b.Length; i++) b[i] = (float)rd.NextDouble() - 0.5f;
            Gemm.Multiply(ta, tb, m, n, k, a, b, c);
            var bytes = new byte[c.Length * 4]; Buffer.BlockCopy(c, 0, bytes, 0, bytes.Length);
            System.IO.File.WriteAllBytes(args[2], bytes);
            return 0;
        }
        if (args.Length > 0 && args[0] == "cold")
        {
            // A fresh process: the first calls of one shape, as a short run or a test sees them.
            CpuParallel.MaxConcurrency = 1;
            var w = args[1].Split('x', ':');
            int m = int.Parse(w[0]), n = int.Parse(w[1]), k = int.Parse(w[2]);
            bool ta = w.Length > 3 && w[3][0] == 'T', tb = w.Length > 3 && w[3][1] == 'T';
            var a = new float[m * k]; var b = new float[k * n]; var c = new float[m * n];
            for (int i = 0; i < a.Length; i++) a[i] = (i % 7) * 0.1f; for (int i = 0; i < b.Length; i++) b[i] = (i % 5) * 0.1f;
            double f = 2.0 * m * n * k; var times = new List<double>();
            for (int i = 0; i < 100; i++) { double t0 = Clock.Now(); Gemm.Multiply(ta, tb, m, n, k, a, b, c); times.Add(Clock.Now() - t0); }
            double first10 = times.Take(10).Sum(), last10 = times.Skip(90).Sum();
            Console.WriteLine($"cold {args[1]}: call 1 {times[0] * 1e3:F2} ms ({f / times[0] / 1e9:F1} GFLOP/s); calls 1-10 {f * 10 / first10 / 1e9:F1} GFLOP/s; calls 91-100 {f * 10 / last10 / 1e9:F1} GFLOP/s; 100 calls {times.Sum() * 1e3:F1} ms");
            return 0;
        }
        int threads = int.Parse(Environment.GetEnvironmentVariable("T") ?? "1");
        CpuParallel.MaxConcurrency = threads;
        int rounds = int.Parse(Environment.GetEnvironmentVariable("R") ?? "3");
        var shapes = new List<(int m, int n, int k, bool ta, bool tb)>();
        foreach (var s in args)
        {
            var w = s.Split('x', ':');
            shapes.Add((int.Parse(w[0]), int.Parse(w[1]), int.Parse(w[2]), w.Length > 3 && w[3][0] == 'T', w.Length > 3 && w[3][1] == 'T'));
        }
        var rnd = new Random(1);
        var ops = shapes.Select(s => (new float[s.m * s.k].Select(_ => (float)rnd.NextDouble() - 0.5f).ToArray(), new float[s.k * s.n].Select(_ => (float)rnd.NextDouble() - 0.5f).ToArray(), new float[s.m * s.n])).ToList();
        var res = shapes.Select(_ => new List<double>()).ToList();
        var cpu = shapes.Select(_ => new List<double>()).ToList();
        var peaks = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            peaks.Add(Peak());
            for (int i = 0; i < shapes.Count; i++)
            {
                var s = shapes[i]; var o = ops[i];
                var perCpu = new List<double>();
                res[i].Add(Time(s.m, s.n, s.k, s.ta, s.tb, o.Item1, o.Item2, o.Item3, 7, perCpu));
                cpu[i].Add(perCpu.Max());
            }
        }
        peaks.Sort();
        double pk = peaks[peaks.Count / 2];
        Console.WriteLine($"probe(1 thread) median {pk:F1} GFLOP/s  rounds: {string.Join(", ", peaks.Select(x => x.ToString("F1")))}");
        for (int i = 0; i < shapes.Count; i++)
        {
            var l = res[i].OrderBy(x => x).ToList(); double med = l[l.Count / 2];
            var s = shapes[i];
            Console.WriteLine($"{s.m}x{s.n}x{s.k} {(s.ta ? 'T' : 'N')}{(s.tb ? 'T' : 'N')} T={threads}: {med,7:F1} GFLOP/s  {100 * med / (pk * threads):F0}% of probe  rounds: {string.Join(", ", res[i].Select(x => x.ToString("F1")))}"
                + (threads > 1 ? $"  per CPU-second: {string.Join(", ", cpu[i].Select(x => x.ToString("F1")))}" : ""));
        }
        return 0;
    }
}
