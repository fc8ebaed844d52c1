using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Emit;

/// <summary>
/// What a fused element-wise step reads, sorted by how each value is indexed: the one rule every
/// backend's fused kernel follows, so the CPU loop and the OpenCL kernel broadcast alike.
/// </summary>
/// <remarks>
/// For a root of <c>size</c> elements per row: an operand of the same shape is read element by
/// element (per row when batched, the same row for every example when not); a per-example scalar
/// (batched, size 1) is read once per row; an unbatched scalar once for the whole step. Constants
/// and the loss seed are not arrays: they appear as literals and the seed argument. An operand
/// tiled inside the chain (a bias vector under an inlined <see cref="OpKind.Tile"/>) is read at
/// <c>i % last</c>; one repeated along the row (row sums under an inlined <see cref="OpKind.ExpandLast"/>)
/// at the element's position divided by the row length, one value for every element of a row.
/// </remarks>
internal sealed class FusedOperands
{
    private FusedOperands(Graph graph, ElementwiseStep step, IReadOnlyList<int> arrays, IReadOnlyList<int> perRow, IReadOnlyList<int> fixedScalars, bool usesSeed)
    {
        Graph = graph;
        Step = step;
        Arrays = arrays;
        PerRow = perRow;
        FixedScalars = fixedScalars;
        var elements = new List<int>(arrays.Count);
        foreach (int id in arrays)
            if (!perRow.Contains(id) && !fixedScalars.Contains(id))
                elements.Add(id);
        Elements = elements;
        UsesSeed = usesSeed;
    }

    public Graph Graph { get; }

    public ElementwiseStep Step { get; }

    /// <summary>Every operand stored in an array, in id order.</summary>
    public IReadOnlyList<int> Arrays { get; }

    /// <summary>Batched scalars of a wider root: one value per row.</summary>
    public IReadOnlyList<int> PerRow { get; }

    /// <summary>Unbatched scalars of a wider root: one value for the whole step.</summary>
    public IReadOnlyList<int> FixedScalars { get; }

    /// <summary>Operands read element by element.</summary>
    public IReadOnlyList<int> Elements { get; }

    /// <summary>Whether the chain reads the loss seed (1/B or 1).</summary>
    public bool UsesSeed { get; }

    /// <summary>The row length (last axis) of each operand read through a tile in the chain, by operand id.</summary>
    public IReadOnlyDictionary<int, int> Tiled { get; private set; } = new Dictionary<int, int>();

    /// <summary>The row length (last axis) of each operand repeated along its rows by an expand in the chain, by operand id.</summary>
    public IReadOnlyDictionary<int, int> Expanded { get; private set; } = new Dictionary<int, int>();

    /// <summary>Operands that are one value repeated over the row (per row or fixed).</summary>
    public bool IsBroadcastScalar(int id) => PerRow.Contains(id) || FixedScalars.Contains(id);

    /// <remarks>Loops rather than queries: every fused step of every entry and backend is read here on each edit (issue 21).</remarks>
    public static FusedOperands Of(CompiledEntry entry, ElementwiseStep step)
    {
        Graph graph = entry.Graph;
        int size = graph[step.Root].Shape.Size;
        var chain = new HashSet<int>(step.Chain);
        var seen = new HashSet<int>();
        var operands = new List<int>();
        var tiled = new Dictionary<int, int>();
        var expanded = new Dictionary<int, int>();
        foreach (int id in step.Chain)
        {
            Node node = graph[id];
            foreach (int input in node.Inputs)
                if (!chain.Contains(input) && seen.Add(input))
                    operands.Add(input);
            if (node.Op == OpKind.Tile)
                tiled.Add(node.Inputs[0], node.Shape.Last);
            else if (node.Op == OpKind.ExpandLast)
                expanded[node.Inputs[0]] = node.Shape.Last;
        }
        operands.Sort();
        var arrays = new List<int>(operands.Count);
        var perRow = new List<int>();
        var fixedScalars = new List<int>();
        bool usesSeed = false;
        foreach (int id in operands)
        {
            Node operand = graph[id];
            usesSeed |= operand.Op == OpKind.LossSeed;
            if (!entry.Plan.Storage.ContainsKey(id))
                continue;
            arrays.Add(id);
            if (operand.Shape.Size == 1 && size > 1)
                (operand.Batched ? perRow : fixedScalars).Add(id);
        }
        return new FusedOperands(graph, step, arrays, perRow, fixedScalars, usesSeed) { Tiled = tiled, Expanded = expanded };
    }
}
