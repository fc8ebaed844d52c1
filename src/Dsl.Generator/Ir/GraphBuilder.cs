using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Checking;
using Dsl.Generator.Common;

namespace Dsl.Generator.Ir;

/// <summary>
/// Builds a <see cref="Graph"/> node by node. Nodes are hash-consed (tinygrad's <c>UOp</c> cache):
/// asking for an op over the same inputs twice returns the first node, so common subexpressions
/// are shared for free. A few algebraic identities (x·1, x+0, constant folding) are applied as
/// nodes are made, which keeps derivative graphs small and readable.
/// </summary>
internal sealed class GraphBuilder
{
    private readonly List<Node> _nodes = new();
    private readonly Dictionary<NodeKey, int> _cache = new();
    private readonly List<GraphOutput> _outputs = new();

    /// <summary>Starts from an existing graph, e.g. to append its backward pass.</summary>
    public GraphBuilder(Graph? graph = null)
    {
        if (graph is null) return;
        foreach (Node node in graph.Nodes)
        {
            _nodes.Add(node);
            _cache[node.Key] = node.Id;
        }
        _outputs.AddRange(graph.Outputs);
    }

    /// <summary>The user's source line stamped on nodes made from now on.</summary>
    public LocationInfo? Source { get; set; }

    /// <summary>
    /// Whether <see cref="Unary"/> builds GELU as x·Φ(x) (a training step's graph): Φ is then a
    /// value of the forward pass that the backward pass reads, x̄ = ȳ·Φ + ȳ·x·φ(x), so the
    /// backward computes one exponential per element instead of Φ's erf again (issue 20).
    /// </summary>
    public bool KeepsGeluFactor { get; set; }

    public Node this[int id] => _nodes[id];

    public int Count => _nodes.Count;

    // ---- Leaves ----

    public int Input(string name, Shape shape) => Leaf(OpKind.Input, new NodeType(shape, true, DType.F32), name: name);

    /// <summary>An int input per example: a class label (scalar), or a sequence of token ids when <paramref name="shape"/> is [T].</summary>
    public int LabelInput(string name, Shape? shape = null) => Leaf(OpKind.LabelInput, new NodeType(shape ?? Shape.Scalar, true, DType.I32), name: name);

    public int Parameter(string name, Shape shape) => Leaf(OpKind.Parameter, new NodeType(shape, false, DType.F32), name: name);

    public int Constant(double value, DType type = DType.F32) => Leaf(OpKind.Constant, new NodeType(Shape.Scalar, false, type), constant: value);

    public int LossSeed() => Leaf(OpKind.LossSeed, new NodeType(Shape.Scalar, true, DType.F32));

    // ---- Element-wise ----

    public int Unary(OpKind op, int x)
    {
        if (op == OpKind.Gelu && KeepsGeluFactor)
            return Multiply(x, Make(OpKind.NormalCdf, ShapeRules.Unary(OpKind.NormalCdf, this[x]), x));
        if (op == OpKind.Negate && this[x].Op == OpKind.Negate)
            return this[x].Inputs[0];
        if (op == OpKind.Negate && IsConstant(x, out double c))
            return Constant(-c, this[x].Type); // of x's type: a double -0.1 must not become the float -0.1f
        return Make(op, ShapeRules.Unary(op, this[x]), x);
    }

    public int Negate(int x) => Unary(OpKind.Negate, x);

