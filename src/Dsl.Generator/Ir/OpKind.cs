namespace Dsl.Generator.Ir;

/// <summary>
/// Every operation of the tensor IR, one catalogue in sections (after tinygrad's <c>Ops</c>).
/// Shapes are per example; <see cref="Node.Batched"/> says whether a value also varies over the
/// batch. Each op's derivative rule lives in <c>Autodiff/Rules</c>, its CPU emission in
/// <c>Emit/CSharp</c>; <see cref="OpGroups"/> classifies them.
/// </summary>
internal enum OpKind
{
    // ---- Leaves ----

    /// <summary>A float input of the program, one per example (e.g. <c>x</c>).</summary>
    Input,

    /// <summary>Int ids per example: a class index (a <c>Label</c> parameter, a scalar) or a sequence of token ids (a <c>Tokens</c> parameter, [T]).</summary>
    LabelInput,

    /// <summary>A trainable parameter, a view of the flat parameter buffer; not batched.</summary>
    Parameter,

    /// <summary>A scalar compile-time constant.</summary>
    Constant,

    /// <summary>The cotangent seeded into the loss: 1/B for a batch mean, per example.</summary>
    LossSeed,

    // ---- Element-wise unary ----

    Negate,
    Exp,
    Log,
    Tanh,
    Sigmoid,
    Relu,
    Gelu,

    /// <summary>√x (NaN below 0, as torch.sqrt); <c>Ops.Sqrt</c>. (<see cref="Sqrt"/> is the scalar functions' op.)</summary>
    SquareRoot,

    /// <summary>1/√x (torch.rsqrt).</summary>
    Rsqrt,

    /// <summary>|x|, <c>Ops.Abs</c>; its derivative is <see cref="Signum"/> (0 at 0, as PyTorch).</summary>
    Absolute,

    /// <summary>d Relu / dx: 1 where x &gt; 0, else 0.</summary>
    Step,

    /// <summary>d Absolute / dx = sign(x): 1, −1, or 0 at 0.</summary>
    Signum,

    /// <summary>d Gelu / dx = Φ(x) + x·φ(x).</summary>
    GeluDerivative,

    // ---- Element-wise binary (same shape, or one side a scalar that broadcasts) ----

    Add,
    Subtract,
    Multiply,
    Divide,

    /// <summary>torch.maximum: the larger of a and b; at a tie each gets half the gradient, as PyTorch.</summary>
    Maximum,

    /// <summary>torch.minimum: the smaller of a and b; at a tie each gets half the gradient, as PyTorch.</summary>
    Minimum,

    // ---- Element-wise ternary (same shape, or scalars that broadcast) ----

    /// <summary>
    /// torch.where: <c>y = c ≠ 0 ? a : b</c> element by element, inputs (c, a, b); any of them may be
    /// a scalar that broadcasts. The condition carries no gradient.
    /// </summary>
    Where,

    // ---- Movement ----

    /// <summary>
    /// torch.transpose: axes <see cref="Node.Attributes"/> = [dim0, dim1] (dim0 &lt; dim1, per-example
    /// axes) swapped; the result is a new array (viewed as [outer, A, middle, B, inner] → [outer, B, middle, A, inner]).
    /// Its own transpose.
    /// </summary>
    Transpose,

    /// <summary>torch.reshape: the same elements in the same order under this node's shape (sizes agree).</summary>
    Reshape,

    /// <summary>
    /// torch.cat: inputs (parts...) joined along axis <see cref="Node.Attributes"/> = [axis]; every
    /// other axis agrees. Parts may differ in batchedness (an unbatched part repeats per example).
    /// </summary>
    Concat,

    /// <summary>
    /// <c>y = x.narrow(axis, start, length)</c>: <see cref="Node.Attributes"/> = [axis, start, length]
    /// (how Split's parts are taken). Its transpose is a <see cref="Concat"/> with zeros.
    /// </summary>
    Slice,

    /// <summary>
    /// The [n, n] causal mask, 1 where column ≤ row and 0 above the diagonal (torch.tril of ones):
    /// no inputs, unbatched, a constant fixed at compile time that the program writes once per step.
    /// </summary>
    CausalMask,

