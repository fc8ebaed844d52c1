namespace Dsl.Generator.Fusion;

/// <summary>Where cross_entropy_grad's weight of each row comes from.</summary>
internal enum RowWeightKind
{
    /// <summary>The loss seed the training step is called with, shared by every row and in no array.</summary>
    Seed,

    /// <summary>A constant shared by every row (<see cref="RowWeight.Value"/>).</summary>
    Constant,

    /// <summary>One weight per row, in the array of value <see cref="RowWeight.Node"/>.</summary>
    PerRow,
}

/// <summary>The weight of each row of a <see cref="KernelId.CrossEntropyBackward"/> call.</summary>
/// <param name="Value">The constant, for <see cref="RowWeightKind.Constant"/>.</param>
/// <param name="Node">The value holding the weights (for <see cref="RowWeightKind.PerRow"/>) or the seed or constant node.</param>
internal sealed record RowWeight(RowWeightKind Kind, double Value, int Node);
