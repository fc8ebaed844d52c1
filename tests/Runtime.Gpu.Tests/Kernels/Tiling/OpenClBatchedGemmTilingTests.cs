using System;
using System.Linq;
using Dsl.Testing;
using Dsl.Tests.Kernels.Contract;
using Dsl.Tests.OpenCl;
using Xunit;

namespace Dsl.Tests.Kernels.Tiling;

/// <summary>
/// The OpenCL batched GEMM at every tiling a device may get: every layout, products that fill no
/// tile evenly, an operand shared across examples or across leading indices (stride 0), offsets into
/// every buffer with the elements around the result left untouched, against a double-precision
/// product per (example, leading index).
/// </summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClBatchedGemmTilingTests(OpenClGemmTilings tilings) : IClassFixture<OpenClGemmTilings>
{
    private const int Offset = 5;
    private const float Untouched = 12345f;

    // batch, count, m, n, k, then whether B has a matrix per example and one per leading index
    // (0: shared): attention's shapes with a B per product, one per example (q·kᵀ over heads), one per index.
    private static readonly int[][] Shapes = [[3, 2, 8, 8, 4, 1, 1], [2, 3, 17, 9, 70, 1, 0], [2, 2, 1, 1, 1, 0, 1]];

    [OpenClTheory]
    [MemberData(nameof(OpenClGemmTilings.All), MemberType = typeof(OpenClGemmTilings))]
    public void EveryProductInEveryLayoutMatchesADoublePrecisionProduct(int tile, int block)
    {
        OpenClKernels kernels = tilings.Library(tile, block);
        using var harness = new KernelHarness(kernels);
        foreach (int[] shape in Shapes)
        {
            int batch = shape[0], count = shape[1], m = shape[2], n = shape[3], k = shape[4];
            int aStride = m * k, aBatchStride = count * m * k;
            int bStride = shape[6] * k * n, bBatchStride = shape[5] * count * k * n;
            foreach (string layout in new[] { "nn", "nt", "tn", "tt" })
            {
                bool ta = layout[0] == 't', tb = layout[1] == 't';
                var random = new Random((batch * 7) + (count * 11) + (m * 13) + (n * 17) + k);
                float[] a = GemmReference.Values(random, batch * count * m * k);
                float[] b = GemmReference.Values(random, ((batch - 1) * bBatchStride) + ((count - 1) * bStride) + (k * n));
                int length = batch * count * m * n;
                var c = harness.Floats(Enumerable.Repeat(Untouched, Offset + length + Offset).ToArray());
                kernels.BatchedGemm(
                    ta, tb, batch, count, m, n, k,
                    GemmReference.Upload(harness, a, Offset).Slice(Offset), aBatchStride, aStride,
                    GemmReference.Upload(harness, b, Offset).Slice(Offset), bBatchStride, bStride,
                    c.Slice(Offset));

                float[] result = harness.Read(c);
                string what = $"matmul_{layout} tile {tile} block {block} {batch}x{count} of {m}x{n}x{k}";
                GemmReference.AssertUntouched(result, Offset, length, Untouched, what);
                for (int e = 0; e < batch; e++)
                {
                    for (int l = 0; l < count; l++)
                    {
                        GemmReference.AssertProduct(
                            result, Offset + (((e * count) + l) * m * n), ta, tb, m, n, k,
                            a, (e * aBatchStride) + (l * aStride), b, (e * bBatchStride) + (l * bStride), $"{what}, product ({e}, {l})");
                    }
                }
            }
        }
    }
}