    /// <summary>A per-example scalar repeated to this node's shape.</summary>
    Broadcast,

    /// <summary>
    /// <c>y[..., j] = x[...]</c>: each element repeated along a new last axis of this node's
    /// length (how a per-position value meets a row). Rank-0 inputs use <see cref="Broadcast"/>.
    /// </summary>
    ExpandLast,

    /// <summary>
    /// <c>y[t, ..., j] = x[j]</c>: an unbatched vector repeated over new leading axes (how a Dense
    /// bias meets a sequence <c>[T, out]</c>). The transpose of <see cref="SumLeading"/>.
    /// </summary>
    Tile,

    /// <summary>
    /// <c>y[h, t, j] = x[t, (part·H + h)·dh + j]</c>: heads cut out of one part of a fused projection
    /// [T, parts·H·dh] (part 0, 1, 2 = q, k, v of [T, 3d]), giving [H, T, dh]. Attributes =
    /// [heads, part, parts]. The transpose of <see cref="MergeHeads"/>.
    /// </summary>
    SplitHeads,

    /// <summary>
    /// <c>y[t, (part·H + h)·dh + j] = x[h, t, j]</c>, zero in the other parts: heads [H, T, dh] laid
    /// side by side into [T, parts·H·dh] (parts = 1: attention's output before its projection).
    /// Attributes = [part, parts]. The transpose of <see cref="SplitHeads"/>.
    /// </summary>
    MergeHeads,

    // ---- Reductions ----

    /// <summary>The sum of all of an example's elements: a scalar.</summary>
    Sum,

    /// <summary>The sum over the last axis of each row: <c>[..., n]</c> gives <c>[...]</c> (rank 2 or more; a vector uses <see cref="Sum"/>).</summary>
    SumLast,

    /// <summary>The sum of an unbatched value over every axis but the last: <c>[T, ..., n]</c> gives <c>[n]</c>.</summary>
    SumLeading,

    /// <summary>The sum over the batch: turns a batched value into an unbatched one (how parameter gradients reduce).</summary>
    BatchSum,

    // ---- Linear algebra (each a GEMM over the batch; leading axes [T, ...] are more rows) ----

    /// <summary><c>y[..., o] = Σ_i W[o,i]·x[..., i]</c>: inputs (W, x). A batch is <c>X·Wᵀ</c> over B·T rows.</summary>
    Linear,

    /// <summary><c>y[..., i] = Σ_o W[o,i]·g[..., o]</c>: inputs (W, g). A batch is <c>G·W</c> over B·T rows.</summary>
    LinearTranspose,

    /// <summary><c>y[o,i] = Σ_batch Σ_... a[..., o]·b[..., i]</c>: inputs (a, b); the result is unbatched. A batch is <c>Aᵀ·B</c>.</summary>
    OuterBatchSum,

    /// <summary>
    /// <c>C[..., m, n] = op(A)[..., m, k]·op(B)[..., k, n]</c> per example, batched over every leading
    /// axis: inputs (A, B); <see cref="Node.Attributes"/> = [transposeA, transposeB] (0/1), where a
    /// transposed operand is stored [..., k, m] (A) or [..., n, k] (B). Both operands have the same
    /// leading axes, or one is a matrix (rank 2) shared by every leading index; either may be
    /// unbatched. One small GEMM per (example, leading index).
    /// </summary>
    MatMul,

    // ---- Row-wise (over the last axis of one example; leading axes are more rows) ----

    Softmax,
    LogSoftmax,

    /// <summary>
    /// Softmax of each row i of a square [..., T, T] over its first i + 1 entries, exactly 0 after
    /// them: attention weights under a causal mask (query i sees keys j ≤ i).
    /// </summary>
    CausalSoftmax,

    /// <summary>logsumexp(logits) − logits[label] per row: inputs (logits [..., C], labels [...]).</summary>
    CrossEntropy,

    /// <summary>
    /// u·(softmax(logits) − onehot(label)) per row, cross_entropy's gradient in one row pass:
    /// inputs (logits [..., C], labels [...], u), u one weight per row [...] or one for all (a scalar).
    /// </summary>
    CrossEntropyGrad,

