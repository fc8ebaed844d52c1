using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;

namespace Dsl;

/// <summary>
/// The tensors and metadata of a loaded safetensors file, by name, in the order of the file's
/// header. Every tensor's bytes are in memory; the file is closed.
/// </summary>
public sealed class SafeTensorsFile : IReadOnlyDictionary<string, SafeTensor>
{
    private readonly SafeTensor[] _tensors;
    private readonly Dictionary<string, SafeTensor> _byName;

    internal SafeTensorsFile(string path, SafeTensor[] tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        _tensors = tensors;
        _byName = new Dictionary<string, SafeTensor>(tensors.Length, StringComparer.Ordinal);
        foreach (SafeTensor tensor in tensors)
            _byName.Add(tensor.Name, tensor);
        Metadata = metadata;
    }

    /// <summary>The path the file was loaded from, as given to <see cref="SafeTensors.Load"/>.</summary>
    public string Path { get; }

    /// <summary>The header's <c>__metadata__</c> string pairs (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The number of tensors.</summary>
    public int Count => _tensors.Length;

    /// <summary>The tensor names in header order.</summary>
    public IEnumerable<string> Keys => _tensors.Select(t => t.Name);

    /// <summary>The tensors in header order.</summary>
    public IEnumerable<SafeTensor> Values => _tensors;

    /// <summary>Returns the tensor called <paramref name="name"/>.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <exception cref="KeyNotFoundException">The file has no such tensor; the message names the file and some names it does have.</exception>
    public SafeTensor this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            if (_byName.TryGetValue(name, out SafeTensor? tensor))
                return tensor;
            throw new KeyNotFoundException($"{Path}: no tensor named '{name}'. {DescribeNames()}");
        }
    }

    /// <summary>True if the file has a tensor called <paramref name="key"/>.</summary>
    /// <param name="key">The tensor's name.</param>
    public bool ContainsKey(string key) => _byName.ContainsKey(key);

    /// <summary>Looks a tensor up without throwing.</summary>
    /// <param name="key">The tensor's name.</param>
    /// <param name="value">The tensor, or null when absent.</param>
    /// <returns>True if found.</returns>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out SafeTensor value) => _byName.TryGetValue(key, out value);

    /// <summary>Enumerates the (name, tensor) pairs in header order.</summary>
    /// <returns>The enumerator.</returns>
    public IEnumerator<KeyValuePair<string, SafeTensor>> GetEnumerator()
    {
        foreach (SafeTensor tensor in _tensors)
            yield return new KeyValuePair<string, SafeTensor>(tensor.Name, tensor);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private string DescribeNames()
    {
        const int Shown = 8;
        if (_tensors.Length == 0)
            return "The file has no tensors.";
        string names = string.Join(", ", _tensors.Take(Shown).Select(t => $"'{t.Name}'"));
        return _tensors.Length <= Shown
            ? $"It has {names}."
            : $"It has {_tensors.Length} tensors, among them {names}, ...";
    }
}
