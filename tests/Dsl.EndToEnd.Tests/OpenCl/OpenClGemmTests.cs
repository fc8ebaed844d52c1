using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Dsl.Testing;
using QuickStart;
using Xunit;

namespace Dsl.EndToEnd.Tests.OpenCl;

/// <summary>
/// The generated GEMM kernels alone, with the generated launcher, against a double-precision
/// product: every layout, shapes that fill no tile evenly (and a 1×1×1), offsets into every
/// buffer, and every tiling the host may choose (both blocks, the full tile and smaller ones). The kernels and the launcher are the QuickStart
/// classifier's (its train step uses all three layouts), reached by reflection; each tiling is
/// tried by building the same source with <c>-DTILE= -DBLOCK=</c> and setting the program's
/// tiling fields to match, as the constructor does for other devices.
/// </summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClGemmTests(OpenClDeviceFixture fixture)
{
    private delegate void Launch(OpenClKernel kernel, int m, int n, int k, OpenClBuffer a, int aOffset, OpenClBuffer b, int bOffset, OpenClBuffer c, int cOffset);

    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
    private const int Offset = 3;
    private const float Untouched = 12345f;

    public static IEnumerable<object[]> Cases =>
        from block in new[] { 4, 8 }
        from tile in new[] { 64, 32, 16, 8 }
        from layout in new[] { "nt", "nn", "tn" }
        from shape in new[] { (1, 1, 1), (17, 33, 65), (130, 7, 300) }
        select new object[] { tile, block, layout, shape.Item1, shape.Item2, shape.Item3 };

    [OpenClTheory]
    [MemberData(nameof(Cases))]
    public void TheProductMatchesADoublePrecisionReference(int tile, int block, string layout, int m, int n, int k)
    {
        bool transposeA = layout[0] == 't', transposeB = layout[1] == 't';
        var random = new Random(m * 31 + n * 7 + k);
        float[] a = RandomValues(random, m * k), b = RandomValues(random, k * n);

        using var program = new Classifier(seed: 0).Compile(fixture.Device, maxBatch: 1);
        Type type = program.GetType();
        string source = OpenClKernelSourceTests.KernelSource(typeof(Classifier));
        string options = $"-DTILE={tile} -DBLOCK={block}";
        using OpenClKernel kernel = fixture.Device.GetProgram(source, $"gemm_{layout} with {options}", options).CreateKernel("gemm_" + layout);
        type.GetField("_gemmTile", Private)!.SetValue(program, tile);
        type.GetField("_gemmBlock", Private)!.SetValue(program, block);
        var launch = type.GetMethod("Gemm", Private)!.CreateDelegate<Launch>(program);

        using OpenClBuffer aBuffer = Upload(a), bBuffer = Upload(b);
        using OpenClBuffer cBuffer = fixture.Device.AllocateFloats(Offset + m * n + Offset, "c");
        cBuffer.Fill(Untouched, 0, cBuffer.Count);
        launch(kernel, m, n, k, aBuffer, Offset, bBuffer, Offset, cBuffer, Offset);
        var c = new float[cBuffer.Count];
        cBuffer.Read(c);

        Assert.All(c.Take(Offset).Concat(c.Skip(Offset + m * n)), value => Assert.Equal(Untouched, value));
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double term = (double)a[transposeA ? p * m + i : i * k + p] * b[transposeB ? j * k + p : p * n + j];
                    sum += term;
                    magnitude += Math.Abs(term);
                }
                // float sums of k terms: a few ulps of the terms' magnitude, far below any indexing error.
                double actual = c[Offset + i * n + j];
                Assert.True(Math.Abs(actual - sum) <= 1e-5 * magnitude,
                    $"gemm_{layout} {options} {m}x{n}x{k}: C[{i}, {j}] = {actual}, expected {sum} (sum of |terms| {magnitude})");
            }
    }

    private OpenClBuffer Upload(float[] values)
    {
        OpenClBuffer buffer = fixture.Device.AllocateFloats(Offset + values.Length, "operand");
        buffer.Fill(float.NaN, 0, Offset);
        buffer.Write(values, Offset);
        return buffer;
    }

    private static float[] RandomValues(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
}
