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
/// <c>i % last</c>.
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
        Elements = arrays.Where(i => !perRow.Contains(i) && !fixedScalars.Contains(i)).ToList();
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

    /// <summary>Operands that are one value repeated over the row (per row or fixed).</summary>
    public bool IsBroadcastScalar(int id) => PerRow.Contains(id) || FixedScalars.Contains(id);

    public static FusedOperands Of(CompiledEntry entry, ElementwiseStep step)
    {
        Graph graph = entry.Graph;
        int size = graph[step.Root].Shape.Size;
        var chain = new HashSet<int>(step.Chain);
        List<int> operands = step.Chain.SelectMany(id => graph[id].Inputs).Where(i => !chain.Contains(i)).Distinct().OrderBy(i => i).ToList();
        List<int> arrays = operands.Where(i => entry.Plan.Storage.ContainsKey(i)).ToList();
        var perRow = arrays.Where(i => graph[i].Shape.Size == 1 && size > 1 && graph[i].Batched).ToList();
        var fixedScalars = arrays.Where(i => graph[i].Shape.Size == 1 && size > 1 && !graph[i].Batched).ToList();
        var tiled = step.Chain.Where(id => graph[id].Op == OpKind.Tile).ToDictionary(id => graph[id].Inputs[0], id => graph[id].Shape.Last);
        return new FusedOperands(graph, step, arrays, perRow, fixedScalars, operands.Any(i => graph[i].Op == OpKind.LossSeed)) { Tiled = tiled };
    }
}
