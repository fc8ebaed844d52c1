using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Autodiff;

/// <summary>
/// Which parameters the loss of a training step trains. A parameter the reverse pass gives no
/// gradient is never changed by the optimizer, so a loss that trains none (<c>1 - Accuracy(...)</c>)
/// is almost surely a mistake, and one that skips a layer deserves a word. The check reads what
/// <see cref="ReverseMode"/> built; only explaining a gap runs the reverse pass again, so a model
/// whose every parameter trains pays nothing more.
/// </summary>
internal static class GradientReach
{
    /// <summary>Of <paramref name="parameters"/>, those the differentiated graph has no gradient output for, in the order given.</summary>
    public static IReadOnlyList<string> Untrained(Graph differentiated, IEnumerable<string> parameters)
    {
        var trained = new HashSet<string>(differentiated.OutputsOf(OutputRole.Gradient).Select(o => o.Name));
        return parameters.Where(p => !trained.Contains(p)).ToList();
    }

    /// <summary>
    /// Where the gradient of the loss of <paramref name="forward"/> (the training step before
    /// differentiation) stops on its way to <paramref name="parameters"/>: each op on a path from
    /// one of them to the loss that is either without a derivative yet fed by a differentiable value
    /// (Accuracy), or reached by the gradient yet passing none to such an input (a Where's
    /// condition), in graph order. Empty when the loss is not computed from them at all (their layer
    /// is not called, or only for a logged metric). Runs the reverse pass again on a scratch copy.
    /// </summary>
    public static IReadOnlyList<Node> Cuts(Graph forward, IEnumerable<string> parameters)
    {
        var named = new HashSet<string>(parameters);
        bool IsNamed(Node node) => node.Op == OpKind.Parameter && named.Contains(node.Name!);
        int count = forward.Nodes.Count;
        var fromParameters = new bool[count];
        foreach (Node node in forward.Nodes)
            fromParameters[node.Id] = IsNamed(node) || node.Inputs.Any(i => fromParameters[i]);

        int loss = forward.OutputsOf(OutputRole.Loss).Single().Node;
        var feedsLoss = new bool[count];
        feedsLoss[loss] = true;
        for (int id = loss; id >= 0; id--)
            if (feedsLoss[id])
                foreach (int input in forward[id].Inputs) feedsLoss[input] = true;

        if (!forward.Nodes.Any(n => IsNamed(n) && feedsLoss[n.Id]))
            return System.Array.Empty<Node>();

        bool[] differentiable = ReverseMode.DependsOn(forward, n => n.Op == OpKind.Parameter);
        Dictionary<int, int> cotangents = ReverseMode.BackpropagateLoss(new GraphBuilder(forward), forward, differentiable);
        bool Starved(int input) => fromParameters[input] && differentiable[input] && !cotangents.ContainsKey(input);

        var cuts = new List<Node>();
        foreach (Node node in forward.Nodes)
        {
            if (!feedsLoss[node.Id] || OpGroups.IsLeaf(node.Op))
                continue;
            bool withoutDerivative = !differentiable[node.Id] && node.Inputs.Any(i => fromParameters[i] && differentiable[i]);
            bool passesNone = cotangents.ContainsKey(node.Id) && node.Inputs.Any(Starved);
            if (withoutDerivative || passesNone)
                cuts.Add(node);
        }
        return cuts;
    }

    /// <summary>How a message names the op where the gradient stops: "Accuracy", "the condition of Where".</summary>
    public static string Describe(Node cut) => cut.Op == OpKind.Where ? "the condition of Where" : cut.Op.ToString();
}
