using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Dsl;

/// <summary>
/// A checkpoint file-name template as Lightning writes them: <c>{name}</c> or
/// <c>{name:format}</c> (a .NET format string) is replaced by <c>name=value</c>, so
/// <c>"digits-{epoch:D2}-{val_acc:F4}"</c> becomes <c>digits-epoch=07-val_acc=0.9861</c>.
/// </summary>
internal sealed partial class CheckpointFileName
{
    private readonly string _template;
    private readonly Regex _pattern;

    public CheckpointFileName(string template)
    {
        ArgumentException.ThrowIfNullOrEmpty(template);
        if (template.IndexOfAny(['/', '\\']) >= 0)
            throw new ArgumentException($"The checkpoint file name '{template}' must not contain a directory; pass the directory to ModelCheckpoint.", nameof(template));
        _template = template;
        _pattern = NamePattern(template);
        Names = Placeholder().Matches(template).Select(m => m.Groups["name"].Value).Distinct().ToArray();
    }

    /// <summary>
    /// True when <paramref name="name"/> (without extension) is one <see cref="Format"/> could
    /// return: the template's text with each placeholder replaced by <c>name=</c> and any value.
    /// </summary>
    public bool CouldHaveFormatted(string name) => _pattern.IsMatch(name);

    /// <summary>The metric names the template uses.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The file name for <paramref name="values"/> (without extension).</summary>
    /// <exception cref="KeyNotFoundException">A placeholder has no value.</exception>
    public string Format(Func<string, double?> values) =>
        Placeholder().Replace(_template, match =>
        {
            string name = match.Groups["name"].Value;
            double value = values(name) ?? throw new KeyNotFoundException($"The checkpoint file name '{_template}' uses '{name}', which has no value yet.");
            string format = match.Groups["format"].Success ? match.Groups["format"].Value : name is "epoch" or "step" ? "0" : "0.####";
            string text = name is "epoch" or "step"
                ? ((long)value).ToString(format, CultureInfo.InvariantCulture)
                : value.ToString(format, CultureInfo.InvariantCulture);
            return new StringBuilder(name).Append('=').Append(text).ToString();
        });

    /// <summary>
    /// The names the template produces. A value may be any text without a directory separator
    /// (a format string can add its own), so the template's fixed text is what tells a name apart.
    /// </summary>
    private static Regex NamePattern(string template)
    {
        var pattern = new StringBuilder("^");
        int end = 0;
        foreach (Match match in Placeholder().Matches(template))
        {
            pattern.Append(Regex.Escape(template[end..match.Index]))
                .Append(Regex.Escape(match.Groups["name"].Value)).Append(@"=[^/\\]*");
            end = match.Index + match.Length;
        }

        return new Regex(pattern.Append(Regex.Escape(template[end..])).Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z_][A-Za-z0-9_\-/.]*)(?::(?<format>[^}]+))?\}")]
    private static partial Regex Placeholder();
}
