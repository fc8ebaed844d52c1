namespace Dsl.Kernels;

/// <summary>
/// Work fused into a matrix product (<see cref="Gemm.Multiply"/>): called for a block of C, rows
/// [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) × columns [<paramref name="columnStart"/>,
/// <paramref name="columnEnd"/>), as soon as the block holds its final values.
/// </summary>
/// <remarks>
/// The generated train steps use it for what follows a layer's product (the bias add, the
/// activation, dropout, a residual add, or the activation's derivative in the backward pass):
/// the block is still in cache (a row block of up to 128 rows: L2), so that work costs no pass
/// over memory and no fork-join of its own.
/// Blocks are disjoint and together cover C once; on several cores they run concurrently, each on
/// the thread that computed it.
/// </remarks>
/// <param name="rowStart">The block's first row of C.</param>
/// <param name="rowEnd">One past its last row.</param>
/// <param name="columnStart">Its first column.</param>
/// <param name="columnEnd">One past its last column.</param>
public delegate void GemmEpilogue(int rowStart, int rowEnd, int columnStart, int columnEnd);