    /// <summary>A one-hot vector of the last axis's length per label: input (labels [...]).</summary>
    OneHot,

    /// <summary>1 if the first argmax of a row of logits equals its label, else 0: inputs (logits [..., C], labels [...]).</summary>
    Accuracy,

    /// <summary>
    /// x̂ = (x − mean)·r per row, r = 1/√(var + ε) with the variance biased: nn.LayerNorm before its
    /// weight and bias. One row kernel.
    /// </summary>
    LayerNorm,

    /// <summary>r = 1/√(var + ε) of each row: [..., d] gives [...] (what the backward pass keeps, as PyTorch's rstd).</summary>
    LayerNormScale,

    /// <summary>
    /// J·g for J the (symmetric) Jacobian of <see cref="LayerNorm"/>: r·(g − mean(g) − x̂·mean(g⊙x̂))
    /// per row, inputs (x̂, r, g). Its gradient (and forward derivative) in one row kernel.
    /// </summary>
    LayerNormBackward,

    /// <summary>
    /// x · mask / (1 − p), nn.Dropout in training: input (x); <see cref="Node.Constant"/> is p and
    /// <see cref="Node.Name"/> the dropout site (its number in the entry, as decimal text). The mask
    /// is Philox of (program seed, site, training step, example · size + element), so it is linear in
    /// x and the same op on a cotangent or a tangent is its VJP and its JVP.
    /// </summary>
    Dropout,

    // ---- Embeddings (a table indexed by token ids) ----

    /// <summary><c>y[t, :] = W[ids[t], :]</c>: inputs (W [count, d], ids [T]); gives [T, d].</summary>
    Gather,

    /// <summary>
    /// <c>y[c, :] = Σ_batch Σ_{t: ids[t] = c} g[t, :]</c>: inputs (ids [T], g [T, d]); the result is the
    /// unbatched [count, d] (how an embedding's gradient reaches its table). The transpose of <see cref="Gather"/>.
    /// </summary>
    ScatterAdd,

    // ---- Issue 22 (ops): the first maximum of each row, for Max, Min, ArgMax and LogSumExp over an axis ----

    /// <summary>
    /// The index of the first largest value of each last-axis row, as a float (torch.argmax; a NaN
    /// counts as the largest): [..., n] gives [...]. Carries no gradient.
    /// </summary>
    ArgMaxLast,

    /// <summary>
    /// 1 at the first largest value of each last-axis row, 0 elsewhere: [..., n] gives [..., n].
    /// Carries no gradient; Max is the row's sum of <c>Where(mask, x, 0)</c>, so its gradient goes to
    /// that one element, as torch.max(x, dim)'s does.
    /// </summary>
    ArgMaxMask,

    // ---- Issue 22 (ops): torch.gather along an axis, moved last ----
    // (Before the scalar-function block: OpGroups.IsScalarFunctionOp is op >= Variable.)

    /// <summary>
    /// torch.gather along the last axis: <c>y[..., j] = x[..., index[..., j]]</c> for x [..., n] and
    /// float indices [..., k] of the same leading axes (rounded toward zero; NaN where an index is
    /// outside [0, n)): inputs (x, index), gives [..., k]. Linear in x; the indices carry no gradient.
    /// </summary>
    GatherLast,

    /// <summary>
    /// The transpose of <see cref="GatherLast"/>: <c>y[..., c] = Σ_{j: index[..., j] = c} g[..., j]</c>:
    /// inputs (index [..., k], g [..., k]), attribute n; gives [..., n].
    /// </summary>
    ScatterLast,

    // ---- Scalar functions (the [Differentiable] functions of Dsl's JAX-style transforms) ----

    /// <summary>The current value of a named scalar variable of a function (a parameter, local or loop index).</summary>
    Variable,

    /// <summary>An element of a named array: input (index).</summary>
    Load,

    /// <summary>The length of a named array (an int).</summary>
    Length,

    /// <summary>A conversion to this node's element type (int to double, float to double, ...).</summary>
    Convert,

    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Sqrt,
    Abs,
    Log10,