    public int Binary(OpKind op, int a, int b)
    {
        NodeType type = ShapeRules.Binary(op, this[a], this[b]);
        if (IsConstant(a, out double ca) && IsConstant(b, out double cb))
            return Constant(Fold(op, ca, cb, type.Type), type.Type);

        // Identities that hold without changing the result's shape (a constant is always a scalar).
        switch (op)
        {
            case OpKind.Add when IsConstant(b, 0): return a;
            case OpKind.Add when IsConstant(a, 0): return b;
            case OpKind.Subtract when IsConstant(b, 0): return a;
            case OpKind.Subtract when IsConstant(a, 0): return Negate(b);
            case OpKind.Multiply when IsConstant(b, 1): return a;
            case OpKind.Multiply when IsConstant(a, 1): return b;
            case OpKind.Multiply when IsConstant(b, -1): return Negate(a);
            case OpKind.Multiply when IsConstant(a, -1): return Negate(b);
            case OpKind.Divide when IsConstant(b, 1): return a;
            case OpKind.Add when a == b && type.Type != DType.I32: return Multiply(Constant(2, type.Type), a);
            case OpKind.Add when DisjointConcats(a, b) is int merged: return merged;
            case OpKind.Add when this[b].Op == OpKind.Negate: return Subtract(a, this[b].Inputs[0]);
            case OpKind.Add when this[a].Op == OpKind.Negate: return Subtract(b, this[a].Inputs[0]);
            case OpKind.Subtract when this[b].Op == OpKind.Negate: return Add(a, this[b].Inputs[0]);
            case OpKind.Multiply when IsConstant(b, out _) && !IsConstant(a, out _): return Multiply(b, a);
        }
        return Make(op, type, a, b);
    }

    public int Add(int a, int b) => Binary(OpKind.Add, a, b);

    public int Subtract(int a, int b) => Binary(OpKind.Subtract, a, b);

    public int Multiply(int a, int b) => Binary(OpKind.Multiply, a, b);

    public int Divide(int a, int b) => Binary(OpKind.Divide, a, b);

    public int Broadcast(int scalar, Shape shape) =>
        shape.IsScalar ? scalar : Make(OpKind.Broadcast, ShapeRules.Broadcast(this[scalar], shape), scalar);

    /// <summary>x [...] repeated along a new last axis of <paramref name="length"/>; a scalar becomes a <see cref="Broadcast"/>.</summary>
    public int ExpandLast(int x, int length) =>
        this[x].Shape.IsScalar ? Broadcast(x, Shape.Of(length)) : Make(OpKind.ExpandLast, ShapeRules.ExpandLast(this[x], length), x);

    /// <summary>An unbatched vector repeated over <paramref name="leading"/> axes; none leaves it as it is.</summary>
    public int Tile(int x, Shape leading) => leading.IsScalar ? x : Make(OpKind.Tile, ShapeRules.Tile(this[x], leading), x);

    /// <summary>The <paramref name="heads"/> heads of part <paramref name="part"/> of <paramref name="parts"/> of x [T, parts·H·dh]: [H, T, dh].</summary>
    public int SplitHeads(int x, int heads, int part, int parts) =>
        Make(OpKind.SplitHeads, ShapeRules.SplitHeads(this[x], heads, part, parts), EquatableArray.Of(heads, part, parts), x);

    /// <summary>The receptive fields of x [C, H, W] as rows [OH·OW, C·kh·kw] (<see cref="OpKind.Im2Col"/>).</summary>
    public int Im2Col(int x, ConvolutionGeometry geometry) =>
        Make(OpKind.Im2Col, ShapeRules.Im2Col(this[x], geometry), geometry.Attributes, x);

    /// <summary>Rows [OH·OW, C·kh·kw] added back into an image of <paramref name="image"/> [C, H, W] (<see cref="OpKind.Col2Im"/>).</summary>
    public int Col2Im(int cols, Shape image, ConvolutionGeometry geometry) =>
        Make(OpKind.Col2Im, ShapeRules.Col2Im(this[cols], image, geometry), geometry.Attributes, cols);

    /// <summary>W [out, C·kh·kw] over x [C, H, W], channels first [out, OH, OW] (<see cref="OpKind.Convolution"/>).</summary>
    public int Convolution(int weight, int x, ConvolutionGeometry geometry) =>
        Make(OpKind.Convolution, ShapeRules.Convolution(this[weight], this[x], geometry), geometry.Attributes, weight, x);

    /// <summary>col2im(Wᵀ·ȳ) into an image of <paramref name="image"/> [C, H, W] (<see cref="OpKind.ConvolutionInputGrad"/>).</summary>
    public int ConvolutionInputGrad(int weight, int dy, Shape image, ConvolutionGeometry geometry) =>
        Make(OpKind.ConvolutionInputGrad, ShapeRules.ConvolutionInputGrad(this[weight], this[dy], image, geometry), geometry.Attributes, weight, dy);

