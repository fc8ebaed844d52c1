using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace Dsl.Logging;

/// <summary>The CSV details of <see cref="CsvLogger"/>: RFC 4180 quoting, number text and reading back a header.</summary>
internal static class CsvText
{
    /// <summary>Quotes a field per RFC 4180 when it holds a comma, a quote or a line break.</summary>
    /// <param name="field">The raw field.</param>
    /// <returns>The field as it goes into the file.</returns>
    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// The shortest invariant text that parses back to the same value. A value that is exactly a
    /// float (most metrics are float losses widened to double) is written as the shortest float
    /// text, so 0.3f appears as <c>0.3</c>, not <c>0.30000001192092896</c>; parsing it as a float
    /// gives the same bits. Non-finite values use Python's spellings, as Lightning's files do.
    /// </summary>
    /// <param name="value">The metric value.</param>
    /// <returns>The cell text.</returns>
    public static string FormatNumber(double value)
    {
        if (double.IsNaN(value))
            return "nan";
        if (double.IsInfinity(value))
            return value > 0 ? "inf" : "-inf";
        float single = (float)value;
        return single == value
            ? single.ToString("R", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Reads the header record at the start of <paramref name="text"/>.</summary>
    /// <param name="text">The whole file.</param>
    /// <param name="fileName">The file, for messages.</param>
    /// <param name="end">The index just past the header's line break (the start of the first row).</param>
    /// <returns>The column names, in order.</returns>
    /// <exception cref="InvalidDataException">The header is unterminated, has a stray quote or is not a single line.</exception>
    public static List<string> ReadHeader(string text, string fileName, out int end)
    {
        var names = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        while (true)
        {
            if (i < text.Length && text[i] == '"')
            {
                // A quoted field: "" is a quote, and commas and line breaks are part of the name.
                i++;
                while (true)
                {
                    if (i >= text.Length)
                        throw new InvalidDataException($"{fileName} line 1, column {names.Count + 1}: a quoted column name is never closed.");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(text[i++]);
                }
            }
            else
            {
                while (i < text.Length && text[i] is not (',' or '\n' or '\r' or '"'))
                    field.Append(text[i++]);
            }

            names.Add(field.ToString());
            field.Clear();
            if (i >= text.Length)
                throw new InvalidDataException($"{fileName} line 1: the header does not end with a line break.");
            char c = text[i++];
            if (c == ',')
                continue;
            if (c == '\r' && i < text.Length && text[i] == '\n')
                i++;
            if (c is '\n' or '\r')
            {
                end = i;
                return names;
            }

            throw new InvalidDataException($"{fileName} line 1, column {names.Count}: expected ',' or a line break after the column name, found '{c}'.");
        }
    }
}
