using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dsl;

/// <summary>
/// Reads the fields of a callback's saved state, which come from a file and so may be of any type
/// or value: each reader returns the value or throws an <see cref="InvalidDataException"/> naming
/// the field, what it holds and what was expected.
/// </summary>
internal static class StateFields
{
    private const int ShownLength = 80;

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int Int(JsonObject state, string name, int min, int max)
    {
        JsonNode? node = state[name];
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out int number) && number >= min && number <= max)
            return number;
        throw Invalid(name, node, $"an integer from {min} to {max}");
    }

    /// <summary>A double stored as round-trip text ("R"), as callbacks store scores so that infinities survive JSON.</summary>
    /// <param name="state">The object holding the field.</param>
    /// <param name="name">The field.</param>
    /// <param name="allowNaN">Whether "NaN" is a valid value.</param>
    public static double DoubleText(JsonObject state, string name, bool allowNaN) => DoubleText(state[name], name, allowNaN);

    /// <inheritdoc cref="DoubleText(JsonObject, string, bool)"/>
    public static double DoubleText(JsonNode? node, string name, bool allowNaN)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.TryGetValue(out string? text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && (allowNaN || !double.IsNaN(number)))
            return number;
        throw Invalid(name, node, allowNaN ? "a number as a string (\"0.25\", \"Infinity\", \"NaN\")" : "a number as a string (\"0.25\", \"Infinity\")");
    }

    /// <summary>A string, or null when the field is null or absent.</summary>
    public static string? StringOrNull(JsonObject state, string name)
    {
        JsonNode? node = state[name];
        if (node is null)
            return null;
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.TryGetValue(out string? text))
            return text;
        throw Invalid(name, node, "a string or null");
    }

    /// <summary>A JSON object, or null when the field is absent.</summary>
    public static JsonObject? ObjectOrAbsent(JsonObject state, string name)
    {
        if (!state.TryGetPropertyValue(name, out JsonNode? node))
            return null;
        return node as JsonObject ?? throw Invalid(name, node, "a JSON object");
    }

    /// <summary>The error for a field that holds <paramref name="node"/> instead of <paramref name="expected"/>.</summary>
    public static InvalidDataException Invalid(string name, JsonNode? node, string expected) =>
        new($"'{name}' is {Show(node)}; expected {expected}.");

    private static string Show(JsonNode? node)
    {
        string text = node?.ToJsonString() ?? "null";
        return text.Length <= ShownLength ? text : text[..ShownLength] + "...";
    }
}
