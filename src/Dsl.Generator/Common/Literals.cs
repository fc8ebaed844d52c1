using System.Globalization;

namespace Dsl.Generator.Common;

/// <summary>
/// Every number the emitters write goes through here: invariant culture and round-trip format,
/// so output is byte-identical under any locale (System.Text.Json's generator learned this from
/// fi-FI's U+2212 minus sign).
/// </summary>
internal static class Literals
{
    /// <summary>A C# <c>float</c> literal such as <c>0.5f</c> or <c>-1E-08f</c>.</summary>
    public static string Float(double value)
    {
        float f = (float)value;
        if (float.IsNaN(f)) return "float.NaN";
        if (float.IsPositiveInfinity(f)) return "float.PositiveInfinity";
        if (float.IsNegativeInfinity(f)) return "float.NegativeInfinity";
        string text = f.ToString("R", CultureInfo.InvariantCulture);
        return text + "f";
    }

    /// <summary>
    /// An OpenCL C (or CUDA C) <c>float</c> literal such as <c>1.0f</c>, <c>0.5f</c> or <c>-1E-08f</c>:
    /// C needs a point or an exponent before the suffix, and an unsuffixed literal is a double,
    /// which devices without fp64 reject.
    /// </summary>
    public static string CFloat(double value)
    {
        float f = (float)value;
        if (float.IsNaN(f)) return "NAN";
        if (float.IsPositiveInfinity(f)) return "INFINITY";
        if (float.IsNegativeInfinity(f)) return "(-INFINITY)";
        string text = f.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOf('.') < 0 && text.IndexOf('E') < 0) text += ".0";
        return text + "f";
    }

    /// <summary>A C# <c>int</c> literal.</summary>
    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A C# <c>int[]</c> such as <c>new[] { 16, 10 }</c>; an empty one (a scalar's shape) is
    /// <c>Array.Empty&lt;int&gt;()</c>, since <c>new[] { }</c> has no type to infer (CS0826).
    /// </summary>
    public static string IntArray(System.Collections.Generic.IEnumerable<int> values)
    {
        string items = string.Join(", ", System.Linq.Enumerable.Select(values, Int));
        return items.Length == 0 ? "global::System.Array.Empty<int>()" : "new[] { " + items + " }";
    }

    /// <summary>A C# string literal with the characters a C# string needs escaped.</summary>
    public static string String(string value)
    {
        var builder = new System.Text.StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default: builder.Append(c); break;
            }
        }
        builder.Append('"');
        return builder.ToString();
    }

    /// <summary>A number for comments and messages, e.g. <c>0.001</c>.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
