using System;
using System.Collections.Generic;

namespace Dsl;

/// <summary>
/// What <see cref="Ops.Log(string, Tensor)"/> recorded when model code ran eagerly on this thread:
/// the last value logged under each name.
/// </summary>
/// <remarks>
/// The store is per thread so that tests running in parallel, each calling a model's steps
/// eagerly, do not see each other's values. Compiled models do not write here; the trainer
/// aggregates their logs itself.
/// </remarks>
/// <example>
/// <code>
/// EagerLog.Clear();
/// model.ValidationStep(x, y);
/// double accuracy = EagerLog.Values["val_acc"];
/// </code>
/// </example>
public static class EagerLog
{
    [ThreadStatic]
    private static Dictionary<string, double>? s_values;

    /// <summary>
    /// A snapshot of the last value logged under each name on this thread. Later logging or
    /// <see cref="Clear"/> does not change a snapshot already taken.
    /// </summary>
    public static IReadOnlyDictionary<string, double> Values =>
        s_values is null
            ? new Dictionary<string, double>(StringComparer.Ordinal)
            : new Dictionary<string, double>(s_values, StringComparer.Ordinal);

    /// <summary>Forgets everything logged on this thread.</summary>
    public static void Clear() => s_values?.Clear();

    /// <summary>Records <paramref name="value"/> as the latest value of <paramref name="name"/>.</summary>
    internal static void Record(string name, double value)
    {
        s_values ??= new Dictionary<string, double>(StringComparer.Ordinal);
        s_values[name] = value;
    }
}
