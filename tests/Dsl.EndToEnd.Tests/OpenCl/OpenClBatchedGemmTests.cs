using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Dsl.EndToEnd.Tests.Models;
using Dsl.Testing;
using Xunit;

namespace Dsl.EndToEnd.Tests.OpenCl;

/// <summary>
/// The generated batched GEMM kernels (matmul_nn/nt/tn, attention's q·kᵀ and P·v) alone, with
/// the generated launcher, against a double-precision product per (example, leading index):
/// the three layouts attention uses, shapes that fill no tile evenly, shared operands (stride 0), offsets, and the
/// tilings the host may choose. The kernels and launcher are TinyAttention's, reached by
/// reflection as in <see cref="OpenClGemmTests"/>.
/// </summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClBatchedGemmTests(OpenClDeviceFixture fixture)
{
    private delegate void Launch(OpenClKernel kernel, int batch, int count, int m, int n, int k,
        OpenClBuffer a, int aOffset, int aBatchStride, int aStride, OpenClBuffer b, int bOffset, int bBatchStride, int bStride, OpenClBuffer c, int cOffset);

    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
    private const int Offset = 5;

    public static IEnumerable<object[]> Cases =>
        from tiling in new[] { (64, 4), (16, 8), (8, 4) }
        from layout in new[] { "nn", "nt", "tn" }   // the layouts attention uses (matmul_tt is in no test model)
        from shape in new[] { new[] { 3, 2, 8, 8, 4, 1, 1 }, new[] { 2, 3, 17, 9, 70, 1, 0 }, new[] { 2, 2, 1, 1, 1, 0, 1 } }
        select new object[] { tiling.Item1, tiling.Item2, layout, shape };

    [OpenClTheory]
    [MemberData(nameof(Cases))]
    public void EveryProductMatchesADoublePrecisionReference(int tile, int block, string layout, int[] shape)
    {
        bool ta = layout[0] == 't', tb = layout[1] == 't';
        int batch = shape[0], count = shape[1], m = shape[2], n = shape[3], k = shape[4];
        // A per example and leading index; B per example and leading index, or (shape[5] = 0) one shared matrix.
        int aStride = m * k, aBatchStride = count * m * k;
        int bStride = shape[6] * k * n, bBatchStride = shape[5] * count * k * n;
        var random = new Random(batch * 7 + count * 11 + m * 13 + n * 17 + k);
        float[] a = Values(random, batch * count * m * k), b = Values(random, Math.Max(1, (batch - 1) * bBatchStride + (count - 1) * bStride + k * n));

        using var program = new TinyAttention(seed: 0).Compile(fixture.Device, maxBatch: 1);
        Type type = program.GetType();
        string source = OpenClKernelSourceTests.KernelSource(typeof(TinyAttention));
        string options = $"-DTILE={tile} -DBLOCK={block}";
        using OpenClKernel kernel = fixture.Device.GetProgram(source, $"matmul_{layout} with {options}", options).CreateKernel("matmul_" + layout);
        type.GetField("_gemmTile", Private)!.SetValue(program, tile);
        type.GetField("_gemmBlock", Private)!.SetValue(program, block);
        var launch = type.GetMethod("BatchedGemm", Private)!.CreateDelegate<Launch>(program);

        using OpenClBuffer aBuffer = Upload(a), bBuffer = Upload(b);
        int cLength = batch * count * m * n;
        using OpenClBuffer cBuffer = fixture.Device.AllocateFloats(Offset + cLength + Offset, "c");
        cBuffer.Fill(12345f, 0, cBuffer.Count);
        launch(kernel, batch, count, m, n, k, aBuffer, Offset, aBatchStride, aStride, bBuffer, Offset, bBatchStride, bStride, cBuffer, Offset);
        var c = new float[cBuffer.Count];
        cBuffer.Read(c);

        Assert.All(c.Take(Offset).Concat(c.Skip(Offset + cLength)), value => Assert.Equal(12345f, value));
        for (int e = 0; e < batch; e++)
            for (int l = 0; l < count; l++)
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        int ao = e * aBatchStride + l * aStride, bo = e * bBatchStride + l * bStride;
                        double sum = 0, magnitude = 0;
                        for (int p = 0; p < k; p++)
                        {
                            double term = (double)a[ao + (ta ? p * m + i : i * k + p)] * b[bo + (tb ? j * k + p : p * n + j)];
                            sum += term;
                            magnitude += Math.Abs(term);
                        }
                        double actual = c[Offset + ((e * count + l) * m + i) * n + j];
                        Assert.True(Math.Abs(actual - sum) <= 1e-5 * magnitude + 1e-7,
                            $"matmul_{layout} {options} product ({e}, {l}) C[{i}, {j}] = {actual}, expected {sum}");
                    }
    }

    private OpenClBuffer Upload(float[] values)
    {
        OpenClBuffer buffer = fixture.Device.AllocateFloats(Offset + values.Length, "operand");
        buffer.Fill(float.NaN, 0, Offset);
        buffer.Write(values, Offset);
        return buffer;
    }

    private static float[] Values(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}
