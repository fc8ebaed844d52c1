using System;

namespace Dsl.Generator.Fusion;

/// <summary>
/// A size a kernel takes: a count fixed at generation time (<c>16</c>), or one that grows with the
/// batch (<c>batch * 16</c>), known only when the entry point runs. Emitters render it in their
/// own language; a batched count of one per example is just <c>batch</c>.
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

    /// <summary>
    /// The size as an expression of <paramref name="batch"/> (the batch variable's name):
    /// <c>batch</c>, <c>batch * 16</c> or <c>16</c>.
    /// </summary>
    public string Render(string batch, Func<int, string> literal) =>
        !Batched ? literal(Count) : Count == 1 ? batch : batch + " * " + literal(Count);

    /// <inheritdoc/>
    public override string ToString() => Render("batch", n => n.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
