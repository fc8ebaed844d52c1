using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Rules;

// Ops over one example's vector. Their rules reuse the forward op's output where the
// derivative is naturally expressed in it (softmax in terms of softmax).
internal static partial class VjpRules
{
    /// <summary>y = softmax(x): x̄ = y ⊙ (ȳ − Σ ȳ⊙y).</summary>
    private static int?[] Softmax(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Multiply(y.Id, g.Subtract(dy, g.Sum(g.Multiply(dy, y.Id)))) };

    /// <summary>y = log_softmax(x): x̄ = ȳ − e^y · Σ ȳ.</summary>
    private static int?[] LogSoftmax(GraphBuilder g, Node y, int dy) =>
        new int?[] { g.Subtract(dy, g.Multiply(g.Unary(OpKind.Exp, y.Id), g.Sum(dy))) };

    /// <summary>y = logsumexp(l) − l[label]: l̄ = ȳ·(softmax(l) − onehot(label)); the label gets none.</summary>
    private static int?[] CrossEntropy(GraphBuilder g, Node y, int dy)
    {
        int logits = y.Inputs[0], label = y.Inputs[1];
        int probabilities = g.Softmax(logits);
        int target = g.OneHot(label, g[logits].Shape[0]);
        return new int?[] { g.Multiply(g.Subtract(probabilities, target), dy), null };
    }
}

// Forward mode.
internal static partial class JvpRules
{
    /// <summary>ẏ = y ⊙ (ẋ − Σ ẋ⊙y).</summary>
    private static int? Softmax(GraphBuilder g, Node y, int?[] t) =>
        Map(t[0], d => g.Multiply(y.Id, g.Subtract(d, g.Sum(g.Multiply(d, y.Id)))));

    /// <summary>ẏ = ẋ − Σ e^y ⊙ ẋ.</summary>
    private static int? LogSoftmax(GraphBuilder g, Node y, int?[] t) =>
        Map(t[0], d => g.Subtract(d, g.Sum(g.Multiply(g.Unary(OpKind.Exp, y.Id), d))));

    /// <summary>ẏ = Σ (softmax(l) − onehot(label)) ⊙ l̇.</summary>
    private static int? CrossEntropy(GraphBuilder g, Node y, int?[] t)
    {
        int logits = y.Inputs[0], label = y.Inputs[1];
        return Map(t[0], d => g.Sum(g.Multiply(g.Subtract(g.Softmax(logits), g.OneHot(label, g[logits].Shape[0])), d)));
    }
}
