using Dsl.Generator.Common;

namespace Dsl.Generator.Fusion;

/// <summary>
/// A size a kernel takes: a count fixed at generation time (<c>16</c>), or one that grows with the
/// batch (<c>batch * 16</c>), known only when the entry point runs. Both programs are C# and render it
/// with <see cref="Render"/>; a batched count of one per example is just <c>batch</c>.
/// </summary>
/// <param name="Count">The size itself (unbatched), or per example (batched).</param>
/// <param name="Batched">Whether the size is <see cref="Count"/> times the batch.</param>
internal readonly record struct KernelSize(int Count, bool Batched)
{
    /// <summary>A size that does not depend on the batch.</summary>
    public static KernelSize Fixed(int count) => new(count, false);

    /// <summary><paramref name="perExample"/> for each example of the batch.</summary>
    public static KernelSize PerExample(int perExample) => new(perExample, true);

    /// <summary><paramref name="count"/> per example when <paramref name="batched"/>, else <paramref name="count"/> in all.</summary>
    public static KernelSize Of(int count, bool batched) => new(count, batched);

    /// <summary>The size as a C# expression of the program's <c>batch</c> variable: <c>batch</c>, <c>batch * 16</c> or <c>16</c>.</summary>
    public string Render() =>
        !Batched ? Literals.Int(Count) : Count == 1 ? "batch" : "batch * " + Literals.Int(Count);

    /// <inheritdoc/>
    public override string ToString() => Render();
}