    /// <summary>Piecewise-constant functions: Sign, Floor, Ceiling, Round; their derivative is zero.</summary>
    Sign,
    Floor,
    Ceiling,
    Round,

    Pow,
    Atan2,
    Max,
    Min,

    /// <summary>The integer remainder <c>a % b</c>.</summary>
    Remainder,

    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Equal,
    NotEqual,
    And,
    Or,
    Not,

    /// <summary><c>c ? a : b</c>: inputs (c, a, b).</summary>
    Select,

    /// <summary>
    /// A call of a user function with custom derivative rules (a <c>CustomRule</c>), always the
    /// whole value of a declaration: <see cref="Node.Name"/> is the function, the inputs its arguments.
    /// </summary>
    Call,

    // ---- Convolution and pooling (issue 19), over NCHW images [C, H, W] per example ----

    /// <summary>
    /// Each output position's receptive field as one row: input (x [C, H, W]); gives
    /// [OH·OW, C·kh·kw], a row laid out as PyTorch's conv weight [C, kh, kw], so a convolution is a
    /// <see cref="Linear"/> over the rows. Attributes = [kh, kw, sh, sw, ph, pw, dh, dw] (kernel,
    /// stride, zero padding, dilation). Linear; its transpose is <see cref="Col2Im"/>.
    /// </summary>
    Im2Col,

    /// <summary>
    /// The rows of <see cref="Im2Col"/> added back into the image they were read from: input
    /// (cols [OH·OW, C·kh·kw]); the result's shape [C, H, W] is the node's own. Attributes as Im2Col's.
    /// </summary>
    Col2Im,

    // ---- The GPT step (issue 20) ----

    /// <summary>
    /// Φ(x), the standard normal distribution function: GELU's factor, x·Φ(x). A training step
    /// builds GELU from it (<see cref="GraphBuilder.KeepsGeluFactor"/>) so the backward pass reads Φ
    /// instead of computing it again.
    /// </summary>
    NormalCdf,

    // ---- BatchNorm (issue 19): the batch statistics' normaliser ----

    /// <summary>
    /// <c>y = x / (B·k + c)</c>, B the batch size of the run: input (x), batched or not;
    /// <see cref="Node.Attributes"/> = [k, c]. BatchNorm's mean divides a channel's sum by
    /// B·k (k the values per channel of one example, c = 0), its unbiased variance by B·k − 1
    /// (c = −1). <see cref="Node.Name"/> is the layer, which the run-time error names when
    /// B·k + c is not positive (one value per channel in training). Linear and its own transpose.
    /// </summary>
    BatchCountScale,

    // ---- Fused per-example convolution (issue 19) ----

    /// <summary>
    /// y = W·im2col(x)ᵀ per example, channels first: inputs (W [out, C·kh·kw], x [C, H, W]); gives
    /// [out, OH, OW]. Attributes as <see cref="Im2Col"/>'s. The receptive fields of one example are
    /// built in a per-thread scratch and multiplied while in cache, never written out for the batch.
    /// Bilinear: its partial transposes are <see cref="ConvolutionInputGrad"/> and <see cref="ConvolutionWeightGrad"/>.
    /// </summary>
    Convolution,

    /// <summary>
    /// x̄ = col2im(Wᵀ·ȳ) per example: inputs (W [out, C·kh·kw], ȳ [out, OH, OW]); the result's shape
    /// [C, H, W] is the node's own. Attributes as <see cref="Im2Col"/>'s.
    /// </summary>
    ConvolutionInputGrad,

    /// <summary>
    /// W̄ = Σ_batch ȳ·im2col(x): inputs (ȳ [out, OH, OW], x [C, H, W]); gives the unbatched
    /// [out, C·kh·kw]. Attributes as <see cref="Im2Col"/>'s.
    /// </summary>
    ConvolutionWeightGrad,

    // ---- Direct pooling (issue 19): windows reduced in place, no im2col ----

