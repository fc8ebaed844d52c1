using System;
using System.Linq;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Ops;

/// <summary>
/// The one definition of every <see cref="OpKind"/>, gathered from the files by family
/// (OpTable.Elementwise.cs, .Movement.cs, .Rows.cs, .ScalarFunctions.cs, .Convolution.cs, .Pooling.cs). Built once; a missing or
/// doubled op fails the type initializer, so every op the enum names has exactly one definition.
/// </summary>
internal static partial class OpTable
{
    private static readonly OpDefinition[] ByOp = Build();

    /// <summary>The definition of <paramref name="op"/>.</summary>
    public static OpDefinition Of(OpKind op) => ByOp[(int)op];

    private static readonly System.Collections.Generic.Dictionary<string, OpKind> ByDslName =
        ByOp.Where(d => d.DslName is not null).ToDictionary(d => d.DslName!, d => d.Op);

    /// <summary>The op <c>Ops.</c><paramref name="name"/>(x) lowers to alone, if there is one (<see cref="OpDefinition.DslName"/>).</summary>
    public static OpKind? CalledAs(string name) => ByDslName.TryGetValue(name, out OpKind op) ? op : null;

    private static OpDefinition[] Build()
    {
        OpDefinition[] all = Leaves().Concat(Elementwise()).Concat(Movement()).Concat(Reductions())
            .Concat(LinearAlgebra()).Concat(Rows()).Concat(ScalarFunctions()).Concat(Convolution()).Concat(BatchNorm())
            .Concat(Pooling()).Concat(AdaptivePooling()).Concat(Attention()).ToArray();
        OpKind[] ops = Enum.GetValues(typeof(OpKind)).Cast<OpKind>().ToArray();
        var byOp = new OpDefinition[ops.Length];
        foreach (OpDefinition definition in all)
        {
            if (byOp[(int)definition.Op] is not null)
                throw new InvalidOperationException($"{definition.Op} is defined twice in the op table");
            byOp[(int)definition.Op] = definition;
        }
        foreach (OpKind op in ops)
            if (byOp[(int)op] is null)
                throw new InvalidOperationException($"{op} has no definition in the op table");
        return byOp;
    }
}
