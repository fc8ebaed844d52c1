using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// GEMM and batched GEMM: every layout, sizes on both sides of the OpenCL tile (64), k = 0, and
/// operands at non-zero offsets. Within 2e-5·(1 + |c|): the device sums in another order.
/// </summary>
public abstract class GemmKernelTests : KernelContractTests
{
    private const double Tolerance = 2e-5;

    [KernelFact]
    public void GemmMatchesInEveryLayout()
    {
        int[][] shapes = [[1, 1, 1], [5, 7, 3], [17, 33, 65], [70, 66, 20], [3, 4, 0]];
        foreach (int[] s in shapes)
        {
            foreach (bool ta in new[] { false, true })
            {
                foreach (bool tb in new[] { false, true })
                {
                    int m = s[0], n = s[1], k = s[2];
                    float[] a = RandomFloats(m + n, 3 + (m * k)), b = RandomFloats(k + 7, 5 + (k * n));
                    Verify(
                        h =>
                        {
                            var c = h.Floats(RandomFloats(9, 2 + (m * n))); // garbage to be overwritten
                            h.Kernels.Gemm(ta, tb, m, n, k, h.Floats(a).Slice(3), h.Floats(b).Slice(5), c.Slice(2));
                            return h.Read(c)[2..];
                        },
                        () => Product(ta, tb, m, n, k, a, 3, b, 5),
                        Tolerance);
                }
            }
        }
    }

    [KernelFact]
    public void BatchedGemmMatchesWithStridesAndASharedOperand()
    {
        const int batch = 2, count = 3, m = 9, n = 70, k = 11;
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                // A per (example, head); B per example, shared by its heads (aStride m·k, bStride 0).
                float[] a = RandomFloats(1, 1 + (batch * count * m * k)), b = RandomFloats(2, batch * k * n);
                Verify(
                    h =>
                    {
                        var c = h.Zeros(batch * count * m * n);
                        h.Kernels.BatchedGemm(ta, tb, batch, count, m, n, k, h.Floats(a).Slice(1), count * m * k, m * k, h.Floats(b), k * n, 0, c);
                        return h.Read(c);
                    },
                    () =>
                    {
                        var expected = new double[batch * count * m * n];
                        for (int z = 0; z < batch * count; z++)
                        {
                            double[] product = Product(ta, tb, m, n, k, a, 1 + (z * m * k), b, z / count * k * n);
                            product.CopyTo(expected, z * m * n);
                        }

                        return expected;
                    },
                    Tolerance);
            }
        }
    }

    /// <summary>op(A)·op(B) in double, A and B read from their offsets.</summary>
    private static double[] Product(bool ta, bool tb, int m, int n, int k, float[] a, int ao, float[] b, int bo)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                    sum += (double)a[ao + (ta ? (p * m) + i : (i * k) + p)] * b[bo + (tb ? (j * k) + p : (p * n) + j)];
                c[(i * n) + j] = sum;
            }
        }

        return c;
    }
}

/// <summary>The CPU's GEMM against the double reference.</summary>
public sealed class CpuGemmKernelTests : GemmKernelTests
{
    protected override DeviceKernels Kernels => Device.Cpu.Kernels;
}

/// <summary>The OpenCL GEMM against the CPU's.</summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClGemmKernelTests(OpenClKernelsFixture fixture) : GemmKernelTests, IOpenClKernelTests
{
    protected override DeviceKernels Kernels => fixture.Device.Kernels;
}
