using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Dsl.Benchmarks;

/// <summary>
/// Entry point: BenchmarkDotNet's switcher, so <c>--filter</c>, <c>--job</c> and friends work;
/// <c>serve</c> and <c>memory THREADS</c> are the modes bench/compare.py drives.
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line, or one of the script's modes.</summary>
    /// <param name="args">BenchmarkDotNet options, e.g. <c>--filter '*Gemm*' --job short</c>; or <c>serve</c>; or <c>memory 1</c>.</param>
    public static int Main(string[] args)
    {
        if (args is ["serve"])
            return Serve.Run();
        if (args is ["memory", var threads])
            return PeakMemory.Run(int.Parse(threads, CultureInfo.InvariantCulture));

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            .Run(args, DefaultConfig.Instance.AddColumn(StatisticColumn.Median, new GflopsColumn()));
        return 0;
    }
}
