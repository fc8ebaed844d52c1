namespace Dsl;

/// <summary>The scalars every fused element-wise kernel is given (see <see cref="FusedKernelSources"/>).</summary>
/// <param name="Seed">The cotangent that seeds the backward pass (1/B for a batch-mean loss, 1 for a sum).</param>
/// <param name="DropoutKey">The Philox key of the [Dropout] masks.</param>
/// <param name="DropoutStep">The training step the masks are drawn for.</param>
public readonly record struct FusedScalars(float Seed, ulong DropoutKey, uint DropoutStep);
