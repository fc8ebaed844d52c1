using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Autodiff.Rules;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff;

/// <summary>
/// Compile-time reverse-mode differentiation: walks the graph from the loss back to the
/// parameters in reverse topological order, applies each op's <see cref="VjpRules"/> rule and
/// sums cotangents that fan in (micrograd's <c>+=</c>, tinygrad's <c>compute_gradient</c>;
/// attention's q, k and v head gradients join into one merge, <see cref="HeadCotangents"/>). The
/// result is more IR in the same graph, so the backward pass is fused, planned and emitted by the
/// same passes as the forward.
/// </summary>
internal static class ReverseMode
{
    /// <summary>
    /// Appends to <paramref name="graph"/> the gradient of its <see cref="OutputRole.Loss"/> output
    /// summed over the batch and weighted by the <see cref="OpKind.LossSeed"/> (1/B for a mean),
    /// as one <see cref="OutputRole.Gradient"/> output per parameter that the loss depends on.
    /// With <paramref name="withRespectToInputs"/>, float inputs get gradient outputs too (the
    /// tests' finite-difference checks use them).
    /// </summary>
    public static Graph Differentiate(Graph graph, bool withRespectToInputs = false)
    {
        var g = new GraphBuilder(graph);
        bool IsVariable(Node n) => n.Op == OpKind.Parameter || (withRespectToInputs && n.Op == OpKind.Input);
        Dictionary<int, int> cotangents = BackpropagateLoss(g, graph, DependsOn(graph, IsVariable));

        foreach (Node variable in graph.Nodes.Where(IsVariable))
            if (cotangents.TryGetValue(variable.Id, out int gradient))
                g.Output(variable.Name!, OutputRole.Gradient, gradient);
        return g.Build();
    }

    /// <summary>
    /// Builds into <paramref name="g"/>, which extends <paramref name="graph"/>, the backward pass
    /// from the graph's loss to the nodes that are <paramref name="needed"/>; returns the cotangent
    /// of every node reached.
    /// </summary>
    internal static Dictionary<int, int> BackpropagateLoss(GraphBuilder g, Graph graph, bool[] needed) =>
        Backpropagate(g, graph.OutputsOf(OutputRole.Loss).Single().Node, g.LossSeed(), id => needed[id], Unbroadcast);

    /// <summary>
    /// The heart of reverse mode, shared by models and the transforms' scalar functions: from
    /// <paramref name="root"/> back to the leaves in reverse topological order, each op's
    /// <see cref="VjpRules"/> rule, summing cotangents that fan in. Returns the cotangent of every
    /// node reached, leaves included; inputs that are not <paramref name="needed"/> get none.
    /// </summary>
    public static Dictionary<int, int> Backpropagate(
        GraphBuilder g, int root, int seed, System.Func<int, bool> needed,
        System.Func<GraphBuilder, int, Node, int>? unbroadcast = null)
    {
        var cotangents = new Dictionary<int, int> { [root] = seed };
        for (int id = root; id >= 0; id--)
        {
            Node node = g[id];
            if (!cotangents.TryGetValue(id, out int cotangent) || OpGroups.IsLeaf(node.Op) || node.Op == OpKind.Load)
                continue;

            g.Source = node.Source;
            int?[] inputCotangents = VjpRules.For(node.Op)(g, node, cotangent);
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                int input = node.Inputs[i];
                if (inputCotangents[i] is not int contribution || !needed(input))
                    continue;
                if (unbroadcast is not null)
                    contribution = unbroadcast(g, contribution, g[input]);
                cotangents[input] = cotangents.TryGetValue(input, out int sum) ? HeadCotangents.Add(g, sum, contribution) : contribution;
            }
        }
        return cotangents;
    }

    /// <summary>
    /// Reduces a cotangent to its primal's type where the primal was broadcast: a scalar that met a
    /// vector sums over the vector; an unbatched value that met a batched one sums over the batch.
    /// </summary>
    private static int Unbroadcast(GraphBuilder g, int cotangent, Node primal)
    {
        if (g[cotangent].Shape != primal.Shape)
            cotangent = g.Sum(cotangent);
        if (g[cotangent].Batched && !primal.Batched)
            cotangent = g.BatchSum(cotangent);
        return cotangent;
    }

    /// <summary>Which nodes lie on a differentiable path from a variable: only those need cotangents.</summary>
    internal static bool[] DependsOn(Graph graph, System.Func<Node, bool> isVariable)
    {
        var needed = new bool[graph.Nodes.Count];
        foreach (Node node in graph.Nodes)
            needed[node.Id] = isVariable(node)
                || (!OpGroups.IsNonDifferentiable(node.Op) && node.Inputs.Any(i => needed[i]));
        return needed;
    }
}
