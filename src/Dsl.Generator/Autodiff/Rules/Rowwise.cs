using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// Ops over the last axis of one example, row by row (a vector is one row; a sequence [T, C] is T
// rows). Their rules reuse the forward op's output where the derivative is naturally expressed in
// it (softmax in terms of softmax); per-row sums are repeated back along the row.
internal static partial class VjpRules
{
    /// <summary>y = softmax(x): x̄ = y ⊙ (ȳ − Σ_row ȳ⊙y).</summary>
    private static int?[] Softmax(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Multiply(y.Id, g.Subtract(dy, AlongRows(g, g.SumLast(g.Multiply(dy, y.Id)), y.Id))) };

    /// <summary>y = log_softmax(x): x̄ = ȳ − e^y · Σ_row ȳ.</summary>
    private static int?[] LogSoftmax(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Subtract(dy, g.Multiply(g.Unary(OpKind.Exp, y.Id), AlongRows(g, g.SumLast(dy), y.Id))) };

    /// <summary>y = logsumexp(l) − l[label] per row: l̄ = ȳ·(softmax(l) − onehot(label)); the label gets none.</summary>
    private static int?[] CrossEntropy(GraphBuilder g, Node y, int dy)
    {
        int logits = y.Inputs[0], label = y.Inputs[1];
        int probabilities = g.Softmax(logits);
        int target = g.OneHot(label, g[logits].Shape.Last);
        return new int?[] { g.Multiply(g.Subtract(probabilities, target), AlongRows(g, dy, logits)), null };
    }
}

// Forward mode.
internal static partial class JvpRules
{
    /// <summary>ẏ = y ⊙ (ẋ − Σ_row ẋ⊙y).</summary>
    private static int? Softmax(GraphBuilder g, Node y, int?[] t) =>
        Map(t[0], d => g.Multiply(y.Id, g.Subtract(d, AlongRows(g, g.SumLast(g.Multiply(d, y.Id)), y.Id))));

    /// <summary>ẏ = ẋ − Σ_row e^y ⊙ ẋ.</summary>
    private static int? LogSoftmax(GraphBuilder g, Node y, int?[] t) =>
        Map(t[0], d => g.Subtract(d, AlongRows(g, g.SumLast(g.Multiply(g.Unary(OpKind.Exp, y.Id), d)), y.Id)));

    /// <summary>ẏ = Σ_row (softmax(l) − onehot(label)) ⊙ l̇.</summary>
    private static int? CrossEntropy(GraphBuilder g, Node y, int?[] t)
    {
        int logits = y.Inputs[0], label = y.Inputs[1];
        return Map(t[0], d => g.SumLast(g.Multiply(g.Subtract(g.Softmax(logits), g.OneHot(label, g[logits].Shape.Last)), d)));
    }
}
