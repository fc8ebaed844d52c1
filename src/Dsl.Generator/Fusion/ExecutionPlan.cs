using System.Collections.Generic;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Fusion;

/// <summary>Which array a value lives in.</summary>
internal enum StorageKind
{
    /// <summary>A reusable scratch array of the program (<c>_slot3</c>).</summary>
    Slot,

    /// <summary>The array an entry's float input is copied into (<c>_x</c>).</summary>
    Input,

    /// <summary>The int array of a Label input (<c>_y</c>).</summary>
    Labels,

    /// <summary>The model's flat parameter buffer.</summary>
    Parameters,

    /// <summary>The program's flat gradient buffer, laid out like the parameters.</summary>
    Gradients,
}

/// <summary>Where a materialised value lives: an array field and the offset of its first element.</summary>
internal sealed record Storage(StorageKind Kind, string Field, int Offset);

/// <summary>A scratch array shared by values whose lifetimes do not overlap.</summary>
/// <param name="PerExample">Floats per example (batched) or in all (unbatched).</param>
internal sealed record Slot(string Field, int PerExample, bool Batched);

/// <summary>One step of an entry point: a fused element-wise loop, or one library call.</summary>
internal abstract record PlanStep;

/// <summary>
/// A fused element-wise kernel: <see cref="Chain"/> lists the nodes computed in one loop, in
/// topological order; the last is the root. The loop writes the root to memory, and the
/// <see cref="Stored"/> nodes of the chain that later steps also read.
/// </summary>
internal sealed record ElementwiseStep(int Index, IReadOnlyList<int> Chain) : PlanStep
{
    public int Root => Chain[Chain.Count - 1];

    /// <summary>
    /// Nodes of the chain besides the root that the loop also writes, in chain order: values with
    /// readers after the loop as well as in it (GELU's h and Φ(h), read by h·Φ(h) and by the backward pass).
    /// </summary>
    public IReadOnlyList<int> Stored { get; init; } = System.Array.Empty<int>();

    /// <summary>Every node the loop writes to memory: the stored nodes, then the root.</summary>
    public IEnumerable<int> Written
    {
        get
        {
            foreach (int id in Stored)
                yield return id;
            yield return Root;
        }
    }
}

/// <summary>A non-element-wise op, emitted as one call of a runtime primitive (GEMM, a row kernel, a reduction).</summary>
internal sealed record CallStep(int Node) : PlanStep;

/// <summary>A copy of a value into the gradient buffer, where a gradient could not be computed in place.</summary>
internal sealed record CopyStep(int Node, Storage Destination, string Parameter) : PlanStep;

/// <summary>
/// The optimizer's update of one parameter from its final gradient (<c>OptimizerState.UpdatePart</c>),
/// placed after the last step that reads the parameter.
/// </summary>
internal sealed record UpdateStep(int Node, string Parameter, int Offset, int Size) : PlanStep;

/// <summary>Everything the emitter needs for one entry point: the graph, its steps and where each value lives.</summary>
internal sealed record EntryPlan(Graph Graph, IReadOnlyList<PlanStep> Steps, IReadOnlyDictionary<int, Storage> Storage);
