namespace Dsl.Benchmarks;

/// <summary>One matrix product shape: C[m, n] = op(A)[m, k] · op(B)[k, n].</summary>
/// <param name="Name">A short label for the summary table.</param>
/// <param name="TransposeA">Whether A is stored k×m.</param>
/// <param name="TransposeB">Whether B is stored n×k.</param>
/// <param name="M">Rows of C.</param>
/// <param name="N">Columns of C.</param>
/// <param name="K">The shared dimension.</param>
public sealed record GemmCase(string Name, bool TransposeA, bool TransposeB, int M, int N, int K)
{
    /// <summary>Floating-point operations of one product (a multiply and an add per term).</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>The label BenchmarkDotNet prints for this parameter value.</summary>
    /// <remarks>Kept under BenchmarkDotNet's 20-character limit: name, m×n×k, then N/T for op(A) and op(B).</remarks>
    public override string ToString() => $"{Name} {M}x{N}x{K} {(TransposeA ? 'T' : 'N')}{(TransposeB ? 'T' : 'N')}";

    /// <summary>
    /// The shapes measured: square sizes 128-2048, and the products of issue 7's models as their
    /// generated steps call them (forward X·Wᵀ "NT", weight gradient dYᵀ·X "TN", input gradient
    /// dY·W "NN"): the seed MLP at batch 100, 784-128-10 at 128, 784-1024-1024-10 at 256, and
    /// the first layer of 784-128-10 at batch 1; then issue 20's: 4096³, 784-1024-1024-10 at batch
    /// 32, and a narrow convolution product (im2col rows · Wᵀ: 2048 pixels, 32 channels out, 16·3·3 deep).
    /// </summary>
    public static GemmCase[] All =>
    [
        new("sq", false, false, 128, 128, 128),
        new("sq", false, false, 256, 256, 256),
        new("sq", false, false, 512, 512, 512),
        new("sq", false, false, 1024, 1024, 1024),
        new("sq", false, false, 2048, 2048, 2048),
        new("seed", false, true, 100, 16, 10),
        new("seed", true, false, 16, 10, 100),
        new("seed", false, false, 100, 16, 2),
        new("m128", false, true, 128, 128, 784),
        new("m128", true, false, 128, 784, 128),
        new("m128", false, true, 128, 10, 128),
        new("m1k", false, true, 256, 1024, 784),
        new("m1k", false, true, 256, 1024, 1024),
        new("m1k", false, false, 256, 1024, 1024),
        new("m1k", true, false, 1024, 784, 256),
        new("m1k", true, false, 1024, 1024, 256),
        new("pred", false, true, 1, 128, 784),
        new("sq", false, false, 4096, 4096, 4096),
        new("b32", false, true, 32, 1024, 784),
        new("b32", false, false, 32, 784, 1024),
        new("b32", true, false, 1024, 1024, 32),
        new("conv", false, true, 2048, 32, 144),
    ];
}