    /// <summary>
    /// Max pooling: inputs (scores [C, H, W], values [C, H, W]); gives [C, OH, OW], each window's
    /// value at the first maximum of its scores in window order (a padding tap never wins).
    /// Attributes as <see cref="Im2Col"/>'s. The MaxPool2d layer passes its input as both, so the
    /// result is each window's maximum; linear in the values (the scores only choose), its transpose
    /// is <see cref="MaxPoolBackward"/>.
    /// </summary>
    MaxPool,

    /// <summary>
    /// Max pooling's gradient: inputs (scores [C, H, W], d [C, OH, OW]); gives [C, H, W], each d added
    /// at its window's first maximum of the scores, zero elsewhere. Attributes as <see cref="Im2Col"/>'s.
    /// Linear in d; its transpose is <see cref="MaxPool"/>.
    /// </summary>
    MaxPoolBackward,

    /// <summary>
    /// Average pooling counting the padding (count_include_pad): input (x [C, H, W]); gives
    /// [C, OH, OW], each window's sum times 1/(kh·kw). Attributes as <see cref="Im2Col"/>'s.
    /// Linear; its transpose is <see cref="AvgPoolBackward"/>.
    /// </summary>
    AvgPool,

    /// <summary>
    /// Average pooling's gradient: input (d [C, OH, OW]); the result's shape [C, H, W] is the node's
    /// own, each pixel the sum of d/(kh·kw) over the windows that cover it. Attributes as
    /// <see cref="Im2Col"/>'s. Linear; its transpose is <see cref="AvgPool"/>.
    /// </summary>
    AvgPoolBackward,

    // ---- Adaptive pooling (issue 19) ----

    /// <summary>
    /// Adaptive max pooling: inputs (scores [C, H, W], values [C, H, W]); gives [C, OH, OW], each of
    /// PyTorch's adaptive windows' (rows ⌊oy·H/OH⌋ to ⌈(oy+1)·H/OH⌉ − 1, columns likewise; they vary
    /// in size and may overlap) value at the first maximum of its scores in row-major order.
    /// Attributes: OH, OW. Linear in the values; its transpose is <see cref="AdaptiveMaxPoolBackward"/>.
    /// </summary>
    AdaptiveMaxPool,

    /// <summary>
    /// Adaptive max pooling's gradient: inputs (scores [C, H, W], d [C, OH, OW]); gives [C, H, W],
    /// each d added at its window's first maximum of the scores. Attributes: OH, OW. Linear in d; its
    /// transpose is <see cref="AdaptiveMaxPool"/>.
    /// </summary>
    AdaptiveMaxPoolBackward,

    /// <summary>
    /// Adaptive average pooling: input (x [C, H, W]); gives [C, OH, OW], the mean of each adaptive
    /// window (its sum times 1/its own size). Attributes: OH, OW. Linear; its transpose is
    /// <see cref="AdaptiveAvgPoolBackward"/>.
    /// </summary>
    AdaptiveAvgPool,

    /// <summary>
    /// Adaptive average pooling's gradient: input (d [C, OH, OW]); the result's shape [C, H, W] is the
    /// node's own, each pixel the sum of d/(window size) over the windows that cover it. Attributes:
    /// OH, OW. Linear; its transpose is <see cref="AdaptiveAvgPool"/>.
    /// </summary>
    AdaptiveAvgPoolBackward,

    // ---- Fused attention (issue 20, item 3) ----

    /// <summary>
    /// Multi-head self-attention in one kernel: input qkv [T, 3d], the fused projection (q, k, v side
    /// by side, head h of each at columns h·dh of its part); gives the heads side by side [T, d]:
    /// per head, softmax(q·kᵀ/√dh) (causal: query i over keys j ≤ i), dropped with p =
    /// <see cref="Node.Constant"/> at dropout site <see cref="Node.Name"/> (p 0: none), times v.
    /// Attributes (heads, causal 0/1). Only a training step builds it (its weights are never
    /// stored); its VJP is <see cref="AttentionBackward"/>.
    /// </summary>
    Attention,

    /// <summary>
    /// <see cref="Attention"/>'s VJP: inputs (qkv [T, 3d], ȳ [T, d]); gives q̄kv [T, 3d], the weights
    /// recomputed from q and k. Attributes, p and site as the forward node's.
    /// </summary>
    AttentionBackward,
}
