using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Dsl.Benchmarks;

/// <summary>
/// Entry point: BenchmarkDotNet's switcher, so <c>--filter</c>, <c>--job</c> and friends work;
/// <c>serve</c> is the mode bench/compare.py drives; <c>generator-scaling</c> times the generator by depth
/// (see <see cref="GeneratorBenchmarks.Scaling"/>); <c>generator-incremental</c> times the IDE's edits
/// (see <see cref="IncrementalGeneratorBenchmarks.Measure"/>); <c>conv-profile [threads]</c> times the
/// convolutional steps' kernels alone (see <see cref="ConvolutionProfile"/>); <c>device-conv-profile [rounds]</c>
/// times the device convolution kernels on OpenCL (see <see cref="DeviceConvolutionProfile"/>); <c>cputime CASE CALLS</c>
/// times a case's calls by the thread's CPU clock (see <see cref="StepCpuTime"/>).
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line, or, with <c>serve</c>, answers bench/compare.py's timing requests.</summary>
    /// <param name="args">BenchmarkDotNet options, e.g. <c>--filter '*Gemm*' --job short</c>; or <c>serve</c>; or <c>generator-scaling [depths] [runs]</c>; or <c>generator-incremental [runs] [cases...]</c>.</param>
    public static int Main(string[] args)
    {
        if (args is ["serve"])
            return Serve.Run();
        if (args is ["cputime", ..])
            return StepCpuTime.Run(args[1..]);
        if (args is ["conv-profile", ..])
            return ConvolutionProfile.Run(args[1..]);
        if (args is ["device-conv-profile", ..])
            return DeviceConvolutionProfile.Run(args[1..]);
        if (args is ["generator-scaling", ..])
            return GeneratorBenchmarks.Scaling(args[1..]);
        if (args is ["generator-incremental", ..])
            return IncrementalGeneratorBenchmarks.Measure(args[1..]);

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            .Run(args, DefaultConfig.Instance.AddColumn(StatisticColumn.Median, new GflopsColumn()));
        return 0;
    }
}
