using System.Collections.Generic;

namespace Dsl;

/// <summary>
/// A group of parameters whose gradients a <see cref="GradientHook"/> sees together: a contiguous
/// range of the flat gradient (laid out like <see cref="ParameterStore.Buffer"/>).
/// </summary>
/// <param name="Index">The bucket's position in <see cref="CompiledProgram.GradientBuckets"/>, the order their gradients become final.</param>
/// <param name="Offset">The bucket's first float in the flat gradient.</param>
/// <param name="Length">How many floats it holds.</param>
/// <param name="Parameters">The parameters' dotted names, in layout order.</param>
public sealed record GradientBucket(int Index, int Offset, int Length, IReadOnlyList<string> Parameters);