    /// <summary>Σ_batch ȳ·im2col(x), the unbatched [out, C·kh·kw] (<see cref="OpKind.ConvolutionWeightGrad"/>).</summary>
    public int ConvolutionWeightGrad(int dy, int x, ConvolutionGeometry geometry) =>
        Make(OpKind.ConvolutionWeightGrad, ShapeRules.ConvolutionWeightGrad(this[dy], this[x], geometry), geometry.Attributes, dy, x);

    // ---- Direct pooling (issue 19) ----

    /// <summary>The values [C, H, W] at the first maximum of each window of the scores: [C, OH, OW] (<see cref="OpKind.MaxPool"/>).</summary>
    public int MaxPool(int scores, int values, ConvolutionGeometry geometry) =>
        Make(OpKind.MaxPool, ShapeRules.MaxPool(this[scores], this[values], geometry), geometry.Attributes, scores, values);

    /// <summary>d [C, OH, OW] added at each window's first maximum of the scores [C, H, W] (<see cref="OpKind.MaxPoolBackward"/>).</summary>
    public int MaxPoolBackward(int scores, int d, ConvolutionGeometry geometry) =>
        Make(OpKind.MaxPoolBackward, ShapeRules.PoolBackward(this[d], this[scores].Shape, this[scores].Batched, geometry), geometry.Attributes, scores, d);

    /// <summary>Each window's mean (padding counted) of x [C, H, W]: [C, OH, OW] (<see cref="OpKind.AvgPool"/>).</summary>
    public int AvgPool(int x, ConvolutionGeometry geometry) =>
        Make(OpKind.AvgPool, ShapeRules.AvgPool(this[x], geometry), geometry.Attributes, x);

    /// <summary>d [C, OH, OW] spread evenly over each window of an image of <paramref name="image"/> [C, H, W] (<see cref="OpKind.AvgPoolBackward"/>).</summary>
    public int AvgPoolBackward(int d, Shape image, ConvolutionGeometry geometry) =>
        Make(OpKind.AvgPoolBackward, ShapeRules.PoolBackward(this[d], image, this[d].Batched, geometry), geometry.Attributes, d);

    // ---- Adaptive pooling (issue 19) ----

    /// <summary>The values [C, H, W] at the first maximum of the scores in each of PyTorch's adaptive windows: [C, OH, OW] (<see cref="OpKind.AdaptiveMaxPool"/>).</summary>
    public int AdaptiveMaxPool(int scores, int values, int outHeight, int outWidth) =>
        Make(OpKind.AdaptiveMaxPool, ShapeRules.AdaptiveMaxPool(this[scores], this[values], outHeight, outWidth), EquatableArray.Of(outHeight, outWidth), scores, values);

    /// <summary>d [C, OH, OW] added at each adaptive window's first maximum of the scores [C, H, W] (<see cref="OpKind.AdaptiveMaxPoolBackward"/>).</summary>
    public int AdaptiveMaxPoolBackward(int scores, int d) =>
        Make(OpKind.AdaptiveMaxPoolBackward, ShapeRules.AdaptivePoolBackward(this[d], this[scores].Shape, this[scores].Batched), AdaptiveSizes(this[d].Shape), scores, d);

    /// <summary>Each adaptive window's mean of x [C, H, W]: [C, OH, OW] (<see cref="OpKind.AdaptiveAvgPool"/>).</summary>
    public int AdaptiveAvgPool(int x, int outHeight, int outWidth) =>
        Make(OpKind.AdaptiveAvgPool, ShapeRules.AdaptiveAvgPool(this[x], outHeight, outWidth), EquatableArray.Of(outHeight, outWidth), x);

    /// <summary>d [C, OH, OW] spread evenly over each adaptive window of an image of <paramref name="image"/> [C, H, W] (<see cref="OpKind.AdaptiveAvgPoolBackward"/>).</summary>
    public int AdaptiveAvgPoolBackward(int d, Shape image) =>
        Make(OpKind.AdaptiveAvgPoolBackward, ShapeRules.AdaptivePoolBackward(this[d], image, this[d].Batched), AdaptiveSizes(this[d].Shape), d);

    /// <summary>An adaptive pooling's attributes (OH, OW), read from its pooled shape [C, OH, OW].</summary>
    private static EquatableArray<int> AdaptiveSizes(Shape pooled) => EquatableArray.Of(pooled[1], pooled[2]);

