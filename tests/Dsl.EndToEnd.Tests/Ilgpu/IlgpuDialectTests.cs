using System;
using System.Linq;
using System.Reflection;
using Dsl.Kernels;
using ILGPU;
using Xunit;

namespace Dsl.EndToEnd.Tests.Ilgpu;

/// <summary>
/// The generated ILGPU kernels compute what the CPU backend computes for the same inputs: run on
/// ILGPU's CPU accelerator (ILGPU's compiled form of each kernel, not the C# method), held to the CPU
/// program's output, the CPU's dropout mask and the CPU's scalar GELU, tanh and GELU derivative.
/// </summary>
/// <remarks>
/// The CPU evaluates tanh and GELU with fused multiply-adds that <see cref="IlgpuScalarMath"/>
/// writes unfused (ILGPU cannot compile <see cref="MathF.FusedMultiplyAdd"/>), so those differ by a
/// few units in the last place: <see cref="Ulps"/> bounds them, in ulps of the result, or of 1/2
/// where the result is a difference of terms near 1/2 (|x| &lt; 4). Dropout agrees bit for bit.
/// </remarks>
public sealed class IlgpuDialectTests : IDisposable
{
    /// <summary>
    /// The bound on a difference, in float ulps (see the remarks): 4, twice the worst seen (tanh 1,
    /// GELU 2, GELU' 1 over the sweep; ScalarZoo's chain 0).
    /// </summary>
    private const float Ulps = 4;

    private readonly CpuAcceleratorKernels _kernels = new();

    /// <summary>
    /// ScalarZoo's Forward kernel on ILGPU's CPU accelerator gives the CPU program's prediction.
    /// </summary>
    [Fact]
    public void ElementwiseOpsMatchTheCpuProgramsPrediction()
    {
        const int Examples = 5, Size = 4 * 8;
        var model = new ScalarZoo(seed: 0);
        // One kernel: the unary ops, then Clamp, whose operand (a ReLU) is read twice; the kernel also
        // stores that operand, which the training step's backward reads again.
        MethodInfo forward = Assert.Single(IlgpuModels.Sources(typeof(ScalarZoo)).Ilgpu!.Where(m => m.Name.StartsWith("Forward", StringComparison.Ordinal)));
        Assert.Equal(3, forward.GetParameters().Count(p => p.ParameterType == typeof(ArrayView<float>)));

        var random = new Random(5);
        float[] x = Enumerable.Range(0, Examples * Size).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
        using CompiledProgram cpu = ((ITrainableModel)model).Compile(Device.Cpu, Examples, LossReduction.Mean);
        var batch = new Dsl.Batch(new[] { new ColumnInfo("x", ColumnType.Float32, new[] { 4, 8 }) }, Examples);
        x.CopyTo(batch.FloatBuffer(0));
        batch.SetExamples(Enumerable.Range(0, Examples).ToArray());
        float[] expected = new float[Examples * Size];
        cpu.Predict(batch, expected);

        float[] actual = _kernels.Run(forward, x.Length, new[] { x }, x.Length, offset: 3, default, storedValues: 1);

        AssertWithinUlps(expected, actual, x);
    }

    /// <summary>Dropper's input dropout on ILGPU's CPU accelerator keeps exactly the elements the CPU's mask keeps.</summary>
    [Theory]
    [InlineData(0x0123_4567_89AB_CDEFul, 0u)]
    [InlineData(42ul, 7u)]
    public void DropoutMatchesTheCpuMaskBitForBit(ulong key, uint step)
    {
        // %2 = dropout(%1, p=0.25, site=0) on the input x: one array in, the mask applied, nothing fused.
        MethodInfo dropout = IlgpuModels.Kernel(typeof(Models.Dropper), "TrainingStepFused0");
        Assert.Equal(2, dropout.GetParameters().Count(p => p.ParameterType == typeof(ArrayView<float>)));

        const int Count = 37 * 6;
        var random = new Random(3);
        float[] x = Enumerable.Range(0, Count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] actual = _kernels.Run(dropout, Count, new[] { x }, Count, offset: 5, new FusedScalars(1f, key, step));

        var mask = new DropoutMask(key, 0u, step, 0.25f);
        float[] expected = x.Select((v, i) => mask.Apply(v, (ulong)i)).ToArray();
        Assert.Equal(expected, actual);
        Assert.InRange(actual.Count(v => v == 0f), Count / 8, Count * 3 / 8);
    }

    /// <summary>
    /// tanh, GELU, GELU's derivative and Φ, compiled by ILGPU on the CPU accelerator, against the CPU's
    /// scalar functions over [-12, 12] (both tails, the polynomial and exponential ranges of tanh,
    /// both branches of Φ) and at zero.
    /// </summary>
    [Fact]
    public void TanhGeluGeluDerivativeAndNormalCdfMatchTheCpusScalarFunctions()
    {
        float[] x = Enumerable.Range(0, 2401).Select(i => -12f + i * 0.01f).Append(0f).Append(-0f).ToArray();
        float[] actual = _kernels.Run(typeof(ScalarMathKernel).GetMethod(nameof(ScalarMathKernel.Apply))!, x.Length, new[] { x }, 4 * x.Length, offset: 0, default);

        AssertWithinUlps(x.Select(SimdMath.Tanh).ToArray(), actual[..x.Length], x);
        AssertWithinUlps(x.Select(SimdMath.Gelu).ToArray(), actual[x.Length..(2 * x.Length)], x);
        AssertWithinUlps(x.Select(SimdMath.GeluDerivative).ToArray(), actual[(2 * x.Length)..(3 * x.Length)], x);
        AssertWithinUlps(x.Select(SimdMath.NormalCdf).ToArray(), actual[(3 * x.Length)..], x);
    }

    /// <summary>Releases the accelerator.</summary>
    public void Dispose() => _kernels.Dispose();

    private static void AssertWithinUlps(float[] expected, float[] actual, float[] inputs)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float x = inputs[i % inputs.Length];
            // Below |x| = 4 the results are differences of terms near 1/2 (Φ = 1/2 ± erf/2, Φ + xφ), so
            // their rounding is in ulps of 1/2; beyond, no such cancellation: ulps of the result.
            float scale = MathF.Abs(x) < 4f ? MathF.Max(MathF.Abs(expected[i]), 0.5f) : MathF.Abs(expected[i]);
            float ulp = MathF.Max(MathF.BitIncrement(scale) - scale, float.Epsilon);
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= Ulps * ulp,
                $"element {i} (input {x:R}): CPU {expected[i]:R}, ILGPU {actual[i]:R}, more than {Ulps} ulps of {scale:R} apart");
        }
    }
}
