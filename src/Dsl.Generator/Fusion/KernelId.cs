namespace Dsl.Generator.Fusion;

/// <summary>
/// The library kernels a planned call runs, one member per kernel every backend provides (the CPU's
/// static span kernels, a device's kernel library). Each member's documentation gives the order of
/// the call's <see cref="KernelCall.Sizes"/> and <see cref="KernelCall.Operands"/>; the result is
/// always <see cref="KernelCall.Node"/>.
/// </summary>
internal enum KernelId
{
    /// <summary>C = op(A)·op(B), one product. Sizes: m, n, k. Operands: A, B. Transposes and an optional epilogue.</summary>
    Gemm,

    /// <summary>
    /// One small product per (example, leading index). Sizes: batch, count, m, n, k, A's batch
    /// stride, A's stride, B's batch stride, B's stride. Operands: A, B. Transposes.
    /// </summary>
    BatchedGemm,

    /// <summary>Swaps axes a and b of the view [outer, a, middle, b, inner]. Sizes: outer, a, middle, b, inner. Operands: x.</summary>
    SwapAxes,

    /// <summary>
    /// Copies blocks of a row into blocks of another. Sizes: blocks, source blocks (the source
    /// repeats after them), width, source stride, source offset, destination stride, destination
    /// offset. Operands: the source.
    /// </summary>
    CopyBlocks,

    /// <summary>The additive causal mask of a sequence. Sizes: length. Operands: none.</summary>
    CausalMask,

    /// <summary>[T, 3·d] rows into heads. Sizes: batch, length, heads, head width, part, parts. Operands: x.</summary>
    SplitHeads,

    /// <summary>Heads back into [T, d] rows. Sizes: batch, length, heads, head width, part, parts. Operands: x.</summary>
    MergeHeads,

    /// <summary>Softmax of each row. Sizes: rows, cols. Operands: x.</summary>
    Softmax,

    /// <summary>Log-softmax of each row. Sizes: rows, cols. Operands: x.</summary>
    LogSoftmax,

    /// <summary>Softmax of each row of square score matrices, over the columns up to the row's index. Sizes: rows, cols. Operands: x.</summary>
    CausalSoftmax,

    /// <summary>The sum of each row. Sizes: rows, cols. Operands: x.</summary>
    SumRows,

    /// <summary>The sum of each column over the rows. Sizes: rows, cols. Operands: x.</summary>
    SumColumns,

    /// <summary>Each element repeated along a new last axis. Sizes: rows, cols (of the result). Operands: x.</summary>
    ExpandLast,

    /// <summary>A vector repeated as every row. Sizes: rows, cols (of the result). Operands: x.</summary>
    Tile,

    /// <summary>(x - mean) / √(var + ε) of each row. Sizes: rows, cols. Operands: x. <see cref="KernelCall.Epsilon"/>.</summary>
    LayerNorm,

    /// <summary>1 / √(var + ε) of each row. Sizes: rows, cols. Operands: x. <see cref="KernelCall.Epsilon"/>.</summary>
    LayerNormInverseDeviation,

    /// <summary>LayerNorm's input gradient. Sizes: rows, cols. Operands: the normalised rows, the inverse deviations, the output gradient.</summary>
    LayerNormBackward,

    /// <summary>Rows of a table picked by index. Sizes: rows, cols, table rows. Operands: the table, the indices.</summary>
    Gather,

    /// <summary>Rows added into a table at their indices. Sizes: rows, cols, table rows. Operands: the indices, the rows.</summary>
    ScatterAdd,

    /// <summary>Cross-entropy of each row of logits with its label. Sizes: rows, cols. Operands: logits, labels.</summary>
    CrossEntropy,

    /// <summary>
    /// The gradient of cross-entropy with respect to the logits. Sizes: rows, cols. Operands:
    /// logits, labels. <see cref="KernelCall.Weight"/> weighs each row.
    /// </summary>
    CrossEntropyBackward,

    /// <summary>1 where a row's largest logit is its label's, else 0. Sizes: rows, cols. Operands: logits, labels.</summary>
    Accuracy,

    /// <summary>A one-hot row per label. Sizes: rows, cols. Operands: labels.</summary>
    OneHot,

    // ---- Issue 22 (ops): the first maximum of each row ----

