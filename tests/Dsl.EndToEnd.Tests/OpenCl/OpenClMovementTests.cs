using System;
using System.Linq;
using System.Reflection;
using Dsl.EndToEnd.Tests.Models;
using Dsl.Kernels;
using Dsl.Testing;
using Xunit;

namespace Dsl.EndToEnd.Tests.OpenCl;

/// <summary>
/// The generated movement kernels (swap_axes, copy_blocks, causal_mask) with their generated
/// launchers, HandAttention's, against the CPU's <see cref="Movement"/> kernels: they only move
/// floats, so the results must be bit-identical, including views the model does not use (a swap
/// with a middle axis, a repeated unbatched part) and offsets into every buffer.
/// </summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClMovementTests(OpenClDeviceFixture fixture)
{
    private const BindingFlags PrivateStatic = BindingFlags.NonPublic | BindingFlags.Static;
    private const int Offset = 5;

    private static MethodInfo Launcher(string name) =>
        typeof(HandAttention).GetNestedType("OpenClProgram", BindingFlags.NonPublic)!.GetMethod(name, PrivateStatic)
            ?? throw new InvalidOperationException($"HandAttention's OpenCL program has no launcher {name}");

    private OpenClKernel Kernel(string name) =>
        fixture.Device.GetProgram(OpenClKernelSourceTests.KernelSource(typeof(HandAttention)), "HandAttention movement", "").CreateKernel(name);

    [OpenClTheory]
    [InlineData(1, 3, 1, 4, 1)]
    [InlineData(3, 6, 1, 2, 4)]
    [InlineData(2, 2, 3, 4, 2)]
    public void SwapAxesMatchesTheCpuBitForBit(int outer, int a, int middle, int b, int inner)
    {
        int size = outer * a * middle * b * inner;
        float[] x = Enumerable.Range(0, size).Select(i => (float)Math.Sin(i)).ToArray();
        var expected = new float[size];
        Movement.SwapAxes(x, expected, outer, a, middle, b, inner);

        var launch = Launcher("SwapAxes");
        using OpenClKernel kernel = Kernel("swap_axes");
        using OpenClBuffer xBuffer = Upload(x), yBuffer = fixture.Device.AllocateFloats(Offset + size, "y");
        launch.Invoke(null, new object[] { kernel, outer, a, middle, b, inner, xBuffer, Offset, yBuffer, Offset });
        Assert.Equal(expected, Read(yBuffer, size));
    }

    [OpenClFact]
    public void CopyBlocksAndTheCausalMaskMatchTheCpu()
    {
        float[] batched = Enumerable.Range(1, 12).Select(i => (float)i).ToArray();
        float[] shared = { 100, 200 };
        var expected = new float[16];
        Movement.CopyBlocks(batched, expected, 4, 4, 3, 3, 0, 4, 0);
        Movement.CopyBlocks(shared, expected, 4, 2, 1, 1, 0, 4, 3);

        var copy = Launcher("CopyBlocks");
        using OpenClKernel kernel = Kernel("copy_blocks");
        using OpenClBuffer a = Upload(batched), s = Upload(shared), y = fixture.Device.AllocateFloats(Offset + 16, "y");
        copy.Invoke(null, new object[] { kernel, 4, 4, 3, 3, 0, 4, 0, a, Offset, y, Offset });
        copy.Invoke(null, new object[] { kernel, 4, 2, 1, 1, 0, 4, 3, s, Offset, y, Offset });
        Assert.Equal(expected, Read(y, 16));

        var mask = Launcher("CausalMask");
        using OpenClKernel maskKernel = Kernel("causal_mask");
        using OpenClBuffer m = fixture.Device.AllocateFloats(Offset + 49, "mask");
        mask.Invoke(null, new object[] { maskKernel, 7, m, Offset });
        var cpu = new float[49];
        Movement.CausalMask(cpu, 7);
        Assert.Equal(cpu, Read(m, 49));
    }

    private OpenClBuffer Upload(float[] values)
    {
        OpenClBuffer buffer = fixture.Device.AllocateFloats(Offset + values.Length, "x");
        buffer.Fill(float.NaN, 0, Offset);
        buffer.Write(values, Offset);
        return buffer;
    }

    private static float[] Read(OpenClBuffer buffer, int count)
    {
        var all = new float[buffer.Count];
        buffer.Read(all);
        return all.Skip(Offset).Take(count).ToArray();
    }
}
