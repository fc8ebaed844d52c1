using System;
using System.Collections.Generic;
using System.IO;
using Dsl.Checkpoints;

namespace Dsl;

/// <summary>
/// Reads and writes the safetensors format (huggingface/safetensors), the tensor file format
/// PyTorch, JAX and the Hugging Face libraries share: an 8-byte little-endian header length, a
/// JSON header naming each tensor's dtype, shape and byte range, then the raw little-endian data.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>).
    /// The data buffer holds the tensors back to back in the order given; the header lists
    /// <c>__metadata__</c> first (when there is any) and then the tensors in that order, and is
    /// padded with spaces to a multiple of 8 bytes.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensors">The tensors; names must be non-empty, unique and not <c>__metadata__</c>.</param>
    /// <param name="metadata">Optional free-form string pairs stored in the header.</param>
    /// <exception cref="ArgumentException">A tensor is null, a name is empty, repeated or reserved, or a metadata value is null.</exception>
    public static void Save(string path, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        List<SafeTensor> list = Checked(tensors, metadata);
        AtomicFile.Write(path, stream => SafeTensorsWriter.Write(stream, list, metadata));
    }

    /// <summary>
    /// Writes <paramref name="tensors"/> in the layout <see cref="Save"/> writes, to a stream the
    /// caller owns: for an app that writes through <see cref="AtomicFile.Write"/> with a stream of
    /// its own in between (one that counts, or one that fails part-way in a test).
    /// </summary>
    /// <param name="stream">Receives the file's bytes; it is not disposed.</param>
    /// <param name="tensors">The tensors; names must be non-empty, unique and not <c>__metadata__</c>.</param>
    /// <param name="metadata">Optional free-form string pairs stored in the header.</param>
    /// <exception cref="ArgumentException">A tensor is null, a name is empty, repeated or reserved, or a metadata value is null.</exception>
    public static void Write(Stream stream, IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SafeTensorsWriter.Write(stream, Checked(tensors, metadata), metadata);
    }

    // Everything Save and Write refuse, checked before the first byte is written.
    private static List<SafeTensor> Checked(IEnumerable<SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var list = new List<SafeTensor>(tensors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
        {
            SafeTensor tensor = list[i] ?? throw new ArgumentException($"Tensor {i} is null.", nameof(tensors));
            if (tensor.Name.Length == 0)
                throw new ArgumentException($"Tensor {i} has an empty name.", nameof(tensors));
            if (tensor.Name == MetadataKey)
                throw new ArgumentException($"Tensor {i} is named '{MetadataKey}', which the format reserves for the metadata.", nameof(tensors));
            if (!names.Add(tensor.Name))
                throw new ArgumentException($"Tensor name '{tensor.Name}' appears more than once; names must be unique.", nameof(tensors));
        }

        if (metadata is not null)
        {
            foreach (KeyValuePair<string, string> pair in metadata)
            {
                if (pair.Value is null)
                    throw new ArgumentException($"Metadata key '{pair.Key}' has a null value; the format stores only strings.", nameof(metadata));
            }
        }

        return list;
    }

    /// <summary>Loads and validates a safetensors file, reading every tensor into memory.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The tensors in header order, with the metadata.</returns>
    /// <exception cref="InvalidDataException">
    /// The file is not a valid safetensors file; the message starts with <paramref name="path"/>
    /// and says what is wrong and what was expected.
    /// </exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static SafeTensorsFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return SafeTensorsReader.Read(path);
    }
}
