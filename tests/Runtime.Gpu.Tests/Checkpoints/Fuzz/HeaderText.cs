using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Dsl.Tests.Checkpoints.Fuzz;

/// <summary>
/// A safetensors header held as raw JSON text, member by member, so that a mutation can put
/// anything in it, including text no JSON writer would produce (lone surrogate escapes,
/// repeated keys, numbers beyond every type).
/// </summary>
internal sealed class HeaderText
{
    /// <summary>The root object's members in order: a raw key (with quotes) and either raw fields or a raw value.</summary>
    public List<Member> Members { get; } = [];

    /// <summary>Reads a well-formed header into raw members.</summary>
    public static HeaderText Parse(byte[] json)
    {
        var header = new HeaderText();
        using JsonDocument document = JsonDocument.Parse(json);
        foreach (JsonProperty member in document.RootElement.EnumerateObject())
        {
            var fields = member.Value.EnumerateObject().Select(f => new Field(JsonSerializer.Serialize(f.Name), f.Value.GetRawText())).ToList();
            header.Members.Add(new Member(JsonSerializer.Serialize(member.Name), fields, null));
        }

        return header;
    }

    /// <summary>A deep copy, to mutate.</summary>
    public HeaderText Clone()
    {
        var copy = new HeaderText();
        foreach (Member member in Members)
            copy.Members.Add(member with { Fields = member.Fields?.ToList() });
        return copy;
    }

    /// <summary>The header as UTF-8, padded with spaces to a multiple of 8 bytes as the writer pads it.</summary>
    public byte[] ToUtf8()
    {
        var text = new StringBuilder("{");
        text.AppendJoin(",", Members.Select(m => m.Key + ":" + (m.Fields is null ? m.Raw : "{" + string.Join(",", m.Fields.Select(f => f.Key + ":" + f.Value)) + "}")));
        text.Append('}');
        while (Encoding.UTF8.GetByteCount(text.ToString()) % 8 != 0)
            text.Append(' ');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>One member of the root object.</summary>
    /// <param name="Key">The raw key, quotes included.</param>
    /// <param name="Fields">The raw fields of an object value, or null when <paramref name="Raw"/> is the value.</param>
    /// <param name="Raw">A raw value that replaces the object.</param>
    internal sealed record Member(string Key, List<Field>? Fields, string? Raw);

    /// <summary>One field of a member's object: raw key (with quotes) and raw value.</summary>
    internal sealed record Field(string Key, string Value);
}
