using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// Ops over the last axis of one example, row by row (a vector is one row; a sequence [T, C] is T
// rows). Their rules reuse the forward op's output where the derivative is naturally expressed in
// it (softmax in terms of softmax); per-row sums are repeated back along the row.
internal static partial class VjpRules
{
    /// <summary>y = softmax(x): x̄ = y ⊙ (ȳ − Σ_row ȳ⊙y).</summary>
    internal static int?[] Softmax(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Multiply(y.Id, g.Subtract(dy, VjpRules.AlongRows(g, g.SumLast(g.Multiply(dy, y.Id)), y.Id))) };

    /// <summary>y = log_softmax(x): x̄ = ȳ − e^y · Σ_row ȳ.</summary>
    internal static int?[] LogSoftmax(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Subtract(dy, g.Multiply(g.Unary(OpKind.Exp, y.Id), VjpRules.AlongRows(g, g.SumLast(dy), y.Id))) };

    /// <summary>
    /// y = logsumexp(l) − l[label] per row: l̄ = ȳ·(softmax(l) − onehot(label)), one
    /// cross_entropy_grad row pass where ȳ is a weight per row or one for all (the loss seed); the label gets none.
    /// </summary>
    internal static int?[] CrossEntropy(GraphBuilder g, Node y, int dy)
    {
        int logits = y.Inputs[0], label = y.Inputs[1];
        if (IsRowWeight(g, dy, y, g[logits]))
            return new int?[] { g.CrossEntropyGrad(logits, label, dy), null };
        return new int?[] { g.Multiply(SoftmaxMinusTarget(g, logits, label), VjpRules.AlongRows(g, dy, logits)), null };
    }

    /// <summary>
    /// y = u·(s − onehot(label)), s = softmax(l): l̄ = u ⊙ s ⊙ (ȳ − Σ_row ȳ⊙s) (softmax's rule
    /// scaled by u); ū = Σ_row ȳ ⊙ (s − onehot(label)), summed to a scalar u by Unbroadcast.
    /// </summary>
    internal static int?[] CrossEntropyGrad(GraphBuilder g, Node y, int dy)
    {
        int logits = y.Inputs[0], label = y.Inputs[1], u = y.Inputs[2];
        int s = g.Softmax(logits);
        int dLogits = g.Multiply(VjpRules.AlongRows(g, u, logits), Softmax(g, g[s], dy)[0]!.Value);
        int dUpstream = g.SumLast(g.Multiply(dy, SoftmaxMinusTarget(g, logits, label)));
        return new int?[] { dLogits, null, dUpstream };
    }

    /// <summary>
    /// Whether a cotangent can be cross_entropy_grad's weight: a leaf scalar (the loss seed, a
    /// constant) weighs every row alike; otherwise one value per row, batched as the logits are.
    /// Anything else (a broadcast weight of another shape) keeps the decomposed rule.
    /// </summary>
    private static bool IsRowWeight(GraphBuilder g, int dy, Node loss, Node logits)
    {
        Node weight = g[dy];
        if (weight.Shape.IsScalar && OpGroups.IsLeaf(weight.Op))
            return true;
        return weight.Shape == loss.Shape && weight.Batched == logits.Batched;
    }

    /// <summary>softmax(l) − onehot(label) per row, the decomposed form the higher-order rules differentiate.</summary>
    private static int SoftmaxMinusTarget(GraphBuilder g, int logits, int label) =>
        g.Subtract(g.Softmax(logits), g.OneHot(label, g[logits].Shape.Last));
}

// Forward mode.
internal static partial class JvpRules
{
    /// <summary>ẏ = y ⊙ (ẋ − Σ_row ẋ⊙y).</summary>
    internal static int? Softmax(GraphBuilder g, Node y, int?[] t) =>
        Map(t[0], d => g.Multiply(y.Id, g.Subtract(d, VjpRules.AlongRows(g, g.SumLast(g.Multiply(d, y.Id)), y.Id))));

    /// <summary>ẏ = ẋ − Σ_row e^y ⊙ ẋ.</summary>
    internal static int? LogSoftmax(GraphBuilder g, Node y, int?[] t) =>
        Map(t[0], d => g.Subtract(d, VjpRules.AlongRows(g, g.SumLast(g.Multiply(g.Unary(OpKind.Exp, y.Id), d)), y.Id)));

    /// <summary>ẏ = Σ_row (softmax(l) − onehot(label)) ⊙ l̇.</summary>
    internal static int? CrossEntropy(GraphBuilder g, Node y, int?[] t)
    {
        int logits = y.Inputs[0], label = y.Inputs[1];
        return Map(t[0], d => g.SumLast(g.Multiply(SoftmaxMinusTarget(g, logits, label), d)));
    }

    /// <summary>y = u·(s − onehot(label)): ẏ = u̇·(s − onehot(label)) + u·ṡ, ṡ softmax's tangent.</summary>
    internal static int? CrossEntropyGrad(GraphBuilder g, Node y, int?[] t)
    {
        int logits = y.Inputs[0], label = y.Inputs[1], u = y.Inputs[2];
        int? alongLogits = Map(t[0], d => g.Multiply(VjpRules.AlongRows(g, u, logits), Softmax(g, g[g.Softmax(logits)], new int?[] { d })!.Value));
        int? alongUpstream = Map(t[2], d => g.Multiply(VjpRules.AlongRows(g, d, logits), SoftmaxMinusTarget(g, logits, label)));
        return Sum(g, alongLogits, alongUpstream);
    }

    /// <summary>See <see cref="VjpRules"/>' SoftmaxMinusTarget.</summary>
    private static int SoftmaxMinusTarget(GraphBuilder g, int logits, int label) =>
        g.Subtract(g.Softmax(logits), g.OneHot(label, g[logits].Shape.Last));
}