    /// <summary>
    /// x / (B·<paramref name="perExample"/> + <paramref name="offset"/>), B the run's batch size
    /// (<see cref="OpKind.BatchCountScale"/>); <paramref name="layer"/> names the BatchNorm layer in
    /// the run-time error when the count is not positive.
    /// </summary>
    public int BatchCountScale(int x, int perExample, int offset, string layer)
    {
        NodeType type = ShapeRules.BatchCountScale(this[x]);
        return Intern(new Node(_nodes.Count, OpKind.BatchCountScale, EquatableArray.Of(x), type.Shape, type.Batched, type.Type, 0, layer, Source)
        {
            Attributes = EquatableArray.Of(perExample, offset),
        });
    }

    /// <summary>Heads [H, T, dh] side by side in part <paramref name="part"/> of [T, parts·H·dh], zero elsewhere.</summary>
    public int MergeHeads(int x, int part, int parts) =>
        Make(OpKind.MergeHeads, ShapeRules.MergeHeads(this[x], part, parts), EquatableArray.Of(part, parts), x);
    /// <summary>torch.where(c, a, b) with c ≠ 0 as true; a constant condition picks its side at once.</summary>
    public int Where(int condition, int a, int b)
    {
        NodeType type = ShapeRules.Where(this[condition], this[a], this[b]);
        if (a == b && this[a].Shape == type.Shape && this[a].Batched == type.Batched) return a;
        return Make(OpKind.Where, type, condition, a, b);
    }

    // ---- Movement ----

    /// <summary>Axes <paramref name="dim0"/> and <paramref name="dim1"/> (in range, per example) swapped; the same axis twice is the identity.</summary>
    public int Transpose(int x, int dim0, int dim1)
    {
        NodeType type = ShapeRules.Transpose(this[x], dim0, dim1);
        if (dim0 == dim1) return x;
        // Transposing back cancels.
        int low = Math.Min(dim0, dim1), high = Math.Max(dim0, dim1);
        if (this[x].Op == OpKind.Transpose && this[x].Attributes[0] == low && this[x].Attributes[1] == high)
            return this[x].Inputs[0];
        return Make(OpKind.Transpose, type, EquatableArray.Of(low, high), x);
    }

    /// <summary>x's elements under <paramref name="shape"/>; a reshape of a reshape is one reshape.</summary>
    public int Reshape(int x, Shape shape)
    {
        NodeType type = ShapeRules.Reshape(this[x], shape);
        if (this[x].Shape == shape) return x;
        if (this[x].Op == OpKind.Reshape) return Reshape(this[x].Inputs[0], shape);
        return Make(OpKind.Reshape, type, x);
    }

    /// <summary>The parts joined along <paramref name="axis"/>; one part is itself.</summary>
    public int Concat(int axis, params int[] parts)
    {
        NodeType type = ShapeRules.Concat(axis, parts.Select(p => this[p]).ToArray());
        return parts.Length == 1 ? parts[0] : Make(OpKind.Concat, type, EquatableArray.Of(axis), parts);
    }

    /// <summary>Elements [start, start + length) of <paramref name="axis"/>; the whole axis is x itself.</summary>
    public int Slice(int x, int axis, int start, int length)
    {
        NodeType type = ShapeRules.Slice(this[x], axis, start, length);
        return type.Shape == this[x].Shape ? x : Make(OpKind.Slice, type, EquatableArray.Of(axis, start, length), x);
    }

