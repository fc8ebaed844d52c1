using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Dsl;

/// <summary>
/// The values a compiled program logged in its last step (<c>Log("train_loss", loss)</c> in the
/// user's step method), by name and by index. Names are fixed when the program is compiled;
/// the generated code writes values by index, so reading by name is only a dictionary lookup.
/// </summary>
/// <remarks>Values are <see cref="float.NaN"/> until the first step sets them.</remarks>
public sealed class MetricSet
{
    private readonly string[] _names;
    private readonly float[] _values;
    private readonly Dictionary<string, int> _indexByName;

    /// <summary>Creates a set with one metric per name, each starting as <see cref="float.NaN"/>.</summary>
    /// <param name="names">The metric names, in the order the generated code indexes them.</param>
    /// <exception cref="ArgumentException">A name is null, empty or repeated.</exception>
    public MetricSet(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = (string[])names.Clone();
        _values = new float[names.Length];
        _values.AsSpan().Fill(float.NaN);
        _indexByName = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (int i = 0; i < _names.Length; i++)
        {
            if (string.IsNullOrEmpty(_names[i]))
                throw new ArgumentException($"Metric name {i} is null or empty.", nameof(names));
            if (!_indexByName.TryAdd(_names[i], i))
                throw new ArgumentException($"Metric name '{_names[i]}' appears more than once.", nameof(names));
        }
    }

    /// <summary>The metric names in index order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The number of metrics.</summary>
    public int Count => _names.Length;

    /// <summary>The value of the metric at <paramref name="index"/>.</summary>
    /// <param name="index">A position in <see cref="Names"/>.</param>
    public float this[int index] => _values[index];

    /// <summary>The value of the metric called <paramref name="name"/>.</summary>
    /// <param name="name">A metric name.</param>
    /// <exception cref="KeyNotFoundException">No metric has that name; the message lists the names there are.</exception>
    public float this[string name] => _values[IndexOf(name)];

    /// <summary>Looks up a metric by name without throwing.</summary>
    /// <param name="name">A metric name.</param>
    /// <param name="value">The metric's value, or <see cref="float.NaN"/> when there is none.</param>
    /// <returns>True when the metric exists.</returns>
    public bool TryGetValue(string name, out float value)
    {
        if (name is not null && _indexByName.TryGetValue(name, out int index))
        {
            value = _values[index];
            return true;
        }

        value = float.NaN;
        return false;
    }

    /// <summary>
    /// Stores a metric's value. Generated programs call this after each step with the step's
    /// batch-averaged value; user code normally only reads.
    /// </summary>
    /// <param name="index">A position in <see cref="Names"/>.</param>
    /// <param name="value">The new value.</param>
    public void Set(int index, float value) => _values[index] = value;

    /// <summary>The index of the metric named <paramref name="name"/>, for reading it by index in a loop.</summary>
    /// <param name="name">The metric's name.</param>
    /// <exception cref="KeyNotFoundException">No metric has that name; the message lists those there are.</exception>
    public int IndexOf(string name) => name is not null && _indexByName.TryGetValue(name, out int index)
        ? index
        : throw new KeyNotFoundException(
            $"No metric named '{name}'. Available: {(_names.Length == 0 ? "(none)" : string.Join(", ", _names))}.");

    /// <summary>Formats every metric as <c>name=value</c>, space-separated, in the invariant culture (e.g. <c>train_loss=0.6931 val_acc=0.5000</c>).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        for (int i = 0; i < _names.Length; i++)
        {
            if (i > 0)
                text.Append(' ');
            text.Append(_names[i]).Append('=').Append(Format(_values[i]));
        }

        return text.ToString();
    }

    // Four decimals keep a progress line steady; values too small for that (learning rates,
    // tiny losses) switch to significant digits so they do not print as 0.0000.
    private static string Format(float value) =>
        value != 0 && MathF.Abs(value) < 1e-3f
            ? value.ToString("G4", CultureInfo.InvariantCulture)
            : value.ToString("0.0000", CultureInfo.InvariantCulture);
}
