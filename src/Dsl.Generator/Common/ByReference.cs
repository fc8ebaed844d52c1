using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Dsl.Generator.Common;

/// <summary>
/// Compares objects by identity, for tables keyed by compiler objects that are records (plan
/// steps, entries, nodes) whose structural equality walks their graphs: within one compile, the
/// same object is the same thing. netstandard2.0 has no <c>ReferenceEqualityComparer</c>.
/// </summary>
internal sealed class ByReference<T> : IEqualityComparer<T>
    where T : class
{
    public static readonly ByReference<T> Instance = new();

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

    public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
}