    /// <summary>
    /// The sum of two zero-padded concatenations whose non-zero parts do not overlap, as one
    /// concatenation of those parts (how the cotangents of a Split's slices meet: each slice's
    /// cotangent is padded with zeros, and their sum is just the parts side by side). Null otherwise.
    /// </summary>
    private int? DisjointConcats(int a, int b)
    {
        Node x = this[a], y = this[b];
        if (x.Op != OpKind.Concat || y.Op != OpKind.Concat || x.Attributes[0] != y.Attributes[0] || x.Shape != y.Shape)
            return null;
        int axis = x.Attributes[0];
        var parts = new List<(int Start, int Node)>();
        foreach (Node concat in new[] { x, y })
        {
            int start = 0;
            foreach (int part in concat.Inputs)
            {
                if (!IsZeros(part)) parts.Add((start, part));
                start += this[part].Shape[axis];
            }
        }
        parts.Sort((p, q) => p.Start.CompareTo(q.Start));
        var joined = new List<int>();
        int at = 0;
        foreach ((int start, int part) in parts)
        {
            if (start < at) return null; // two non-zero parts overlap: a real sum
            if (start > at) joined.Add(Zeros(WithAxis(x.Shape, axis, start - at)));
            joined.Add(part);
            at = start + this[part].Shape[axis];
        }
        if (at < x.Shape[axis]) joined.Add(Zeros(WithAxis(x.Shape, axis, x.Shape[axis] - at)));
        return Concat(axis, joined.ToArray());
    }

    private bool IsZeros(int id) => this[id].Op == OpKind.Broadcast && IsConstant(this[id].Inputs[0], 0);

    private static Shape WithAxis(Shape shape, int axis, int length)
    {
        int[] dims = shape.Dimensions.ToArray();
        dims[axis] = length;
        return Shape.Of(dims);
    }

    /// <summary>The [n, n] lower-triangular mask of ones (column ≤ row).</summary>
    public int CausalMask(int n) => Make(OpKind.CausalMask, ShapeRules.CausalMask(n));

    /// <summary>Zeros of <paramref name="shape"/>, unbatched: a broadcast constant.</summary>
    public int Zeros(Shape shape) => Broadcast(Constant(0), shape);

    // ---- Reductions and linear algebra ----

    /// <summary>The sum over each row's last axis; of a vector, its <see cref="Sum"/>.</summary>
    public int SumLast(int x) => this[x].Shape.Rank <= 1 ? Sum(x) : Make(OpKind.SumLast, ShapeRules.SumLast(this[x]), x);

    /// <summary>The sum of an unbatched value over its leading axes; a vector is left as it is.</summary>
    public int SumLeading(int x) => this[x].Shape.Rank <= 1 ? x : Make(OpKind.SumLeading, ShapeRules.SumLeading(this[x]), x);

    public int Sum(int x) => this[x].Shape.IsScalar ? x : Make(OpKind.Sum, ShapeRules.Sum(this[x]), x);

    public int BatchSum(int x) => Make(OpKind.BatchSum, ShapeRules.BatchSum(this[x]), x);

    public int Linear(int weight, int x) => Make(OpKind.Linear, ShapeRules.Linear(this[weight], this[x]), weight, x);

    public int LinearTranspose(int weight, int g) => Make(OpKind.LinearTranspose, ShapeRules.LinearTranspose(this[weight], this[g]), weight, g);

    public int OuterBatchSum(int a, int b) => Make(OpKind.OuterBatchSum, ShapeRules.OuterBatchSum(this[a], this[b]), a, b);

    /// <summary>op(A)·op(B) batched over the leading axes (see <see cref="OpKind.MatMul"/>).</summary>
    public int MatMul(int a, int b, bool transposeA = false, bool transposeB = false) =>
        Make(OpKind.MatMul, ShapeRules.MatMul(this[a], this[b], transposeA, transposeB), EquatableArray.Of(transposeA ? 1 : 0, transposeB ? 1 : 0), a, b);

    // ---- Row-wise ----

    public int Softmax(int x) => Make(OpKind.Softmax, ShapeRules.Rowwise(OpKind.Softmax, this[x]), x);

    /// <summary>Softmax of row i over its first i + 1 entries (see <see cref="OpKind.CausalSoftmax"/>).</summary>
    public int CausalSoftmax(int x) => Make(OpKind.CausalSoftmax, ShapeRules.CausalSoftmax(this[x]), x);

    public int LogSoftmax(int x) => Make(OpKind.LogSoftmax, ShapeRules.Rowwise(OpKind.LogSoftmax, this[x]), x);

    public int CrossEntropy(int logits, int label) => Make(OpKind.CrossEntropy, ShapeRules.CrossEntropy(this[logits], this[label]), logits, label);

