using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Dsl.Logging;

/// <summary>
/// Writes hyperparameters as <c>hparams.yaml</c>, the file Lightning's loggers leave beside their
/// metrics: one <c>key: value</c> line each, in the order given.
/// </summary>
/// <remarks>
/// Values stay plain where YAML reads them back as the same text or as the number/boolean they
/// spell (<c>lr: 0.001</c>, as Lightning shows it); anything YAML would misread or reject (empty,
/// surrounding spaces, a leading indicator such as <c>[</c> or <c>#</c>, <c>": "</c>, <c>" #"</c>,
/// control characters) is double-quoted with escapes.
/// </remarks>
internal static class HyperparameterYaml
{
    /// <summary>The file name Lightning uses.</summary>
    public const string FileName = "hparams.yaml";

    /// <summary>Formats the hyperparameters as YAML text.</summary>
    /// <param name="hyperparameters">Names and values, in output order.</param>
    /// <returns>The YAML document, one line per entry; "{}" when there are none.</returns>
    public static string Format(IEnumerable<KeyValuePair<string, string>> hyperparameters)
    {
        var text = new StringBuilder();
        foreach (KeyValuePair<string, string> pair in hyperparameters)
            text.Append(Scalar(pair.Key)).Append(": ").Append(Scalar(pair.Value)).Append('\n');
        return text.Length == 0 ? "{}\n" : text.ToString();
    }

    /// <summary>Returns <paramref name="value"/> as a YAML scalar, quoted only when it must be.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The plain text, or a double-quoted and escaped form.</returns>
    public static string Scalar(string value) => NeedsQuotes(value) ? Quote(value) : value;

    private static bool NeedsQuotes(string value)
    {
        if (value.Length == 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
            return true;
        char first = value[0];
        // Indicators that start a different construct; '-', '?' and ':' only when a space follows
        // ("-0.5" is a plain number, "- x" a list item).
        if ("[]{},#&*!|>'\"%@`".Contains(first, StringComparison.Ordinal))
            return true;
        if (first is '-' or '?' or ':' && (value.Length == 1 || value[1] == ' '))
            return true;
        if (value.EndsWith(':') || value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal))
            return true;
        foreach (char c in value)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF')
                return true;
        }

        return false;
    }

    private static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF')
                        text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else
                        text.Append(c);
                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
