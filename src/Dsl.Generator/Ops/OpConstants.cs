using System;

namespace Dsl.Generator.Ops;

/// <summary>
/// The numbers the op rules and renderings share, each written once. (LayerNorm's ε belongs to its
/// kernel call, in the kernel-call plan.)
/// </summary>
internal static class OpConstants
{
    /// <summary>1/√(2π), the standard normal density's factor φ(0): GELU's second derivative builds it as a constant node.</summary>
    public static readonly double InverseSqrtTwoPi = 1 / Math.Sqrt(2 * Math.PI);
}