    /// <summary>u·(softmax(logits) − onehot(label)) per row: see <see cref="OpKind.CrossEntropyGrad"/>.</summary>
    public int CrossEntropyGrad(int logits, int label, int upstream) =>
        Make(OpKind.CrossEntropyGrad, ShapeRules.CrossEntropyGrad(this[logits], this[label], this[upstream]), logits, label, upstream);

    public int OneHot(int label, int classes) => Make(OpKind.OneHot, ShapeRules.OneHot(this[label], classes), label);

    public int Accuracy(int logits, int label) => Make(OpKind.Accuracy, ShapeRules.Accuracy(this[logits], this[label]), logits, label);

    // ---- Layer normalisation ----

    public int LayerNorm(int x) => Make(OpKind.LayerNorm, ShapeRules.LayerNorm(OpKind.LayerNorm, this[x]), x);

    /// <summary>1/√(var + ε) per row; of a vector, a scalar.</summary>
    public int LayerNormScale(int x) => Make(OpKind.LayerNormScale, ShapeRules.LayerNorm(OpKind.LayerNormScale, this[x]), x);

    /// <summary>J·g from the normalised rows x̂ and their scales r.</summary>
    public int LayerNormBackward(int normalised, int scale, int g) =>
        Make(OpKind.LayerNormBackward, ShapeRules.LayerNormBackward(this[normalised], this[scale], this[g]), normalised, scale, g);

    // ---- Dropout ----

    /// <summary>x · mask / (1 − p) with the mask of dropout site <paramref name="site"/> (see <see cref="OpKind.Dropout"/>).</summary>
    public int Dropout(int x, double p, int site)
    {
        NodeType type = ShapeRules.Unary(OpKind.Dropout, this[x]);
        return Intern(new Node(_nodes.Count, OpKind.Dropout, EquatableArray.Of(x), type.Shape, type.Batched, type.Type, p,
            site.ToString(System.Globalization.CultureInfo.InvariantCulture), Source));
    }

    // ---- Fused attention (issue 20, item 3) ----

    /// <summary>Attention over the fused projection <paramref name="qkv"/> [T, 3d] (see <see cref="OpKind.Attention"/>).</summary>
    public int Attention(int qkv, int heads, bool causal, double p, int site) =>
        AttentionNode(OpKind.Attention, ShapeRules.Attention(this[qkv], heads), heads, causal, p, site, qkv);

    /// <summary>Attention's VJP: q̄kv from qkv and the cotangent <paramref name="gradient"/> (see <see cref="OpKind.AttentionBackward"/>).</summary>
    public int AttentionBackward(int qkv, int gradient, int heads, bool causal, double p, int site) =>
        AttentionNode(OpKind.AttentionBackward, ShapeRules.AttentionBackward(this[qkv], this[gradient], heads), heads, causal, p, site, qkv, gradient);

    private int AttentionNode(OpKind op, NodeType type, int heads, bool causal, double p, int site, params int[] inputs) =>
        Intern(new Node(_nodes.Count, op, inputs.ToEquatableArray(), type.Shape, type.Batched, type.Type, p,
            site.ToString(System.Globalization.CultureInfo.InvariantCulture), Source) { Attributes = EquatableArray.Of(heads, causal ? 1 : 0) });

    // ---- Embeddings ----

    /// <summary>The index of the first maximum of each last-axis row, as a float (no gradient).</summary>
    public int ArgMaxLast(int x) => Make(OpKind.ArgMaxLast, ShapeRules.ArgMaxLast(this[x]), x);

    /// <summary>1 at the first maximum of each last-axis row, 0 elsewhere (no gradient).</summary>
    public int ArgMaxMask(int x) => Make(OpKind.ArgMaxMask, ShapeRules.ArgMaxMask(this[x]), x);

    /// <summary>x [..., n] read at float indices [..., k] along the last axis (torch.gather with dim −1).</summary>
    public int GatherLast(int x, int index) => Make(OpKind.GatherLast, ShapeRules.GatherLast(this[x], this[index]), x, index);

    /// <summary>g [..., k] added into [..., n] at float indices [..., k]: the transpose of <see cref="GatherLast"/>.</summary>
    public int ScatterLast(int index, int g, int n) =>
        Make(OpKind.ScatterLast, ShapeRules.ScatterLast(this[index], this[g], n), EquatableArray.Of(n), index, g);

