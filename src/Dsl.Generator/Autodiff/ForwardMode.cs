using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Autodiff.Rules;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff;

/// <summary>
/// Compile-time forward-mode differentiation (JAX's <c>jvp</c>): pushes a tangent through the
/// graph in topological order with each op's <see cref="JvpRules"/> rule. Every float input and
/// parameter <c>v</c> gets a tangent leaf of its own kind and shape, named <c>d(v)</c>, and every
/// output gets a <see cref="OutputRole.Tangent"/> output of the same name.
/// </summary>
internal static class ForwardMode
{
    public static string TangentName(string variable) => "d(" + variable + ")";

    /// <summary>
    /// The heart of forward mode, shared by models and the transforms' scalar functions: the
    /// tangent of <paramref name="root"/>, pushing leaf tangents (null where zero) through each
    /// op's <see cref="JvpRules"/> rule in topological order; null when it is zero.
    /// </summary>
    public static int? Tangent(GraphBuilder g, int root, System.Func<Node, int?> leafTangent)
    {
        var tangents = new Dictionary<int, int?>();
        int? Visit(int id)
        {
            if (tangents.TryGetValue(id, out int? known)) return known;
            Node node = g[id];
            int? tangent = OpGroups.IsLeaf(node.Op) || node.Op == OpKind.Load
                ? leafTangent(node)
                : JvpRules.For(node.Op)(g, node, node.Inputs.Select(Visit).ToArray());
            tangents[id] = tangent;
            return tangent;
        }
        return Visit(root);
    }

    public static Graph Jvp(Graph graph)
    {
        var g = new GraphBuilder(graph);
        var tangents = new Dictionary<int, int>();
        foreach (Node node in graph.Nodes)
        {
            g.Source = node.Source;
            int? tangent = node.Op switch
            {
                OpKind.Input => g.Input(TangentName(node.Name!), node.Shape),
                OpKind.Parameter => g.Parameter(TangentName(node.Name!), node.Shape),
                _ when OpGroups.IsLeaf(node.Op) => null,
                _ => JvpRules.For(node.Op)(g, node, node.Inputs.Select(i => tangents.TryGetValue(i, out int t) ? t : (int?)null).ToArray()),
            };
            if (tangent is int t)
                tangents[node.Id] = g[t].Shape == node.Shape ? t : g.Broadcast(t, node.Shape);
        }

        foreach (GraphOutput output in graph.Outputs.Where(o => o.Role is OutputRole.Output or OutputRole.Loss))
            if (tangents.TryGetValue(output.Node, out int tangent))
                g.Output(output.Name, OutputRole.Tangent, tangent);
        return g.Build();
    }
}
