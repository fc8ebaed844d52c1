using Dsl.Generator.Autodiff.Rules;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Ops;

// The leaves, and the ops only the transforms' scalar functions use. Their types come from C#, so
// they have no shape rule; their derivative rules are in Autodiff/Rules/Scalar.cs. Piecewise-constant
// functions and comparisons have a zero derivative.
internal static partial class OpTable
{
    private static OpDefinition[] Leaves() => new[]
    {
        OpDefinition.Leaf(OpKind.Input),
        OpDefinition.Leaf(OpKind.LabelInput) with { CarriesGradient = false },
        OpDefinition.Leaf(OpKind.Parameter),
        OpDefinition.Leaf(OpKind.Constant),
        OpDefinition.Leaf(OpKind.LossSeed),
        OpDefinition.Leaf(OpKind.Variable),
        OpDefinition.Leaf(OpKind.Length),
    };

    private static OpDefinition[] ScalarFunctions() => new[]
    {
        // An array element: reverse and forward mode stop at loads (an array is not differentiated
        // through), so it has no rules.
        new OpDefinition(OpKind.Load) { Arity = 1 },
        OpDefinition.Of(OpKind.Convert, 1, null, VjpRules.Convert, JvpRules.Convert),
        ScalarUnary(OpKind.Sin), ScalarUnary(OpKind.Cos), ScalarUnary(OpKind.Tan),
        ScalarUnary(OpKind.Asin), ScalarUnary(OpKind.Acos), ScalarUnary(OpKind.Atan),
        ScalarUnary(OpKind.Sinh), ScalarUnary(OpKind.Cosh), ScalarUnary(OpKind.Sqrt),
        ScalarUnary(OpKind.Abs), ScalarUnary(OpKind.Log10),
        Flat(OpKind.Sign, 1), Flat(OpKind.Floor, 1), Flat(OpKind.Ceiling, 1), Flat(OpKind.Round, 1),
        OpDefinition.Of(OpKind.Pow, 2, null, VjpRules.Pow, JvpRules.Pow),
        OpDefinition.Of(OpKind.Atan2, 2, null, VjpRules.Atan2, JvpRules.Atan2),
        OpDefinition.Of(OpKind.Max, 2, null, VjpRules.Extremum, JvpRules.Extremum),
        OpDefinition.Of(OpKind.Min, 2, null, VjpRules.Extremum, JvpRules.Extremum),
        Flat(OpKind.Remainder, 2),
        Flat(OpKind.Less, 2), Flat(OpKind.LessEqual, 2), Flat(OpKind.Greater, 2), Flat(OpKind.GreaterEqual, 2),
        Flat(OpKind.Equal, 2), Flat(OpKind.NotEqual, 2), Flat(OpKind.And, 2), Flat(OpKind.Or, 2), Flat(OpKind.Not, 1),
        OpDefinition.Of(OpKind.Select, 3, null, VjpRules.Select, JvpRules.Select),
        // A custom-rule call is inlined (Autodiff/Functions/CustomRuleInliner) before either mode runs.
        new OpDefinition(OpKind.Call) { Arity = OpDefinition.Variadic },
    };

    private static OpDefinition ScalarUnary(OpKind op) => OpDefinition.Of(op, 1, null, VjpRules.ScalarUnary, JvpRules.ScalarUnary);

    /// <summary>A piecewise-constant function or a comparison: a zero derivative.</summary>
    private static OpDefinition Flat(OpKind op, int arity) => OpDefinition.Constant(op, arity, null, carriesGradient: true);
}
