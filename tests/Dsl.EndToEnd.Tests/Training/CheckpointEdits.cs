using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace Dsl.EndToEnd.Tests.Training;

/// <summary>
/// Writes a copy of a real Trainer checkpoint with one metadata value replaced, as a hostile or
/// damaged file would have it, for the tests of what resuming from such a file may do.
/// </summary>
internal static class CheckpointEdits
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> with the value at
    /// <paramref name="target"/> replaced by the JSON <paramref name="json"/>, or removed when it is null.
    /// </summary>
    /// <param name="target">
    /// A metadata key (<c>dsl.epoch</c>, whose value is then the raw string <paramref name="json"/>), or a
    /// path into a JSON-valued key, segments separated by '|' (keys hold '/'): <c>dsl.callbacks|EarlyStopping|wait_count</c>.
    /// A segment matches the first member whose name starts with it; <c>*</c> matches the first member.
    /// </param>
    public static void Write(string source, string destination, string target, string? json)
    {
        SafeTensorsFile file = SafeTensors.Load(source);
        var metadata = new Dictionary<string, string>(file.Metadata, StringComparer.Ordinal);
        Edit(metadata, target, json);
        SafeTensors.Save(destination, file.Values, metadata);
    }

    /// <summary>Applies one edit, as <see cref="Write"/> describes, to a metadata dictionary.</summary>
    public static void Edit(Dictionary<string, string> metadata, string target, string? json)
    {
        string[] segments = target.Split('|');
        if (segments.Length == 1)
        {
            if (json is null)
                metadata.Remove(target);
            else
                metadata[target] = json;
            return;
        }

        JsonNode root = JsonNode.Parse(metadata[segments[0]])!;
        JsonNode parent = root;
        for (int i = 1; i < segments.Length - 1; i++)
            parent = Child(parent, segments[i]);
        string last = segments[^1];
        switch (parent)
        {
            case JsonObject members:
                string name = MemberName(members, last);
                if (json is null)
                    members.Remove(name);
                else
                    members[name] = JsonNode.Parse(json);
                break;
            case JsonArray items:
                int index = int.Parse(last);
                if (json is null)
                    items.RemoveAt(index);
                else
                    items[index] = JsonNode.Parse(json);
                break;
            default:
                throw new ArgumentException($"'{target}' does not lead to an object or array.");
        }

        metadata[segments[0]] = root.ToJsonString();
    }

    /// <summary>Every path into <paramref name="node"/> that <see cref="Edit"/> can address, containers and leaves.</summary>
    public static IEnumerable<string> Paths(string prefix, JsonNode? node) => node switch
    {
        JsonObject members => members.SelectMany(m => Paths(prefix + "|" + m.Key, m.Value).Prepend(prefix + "|" + m.Key)),
        JsonArray items => items.SelectMany((item, i) => Paths(prefix + "|" + i, item).Prepend(prefix + "|" + i)),
        _ => [],
    };

    private static JsonNode Child(JsonNode parent, string segment) => parent switch
    {
        JsonObject members => members[MemberName(members, segment)]!,
        JsonArray items => items[int.Parse(segment)]!,
        _ => throw new ArgumentException($"'{segment}' is below a leaf."),
    };

    private static string MemberName(JsonObject members, string segment) =>
        members.Select(m => m.Key).FirstOrDefault(k => segment == "*" || k == segment)
        ?? members.Select(m => m.Key).FirstOrDefault(k => k.StartsWith(segment, StringComparison.Ordinal))
        ?? segment;
}
