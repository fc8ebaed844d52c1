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
    /// The shapes measured: square sizes, a tiny MLP layer, and the three products of a Dense
    /// layer (784 → 512, batch 256): forward X·Wᵀ, input gradient dY·W, weight gradient dYᵀ·X.
    /// </summary>
    public static GemmCase[] All =>
    [
        new("tiny", false, false, 32, 16, 10),
        new("sq", false, false, 256, 256, 256),
        new("sq", false, false, 512, 512, 512),
        new("sq", false, false, 1024, 1024, 1024),
        new("fwd", false, true, 256, 512, 784),
        new("dX", false, false, 256, 784, 512),
        new("dW", true, false, 512, 784, 256),
    ];
}
