using System;
using System.Collections.Generic;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff.Functions;

/// <summary>
/// Writes a derivative's products into the arms of the selects they multiply: the chain rule
/// through <c>c ? a : b</c> gives <c>(c ? ȳ : 0) · f'(a)</c>, which is NaN where the side not taken
/// has no derivative (<c>x &gt; 0 ? Math.Sqrt(x) : 0</c> at x = −1: 0 · NaN). As
/// <c>c ? ȳ · f'(a) : 0</c> the side not taken contributes an exact 0 and C# does not evaluate it,
/// so a ternary differentiates like an if, the branch taken alone (JAX's <c>lax.cond</c>), in both
/// modes. Selects of constants (|x|' = x &gt;= 0 ? 1 : −1, max's shares) are distributed too, which
/// reads as JAX's <c>select(x &gt;= 0, g, −g)</c>.
/// </summary>
internal static class TakenBranch
{
    /// <summary><paramref name="root"/> with every product, quotient, negation and conversion of a select moved into its arms.</summary>
    public static int Sink(GraphBuilder g, int root) => Sink(g, root, new Dictionary<int, int>());

    private static int Sink(GraphBuilder g, int id, Dictionary<int, int> memo)
    {
        if (memo.TryGetValue(id, out int done)) return done;
        Node n = g[id];
        int result = id;
        switch (n.Op)
        {
            case OpKind.Multiply or OpKind.Divide:
            {
                int a = Sink(g, n.Inputs[0], memo), b = Sink(g, n.Inputs[1], memo);
                result = Distributes(g, a) ? Distribute(g, a, n.Type, arm => g.Binary(n.Op, arm, b))
                    : n.Op == OpKind.Multiply && Distributes(g, b) ? Distribute(g, b, n.Type, arm => g.Multiply(a, arm))
                    : g.Remake(n, new[] { a, b });
                break;
            }
            case OpKind.Negate or OpKind.Convert:
            {
                int a = Sink(g, n.Inputs[0], memo);
                result = Distributes(g, a) ? Distribute(g, a, n.Type, arm => g.Remake(n, new[] { arm })) : g.Remake(n, new[] { a });
                break;
            }
            case OpKind.Add or OpKind.Subtract:
                result = g.Remake(n, new[] { Sink(g, n.Inputs[0], memo), Sink(g, n.Inputs[1], memo) });
                break;
        }
        memo[id] = result;
        return result;
    }

    /// <summary>A select with a zero arm (a branch not taken), or whose arms are all constants or such selects.</summary>
    private static bool Distributes(GraphBuilder g, int id)
    {
        Node n = g[id];
        if (n.Op != OpKind.Select) return false;
        int a = n.Inputs[1], b = n.Inputs[2];
        return IsZero(g, a) || IsZero(g, b) || (IsConstantArm(g, a) && IsConstantArm(g, b));
    }

    private static bool IsConstantArm(GraphBuilder g, int id) => g[id].Op == OpKind.Constant || Distributes(g, id);

    private static bool IsZero(GraphBuilder g, int id) => g[id] is { Op: OpKind.Constant, Constant: 0 };

    /// <summary><c>c ? op(a) : op(b)</c>, a zero arm staying an exact zero of the result's type.</summary>
    private static int Distribute(GraphBuilder g, int select, DType type, Func<int, int> op)
    {
        Node n = g[select];
        int Arm(int arm) => IsZero(g, arm) ? g.Constant(0, type) : Distributes(g, arm) ? Distribute(g, arm, type, op) : op(arm);
        return g.Select(n.Inputs[0], Arm(n.Inputs[1]), Arm(n.Inputs[2]));
    }
}