    public int Gather(int table, int ids) => Make(OpKind.Gather, ShapeRules.Gather(this[table], this[ids]), table, ids);

    public int ScatterAdd(int ids, int g, int count) => Make(OpKind.ScatterAdd, ShapeRules.ScatterAdd(this[ids], this[g], count), ids, g);

    // ---- Scalar functions (the transforms' [Differentiable] bodies) ----

    public int Variable(string name, DType type) => Leaf(OpKind.Variable, new NodeType(Shape.Scalar, false, type), name: name);

    public int Length(string array) => Leaf(OpKind.Length, new NodeType(Shape.Scalar, false, DType.I32), name: array);

    /// <summary>
    /// <c>array[index]</c>. Loads of arrays a function writes are not shared between statements, so
    /// <paramref name="version"/> (a statement's number) keeps two reads apart.
    /// </summary>
    public int Load(string array, int index, DType type, int version = 0) =>
        Intern(new Node(_nodes.Count, OpKind.Load, EquatableArray.Of(index), Shape.Scalar, false, type, version, array, Source));

    public int Convert(int x, DType type) =>
        this[x].Type == type ? x
        : IsConstant(x, out double c) ? Constant(type == DType.I32 ? Math.Truncate(c) : c, type)
        : Make(OpKind.Convert, new NodeType(Shape.Scalar, false, type), x);

    /// <summary><c>c ? a : b</c>, folded when the condition is a constant or both sides agree.</summary>
    public int Select(int condition, int whenTrue, int whenFalse)
    {
        if (whenTrue == whenFalse) return whenTrue;
        if (IsConstant(condition, out double c)) return c != 0 ? whenTrue : whenFalse;
        return Make(OpKind.Select, new NodeType(Shape.Scalar, false, this[whenTrue].Type), condition, whenTrue, whenFalse);
    }

    /// <summary>A call of the user function <paramref name="function"/>, which has custom derivative rules.</summary>
    public int Call(string function, DType type, params int[] arguments) =>
        Intern(new Node(_nodes.Count, OpKind.Call, arguments.ToEquatableArray(), Shape.Scalar, false, type, 0, function, Source));

    /// <summary>Any other scalar op (Math functions, comparisons, logic) with an explicit result type.</summary>
    public int Scalar(OpKind op, DType type, params int[] inputs)
    {
        if (op == OpKind.Pow && IsConstant(inputs[1], 1)) return inputs[0];
        if (op == OpKind.Pow && IsConstant(inputs[1], 2)) return Multiply(inputs[0], inputs[0]);
        if (op == OpKind.Not && this[inputs[0]].Op == OpKind.Not) return this[inputs[0]].Inputs[0];
        return Make(op, new NodeType(Shape.Scalar, false, type), inputs);
    }

    /// <summary>
    /// <paramref name="node"/> rebuilt over new inputs through the same constructors, so the
    /// identities apply again (how substituting a constant into <c>d * x</c> simplifies it).
    /// </summary>
    public int Remake(Node node, int[] inputs)
    {
        bool ours = node.Id < _nodes.Count && ReferenceEquals(_nodes[node.Id], node);
        if (ours && inputs.SequenceEqual(node.Inputs))
            return node.Id;
        return node.Op switch
        {
            _ when OpGroups.IsBinary(node.Op) => Binary(node.Op, inputs[0], inputs[1]),
            OpKind.Negate => Negate(inputs[0]),
            OpKind.Convert => Convert(inputs[0], node.Type),
            OpKind.Select => Select(inputs[0], inputs[1], inputs[2]),
            OpKind.Load => Load(node.Name!, inputs[0], node.Type, (int)node.Constant),
            OpKind.Constant => Constant(node.Constant, node.Type),
            OpKind.Variable => Variable(node.Name!, node.Type),
            OpKind.Length => Length(node.Name!),
            OpKind.Call => Call(node.Name!, node.Type, inputs),
            _ when OpGroups.IsUnary(node.Op) && node.Type != DType.Bool => Unary(node.Op, inputs[0]),
            _ => Scalar(node.Op, node.Type, inputs),
        };
    }

