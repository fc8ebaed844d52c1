using System;
using System.Linq;
using System.Text;
using Dsl.Generator.Common;

namespace Dsl.Generator.Ir;

/// <summary>The textual form of nodes and graphs, used in generated comments and test dumps.</summary>
internal static class IrPrinter
{
    /// <summary>
    /// The op's name in the IR text: <c>OuterBatchSum</c> becomes <c>outer_batch_sum</c>; a digit
    /// joins the words around it, so <c>Im2Col</c> is <c>im2col</c>, as PyTorch and Caffe write it.
    /// </summary>
    public static string OpName(OpKind op) =>
        (int)op >= 0 && (int)op < s_opNames.Length ? s_opNames[(int)op] : Spell(op);

    // Each op's name, spelled once: every generated comment line names an op (issue 21).
    private static readonly string[] s_opNames = Enumerable.Range(0, Enum.GetValues(typeof(OpKind)).Cast<int>().Max() + 1)
        .Select(i => Spell((OpKind)i))
        .ToArray();

    private static string Spell(OpKind op)
    {
        var builder = new StringBuilder();
        foreach (char c in op.ToString())
        {
            if (char.IsUpper(c) && builder.Length > 0 && !char.IsDigit(builder[builder.Length - 1])) builder.Append('_');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>"f32[B, 16]" for a batched value, "f32[16, 10]" for an unbatched one.</summary>
    public static string Type(Node node)
    {
        string type = node.Type.ToString().ToLowerInvariant();
        var dims = node.Shape.Dimensions.Select(d => Literals.Int(d));
        if (node.Batched) dims = new[] { "B" }.Concat(dims);
        return type + "[" + string.Join(", ", dims) + "]";
    }

    public static string Format(Node node)
    {
        string operands = node.Op switch
        {
            OpKind.Constant => Literals.Number(node.Constant),
            OpKind.Input or OpKind.LabelInput or OpKind.Parameter => Literals.String(node.Name ?? ""),
            OpKind.Dropout => $"%{node.Inputs[0]}, p={Literals.Number(node.Constant)}, site={node.Name}",
            OpKind.Attention or OpKind.AttentionBackward => string.Join(", ", node.Inputs.Select(i => "%" + i)) + $", p={Literals.Number(node.Constant)}, site={node.Name}",
            _ => string.Join(", ", node.Inputs.Select(i => "%" + i)),
        };
        if (node.Attributes.Count > 0)
            operands += ", [" + string.Join(", ", node.Attributes.Select(a => Literals.Int(a))) + "]";
        return $"%{node.Id} = {OpName(node.Op)}({operands}) : {Type(node)}";
    }

    /// <summary>One node a line, then the outputs: the form the IR tests compare.</summary>
    public static string Format(Graph graph)
    {
        var builder = new StringBuilder();
        foreach (Node node in graph.Nodes)
            builder.Append(Format(node)).Append('\n');
        foreach (GraphOutput output in graph.Outputs)
            builder.Append($"{output.Role.ToString().ToLowerInvariant()} {output.Name} = %{output.Node}\n");
        return builder.ToString();
    }
}
