using ILGPU;

namespace Dsl.EndToEnd.Tests.Ilgpu;

/// <summary>A kernel of the dialect's shape that writes tanh, GELU, GELU' and Φ of each element of a0, one after another in r.</summary>
public static class ScalarMathKernel
{
    /// <summary>r[o + i] = tanh(a[i]), r[o + n + i] = GELU(a[i]), r[o + 2n + i] = GELU'(a[i]), r[o + 3n + i] = Φ(a[i]) for n = count.</summary>
    public static void Apply(int count, ArrayView<float> a0, int o0, ArrayView<float> r, int o, float seed, uint keyLow, uint keyHigh, uint step)
    {
        for (int gid = IlgpuGridStride.Start; gid < count; gid += IlgpuGridStride.Stride)
        {
            float x = a0[o0 + gid];
            r[o + gid] = IlgpuScalarMath.Tanh(x);
            r[o + count + gid] = IlgpuScalarMath.Gelu(x);
            r[o + 2 * count + gid] = IlgpuScalarMath.GeluDerivative(x);
            r[o + 3 * count + gid] = IlgpuScalarMath.NormalCdf(x);
        }
    }
}
