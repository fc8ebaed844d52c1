using System;
using System.Linq;
using Dsl.Testing;
using Dsl.Tests.Kernels.Contract;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Tiling;

/// <summary>
/// The OpenCL GEMM at every tiling a device may get, not only the one this device picks: every
/// layout, shapes that fill no tile evenly (and a 1×1×1), offsets into every buffer with the
/// elements around the result left untouched, against a double-precision product.
/// </summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClGemmTilingTests(OpenClGemmTilings tilings) : IClassFixture<OpenClGemmTilings>
{
    private const int Offset = 3;
    private const float Untouched = 12345f;

    private static readonly int[][] Shapes = [[1, 1, 1], [17, 33, 65], [130, 7, 300]];

    [OpenClTheory]
    [MemberData(nameof(OpenClGemmTilings.All), MemberType = typeof(OpenClGemmTilings))]
    public void EveryLayoutMatchesADoublePrecisionProduct(int tile, int block)
    {
        OpenClKernels kernels = tilings.Library(tile, block);
        Assert.Equal((tile, block), (kernels.GemmTile, kernels.GemmBlock));
        using var harness = new KernelHarness(kernels);
        foreach (int[] shape in Shapes)
        {
            int m = shape[0], n = shape[1], k = shape[2];
            foreach (string layout in new[] { "nn", "nt", "tn", "tt" })
            {
                bool ta = layout[0] == 't', tb = layout[1] == 't';
                var random = new Random((m * 31) + (n * 7) + k);
                float[] a = GemmReference.Values(random, m * k), b = GemmReference.Values(random, k * n);
                var c = harness.Floats(Enumerable.Repeat(Untouched, Offset + (m * n) + Offset).ToArray());
                kernels.Gemm(ta, tb, m, n, k, GemmReference.Upload(harness, a, Offset).Slice(Offset), GemmReference.Upload(harness, b, Offset).Slice(Offset), c.Slice(Offset));

                float[] result = harness.Read(c);
                string what = $"gemm_{layout} tile {tile} block {block} {m}x{n}x{k}";
                GemmReference.AssertUntouched(result, Offset, m * n, Untouched, what);
                GemmReference.AssertProduct(result, Offset, ta, tb, m, n, k, a, 0, b, 0, what);
            }
        }
    }
}