    /// <summary>The index (as a float) of the first largest value of each row. Sizes: rows, cols. Operands: x.</summary>
    ArgMax,

    /// <summary>1 at the first largest value of each row, 0 elsewhere. Sizes: rows, cols. Operands: x.</summary>
    ArgMaxMask,

    // ---- Issue 22 (ops): torch.gather along the last axis and its transpose ----

    /// <summary>y[r, j] = x[r, index[r, j]] (NaN for an index outside [0, n)). Sizes: rows, n, k. Operands: x, index.</summary>
    GatherLast,

    /// <summary>y[r, c] = Σ g[r, j] over the j with index[r, j] = c. Sizes: rows, n, k. Operands: index, g.</summary>
    ScatterLast,

    // ---- Convolution and pooling (issue 19) ----

    /// <summary>
    /// Receptive fields as rows. Sizes: batch, channels, height, width, kh, kw, sh, sw, ph, pw, dh,
    /// dw. Operands: x.
    /// </summary>
    Im2Col,

    /// <summary>Rows added back into images (Im2Col's transpose). Sizes: as Im2Col's. Operands: cols.</summary>
    Col2Im,

    // ---- BatchNorm (issue 19) ----

    /// <summary>y = x / (batch·k + c); sizes (count, batch, k, c), then the layer's name for the error.</summary>
    BatchCountScale,

    // ---- Fused per-example convolution (issue 19) ----

    /// <summary>
    /// y[e] = W·im2col(x[e])ᵀ, [out, OH·OW] per example. Sizes: batch, channels, height, width, kh, kw,
    /// sh, sw, ph, pw, dh, dw, out. Operands: x, W.
    /// </summary>
    ConvolutionForward,

    /// <summary>x̄[e] = col2im(Wᵀ·ȳ[e]). Sizes: as ConvolutionForward's. Operands: ȳ, W.</summary>
    ConvolutionInputGrad,

    /// <summary>W̄ = Σ_e ȳ[e]·im2col(x[e]). Sizes: as ConvolutionForward's. Operands: ȳ, x.</summary>
    ConvolutionWeightGrad,

    // ---- Direct pooling (issue 19) ----

    /// <summary>
    /// y[e, c, oy, ox] = values at the first maximum of the scores in window (oy, ox). Sizes: batch,
    /// channels, height, width, kh, kw, sh, sw, ph, pw, dh, dw. Operands: scores, values.
    /// </summary>
    MaxPool,

    /// <summary>dx = each d added at its window's first maximum of the scores. Sizes: as MaxPool's. Operands: scores, d.</summary>
    MaxPoolBackward,

    /// <summary>y = each window's sum (padding counted) times 1/(kh·kw). Sizes: as MaxPool's. Operands: x.</summary>
    AvgPool,

    /// <summary>dx = Σ d/(kh·kw) over the windows covering each pixel. Sizes: as MaxPool's. Operands: d.</summary>
    AvgPoolBackward,

    // ---- Adaptive pooling (issue 19) ----

    /// <summary>
    /// y[e, c, oy, ox] = values at the first maximum of the scores in PyTorch's adaptive window
    /// (oy, ox). Sizes: batch, channels, height, width, oh, ow. Operands: scores, values.
    /// </summary>
    AdaptiveMaxPool,

    /// <summary>dx = each d added at its adaptive window's first maximum of the scores. Sizes: as AdaptiveMaxPool's. Operands: scores, d.</summary>
    AdaptiveMaxPoolBackward,

    /// <summary>y = each adaptive window's mean. Sizes: as AdaptiveMaxPool's. Operands: x.</summary>
    AdaptiveAvgPool,

    /// <summary>dx = Σ d/(window size) over the adaptive windows covering each pixel. Sizes: as AdaptiveMaxPool's. Operands: d.</summary>
    AdaptiveAvgPoolBackward,

    // ---- Fused attention (issue 20, item 3) ----

    /// <summary>
    /// y = the heads of multi-head attention over the fused projection, side by side. Sizes: batch, T,
    /// heads, dh. Operands: qkv. The causal flag, the dropout's p and its site are the node's, its
    /// seed and step the program's; the runtime's methods take them after the sizes.
    /// </summary>
    Attention,

    /// <summary>q̄kv from qkv and ȳ, the weights recomputed. Sizes: as Attention's. Operands: qkv, ȳ.</summary>
    AttentionBackward,
}
