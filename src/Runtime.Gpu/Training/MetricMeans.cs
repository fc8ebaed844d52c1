using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dsl;

/// <summary>
/// Running means of logged metrics over an epoch or a validation pass, weighted by batch size
/// (Lightning's <c>on_epoch=True</c> reduction), in the order the metrics were first seen.
/// </summary>
internal sealed class MetricMeans
{
    private readonly List<string> _names = new();
    private readonly Dictionary<string, (double Sum, long Weight)> _totals = new();

    /// <summary>Adds one batch's value, counted <paramref name="weight"/> times.</summary>
    public void Add(string name, double value, int weight)
    {
        if (!_totals.TryGetValue(name, out var total))
            _names.Add(name);
        _totals[name] = (total.Sum + value * weight, total.Weight + weight);
    }

    /// <summary>True when nothing has been added since the last <see cref="Clear"/>.</summary>
    public bool IsEmpty => _names.Count == 0;

    /// <summary>Each metric's weighted mean.</summary>
    public IEnumerable<KeyValuePair<string, double>> Means()
    {
        foreach (string name in _names)
        {
            var (sum, weight) = _totals[name];
            yield return new(name, sum / weight);
        }
    }

    /// <summary>Sums every rank's totals (every rank ran the same step, so the names agree), making the means global.</summary>
    public void Reduce(DataParallel ddp)
    {
        var values = new double[2 * _names.Count];
        for (int i = 0; i < _names.Count; i++)
            (values[2 * i], values[2 * i + 1]) = (_totals[_names[i]].Sum, _totals[_names[i]].Weight);
        ddp.Sum(values, "the reduction of validation metrics");
        for (int i = 0; i < _names.Count; i++)
            _totals[_names[i]] = (values[2 * i], (long)values[2 * i + 1]);
    }

    /// <summary>Forgets every total.</summary>
    public void Clear()
    {
        _names.Clear();
        _totals.Clear();
    }

    /// <summary>The totals as JSON, so a checkpoint taken mid-epoch resumes with the same epoch means.</summary>
    public JsonObject Save()
    {
        var json = new JsonObject();
        foreach (string name in _names)
        {
            var (sum, weight) = _totals[name];
            json[name] = new JsonArray(sum, weight);
        }

        return json;
    }

    /// <summary>One metric's running total, as a checkpoint stores it.</summary>
    public readonly record struct Total(string Name, double Sum, long Weight);

    /// <summary>
    /// Reads what <see cref="Save"/> wrote: each metric as <c>[sum, weight]</c>, the sum finite
    /// and the weight a positive count of examples.
    /// </summary>
    /// <exception cref="InvalidDataException">An entry is not of that form; the message names it.</exception>
    public static List<Total> Parse(JsonObject json)
    {
        var totals = new List<Total>(json.Count);
        foreach (var (name, value) in json)
        {
            if (value is JsonArray { Count: 2 } pair
                && pair[0] is JsonValue sum && sum.GetValueKind() == JsonValueKind.Number && sum.TryGetValue(out double s) && double.IsFinite(s)
                && pair[1] is JsonValue weight && weight.GetValueKind() == JsonValueKind.Number && weight.TryGetValue(out long w) && w > 0)
                totals.Add(new Total(name, s, w));
            else
                throw StateFields.Invalid(name, value, "[sum, weight]: a finite number and a positive integer");
        }

        return totals;
    }

    /// <summary>Replaces the totals with those <see cref="Parse"/> read.</summary>
    public void Load(IEnumerable<Total> totals)
    {
        Clear();
        foreach (Total total in totals)
        {
            _names.Add(total.Name);
            _totals[total.Name] = (total.Sum, total.Weight);
        }
    }
}