    /// <summary>Every node made so far, without dead-code removal: statements refer to nodes by id.</summary>
    public Graph Snapshot() => new(_nodes.ToEquatableArray(), _outputs.ToEquatableArray());

    // ---- Outputs ----

    /// <summary>Adds an output; a later output with the same name and role replaces it (a re-logged metric).</summary>
    public void Output(string name, OutputRole role, int node)
    {
        _outputs.RemoveAll(o => o.Name == name && o.Role == role);
        _outputs.Add(new GraphOutput(name, role, node));
    }

    /// <summary>The graph of every node reachable from the outputs, renumbered densely (dead-code removal).</summary>
    public Graph Build() => Build(Enumerable.Empty<int>(), out _);

    /// <summary>
    /// <see cref="Build()"/> keeping <paramref name="alsoLive"/> (and what they read) as well, with
    /// each node's new id (−1 for a node it removed), for records that refer to this builder's nodes:
    /// the ONNX export's graph keeps each layer call's input and output, which a folding (a reshape
    /// of a reshape) may have left unused.
    /// </summary>
    public Graph Build(IEnumerable<int> alsoLive, out int[] renumbered)
    {
        var live = new bool[_nodes.Count];
        var stack = new Stack<int>(_outputs.Select(o => o.Node).Concat(alsoLive));
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            if (live[id]) continue;
            live[id] = true;
            foreach (int input in _nodes[id].Inputs) stack.Push(input);
        }

        var renumber = new int[_nodes.Count];
        var nodes = new List<Node>();
        foreach (Node node in _nodes)
        {
            renumber[node.Id] = -1;
            if (!live[node.Id]) continue;
            renumber[node.Id] = nodes.Count;
            nodes.Add(node with { Id = nodes.Count, Inputs = node.Inputs.Select(i => renumber[i]).ToEquatableArray() });
        }
        var outputs = _outputs.Select(o => o with { Node = renumber[o.Node] });
        renumbered = renumber;
        return new Graph(nodes.ToEquatableArray(), outputs.ToEquatableArray());
    }

    private int Leaf(OpKind op, NodeType type, double constant = 0, string? name = null) =>
        Intern(new Node(_nodes.Count, op, EquatableArray<int>.Empty, type.Shape, type.Batched, type.Type, constant, name, Source));

    private int Make(OpKind op, NodeType type, params int[] inputs) =>
        Intern(new Node(_nodes.Count, op, inputs.ToEquatableArray(), type.Shape, type.Batched, type.Type, 0, null, Source));

    /// <summary>An op with integer <see cref="Node.Attributes"/> (axes, counts, flags).</summary>
    private int Make(OpKind op, NodeType type, EquatableArray<int> attributes, params int[] inputs) =>
        Intern(new Node(_nodes.Count, op, inputs.ToEquatableArray(), type.Shape, type.Batched, type.Type, 0, null, Source) { Attributes = attributes });

    private int Intern(Node node)
    {
        if (_cache.TryGetValue(node.Key, out int existing))
            return existing;
        // Generated code sizes and indexes buffers with int; a larger tensor would wrap to a negative size.
        if (!node.Shape.FitsInt32)
            throw new ShapeError(Diagnostics.DiagnosticDescriptors.TensorTooLarge, "One example of a tensor of shape " + node.Shape, int.MaxValue);
        _nodes.Add(node);
        _cache[node.Key] = node.Id;
        return node.Id;
    }

    private bool IsConstant(int id, out double value)
    {
        Node node = _nodes[id];
        value = node.Constant;
        return node.Op == OpKind.Constant;
    }

    private bool IsConstant(int id, double value) => IsConstant(id, out double c) && c == value;

    private static double Fold(OpKind op, double a, double b, DType type) => op switch
    {
        OpKind.Add => a + b,
        OpKind.Subtract => a - b,
        OpKind.Multiply => a * b,
        OpKind.Divide when type == DType.I32 => Math.Truncate(a / b),
        OpKind.Divide => a / b,
        OpKind.Maximum => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Max(a, b),
        OpKind.Minimum => double.IsNaN(a) || double.IsNaN(b) ? double.NaN : Math.Min(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not a binary op"),
    };
}
