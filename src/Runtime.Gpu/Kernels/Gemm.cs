using System;
using System.Runtime.Intrinsics;

namespace Dsl.Kernels;

/// <summary>
/// Single-precision matrix multiplication for row-major, contiguous matrices:
/// C = op(A)·op(B), or C += op(A)·op(B), where op transposes when asked.
/// </summary>
/// <remarks>
/// <para>
/// The structure is that of BLIS/GotoBLAS: op(B) is packed into k×NR micro-panels, op(A) is
/// read in place by row blocks that stay in L2, and an MR×NR micro-kernel keeps a tile of C in
/// vector registers while one packed B micro-panel stays in L1. With AVX-512 the tile is 8×32
/// (16 zmm accumulators); with AVX2 it is 6×16. Edges are handled by zero-padding (a last A
/// micro-panel of fewer than MR rows is packed) and by writing partial tiles through a small buffer.
/// </para>
/// <para>
/// Large products are split over cores with <see cref="CpuParallel"/>, one fork-join per block
/// of rows, each task packing the B it reads (or, when A is packed too, two per depth block: B
/// packed once for all threads, then row blocks); small ones take a direct SIMD path without packing.
/// How the depth is blocked (the summation order) depends on the depth and the processor's
/// caches only, never on the thread count.
/// An optional <see cref="GemmEpilogue"/> runs on each finished block of C. Nothing is allocated
/// per call: packing buffers are 64-byte aligned native memory kept per thread.
/// </para>
/// <para>
/// Spans may be longer than the matrices need (buffers sized for the largest batch); the extra
/// elements are neither read nor written. C must not overlap A or B.
/// </para>
/// </remarks>
public static unsafe partial class Gemm
{
    // Properties over Vector512.IsHardwareAccelerated rather than static fields: the JIT folds them
    // to constants even in methods compiled before the class is initialized (AggressiveOptimization).

    /// <summary>True when the AVX-512 micro-kernel is used (else the AVX2 one).</summary>
    private static bool Use512 => Vector512.IsHardwareAccelerated;

    /// <summary>Rows of the micro-tile.</summary>
    private static int MR => Use512 ? 8 : 6;

    /// <summary>Columns of the micro-tile (two vectors).</summary>
    private static int NR => Use512 ? 32 : 16;

    /// <summary>
    /// Computes C = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/> is set,
    /// where op(A) is m×k and op(B) is k×n.
    /// </summary>
    /// <param name="transposeA">A is stored k×m and op(A) = Aᵀ (else A is stored m×k).</param>
    /// <param name="transposeB">B is stored n×k and op(B) = Bᵀ (else B is stored k×n).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="a">A, row-major, at least m·k floats.</param>
    /// <param name="b">B, row-major, at least k·n floats.</param>
    /// <param name="c">C, row-major m×n, at least m·n floats.</param>
    /// <param name="accumulate">Add the product to C instead of overwriting C.</param>
    /// <param name="epilogue">
    /// Called once for every block of C as soon as the block's final values are written, while
    /// they are still in cache (see <see cref="GemmEpilogue"/>); blocks are disjoint and cover C.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void Multiply(
        bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate = false, GemmEpilogue? epilogue = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckOperand(a.Length, transposeA ? k : m, transposeA ? m : k, "A", nameof(a));
        CheckOperand(b.Length, transposeB ? n : k, transposeB ? k : n, "B", nameof(b));
        CheckOperand(c.Length, m, n, "C", nameof(c));

        if (m == 0 || n == 0)
            return;
        if (k == 0)
        {
            // An empty sum: C = 0, or C unchanged when accumulating.
            if (!accumulate)
                c[..(m * n)].Clear();
            epilogue?.Invoke(0, m, 0, n);
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            var operands = new Operands(transposeA, transposeB, m, n, k, pa, pb, pc, accumulate, epilogue);
            if (IsSmall(m, n, k))
            {
                MultiplySmall(operands);
                epilogue?.Invoke(0, m, 0, n);
            }
            else
            {
                MultiplyBlocked(operands);
            }
        }
    }

    private static void CheckOperand(int length, int rows, int cols, string matrix, string parameter)
    {
        long needed = (long)rows * cols;
        if (needed > int.MaxValue)
            throw new ArgumentException($"{matrix} would be {rows}x{cols}, more than a span can hold.", parameter);
        if (length < needed)
            throw new ArgumentException($"{matrix} is stored {rows}x{cols} ({needed} floats) but the span has {length}.", parameter);
    }

    /// <summary>The pinned operands of one call, as workers see them.</summary>
    private readonly struct Operands
    {
        public Operands(bool transposeA, bool transposeB, int m, int n, int k, float* a, float* b, float* c, bool accumulate, GemmEpilogue? epilogue = null)
        {
            Epilogue = epilogue;
            TransposeA = transposeA;
            TransposeB = transposeB;
            M = m;
            N = n;
            K = k;
            A = a;
            B = b;
            C = c;
            Accumulate = accumulate;
        }

        public bool TransposeA { get; }

        public bool TransposeB { get; }

        public int M { get; }

        public int N { get; }

        public int K { get; }

        public float* A { get; }

        public float* B { get; }

        public float* C { get; }

        public bool Accumulate { get; }

        /// <summary>What runs over each finished block of C, if anything (the blocked path calls it per tile).</summary>
        public GemmEpilogue? Epilogue { get; }
    }
}
