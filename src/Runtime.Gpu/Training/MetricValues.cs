using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Dsl;

/// <summary>
/// Named metric values (<c>val_loss</c>, <c>val_acc</c>, ...) as the Trainer returns them: a
/// read-only dictionary whose indexer names the metrics it does have when asked for one it lacks.
/// </summary>
public sealed class MetricValues : IReadOnlyDictionary<string, double>
{
    private readonly Dictionary<string, double> _values;

    /// <summary>Copies <paramref name="values"/>.</summary>
    /// <param name="values">Metric names and values.</param>
    public MetricValues(IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new Dictionary<string, double>(values, StringComparer.Ordinal);
    }

    /// <summary>No metrics.</summary>
    public static MetricValues Empty { get; } = new(Array.Empty<KeyValuePair<string, double>>());

    /// <inheritdoc/>
    /// <exception cref="KeyNotFoundException">No metric has that name; the message lists those there are.</exception>
    public double this[string key] => _values.TryGetValue(key, out double value)
        ? value
        : throw new KeyNotFoundException($"No metric named '{key}'. Available: {(Count == 0 ? "(none)" : string.Join(", ", Keys.Order(StringComparer.Ordinal)))}.");

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc/>
    public IEnumerable<double> Values => _values.Values;

    /// <inheritdoc/>
    public int Count => _values.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, out double value) => _values.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>"val_acc=0.9861 val_loss=0.0512", sorted by name.</summary>
    public override string ToString() =>
        string.Join(" ", _values.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value.ToString("0.####", CultureInfo.InvariantCulture)));
}
