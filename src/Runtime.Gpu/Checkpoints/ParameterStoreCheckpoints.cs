using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Dsl.Checkpoints;

namespace Dsl;

/// <summary>
/// Saves and loads a <see cref="ParameterStore"/> as a safetensors file with one F32 tensor per
/// parameter, named and shaped as PyTorch's <c>state_dict</c>, so the file loads into the same
/// model in PyTorch (<c>safetensors.torch.load_file</c>) and back.
/// </summary>
public static class ParameterStoreCheckpoints
{
    private const int MaxNamesListed = 10;

    /// <summary>Writes every parameter to <paramref name="path"/> atomically, with metadata <c>"format": "pt"</c> added.</summary>
    /// <param name="parameters">The model's parameters.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="metadata">Extra string pairs for the header; a <c>"format"</c> given here wins over <c>"pt"</c>.</param>
    public static void SaveSafeTensors(this ParameterStore parameters, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        // transformers' loaders look for "format": "pt" to know the file holds PyTorch tensors.
        var merged = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt" };
        if (metadata is not null)
        {
            foreach (KeyValuePair<string, string> pair in metadata)
                merged[pair.Key] = pair.Value;
        }

        SafeTensors.Save(path, parameters.ToSafeTensors(), merged);
    }

    /// <summary>Copies every parameter into an F32 tensor named <paramref name="prefix"/> + its name, for composing larger files.</summary>
    /// <param name="parameters">The model's parameters.</param>
    /// <param name="prefix">Prepended to each name (e.g. <c>"model."</c>).</param>
    /// <returns>The tensors in declaration order; they do not share memory with the store.</returns>
    public static IReadOnlyList<SafeTensor> ToSafeTensors(this ParameterStore parameters, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(prefix);
        var tensors = new SafeTensor[parameters.Parameters.Count];
        for (int i = 0; i < tensors.Length; i++)
        {
            ParameterInfo info = parameters.Parameters[i];
            ReadOnlySpan<float> values = parameters.Values.Slice(info.Offset, info.Length);
            tensors[i] = info.Role == ParameterRole.CountBuffer
                ? SafeTensor.FromInt64s(prefix + info.Name, info.Shape, Counts(values)) // PyTorch's num_batches_tracked is int64
                : SafeTensor.FromFloats(prefix + info.Name, info.Shape, values);
        }

        return tensors;
    }

    private static long[] Counts(ReadOnlySpan<float> values)
    {
        var counts = new long[values.Length];
        for (int i = 0; i < counts.Length; i++)
            counts[i] = (long)values[i];
        return counts;
    }

    /// <summary>
    /// Loads a file written by <see cref="SaveSafeTensors"/>, by PyTorch, or a Trainer checkpoint (whose
    /// optimizer-state tensors, named with a '/', are skipped) into the parameters; see <see cref="LoadFrom"/>.
    /// </summary>
    /// <param name="parameters">The model's parameters, overwritten only if the whole file matches.</param>
    /// <param name="path">The safetensors file.</param>
    /// <exception cref="InvalidDataException">The file is invalid or does not match the model; the parameters are unchanged.</exception>
    public static void LoadSafeTensors(this ParameterStore parameters, string path)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        // A Trainer checkpoint also holds optimizer state (names with a '/'); loading weights skips it.
        parameters.LoadFrom(SafeTensors.Load(path), ignore: TrainerCheckpoint.IsTrainerState);
    }

    /// <summary>
    /// Overwrites every parameter from the tensor named <paramref name="prefix"/> + its name. Strict
    /// and all-or-nothing: <see cref="CheckCompatible"/> checks the whole file first, so on any
    /// mismatch nothing is copied. F64, F16 and BF16 tensors are converted to float.
    /// </summary>
    /// <param name="parameters">The model's parameters, overwritten only if the whole file matches.</param>
    /// <param name="file">A loaded safetensors file.</param>
    /// <param name="prefix">The prefix of this model's tensors in the file (tensors outside it are ignored).</param>
    /// <param name="ignore">Optional: tensors it accepts are other state kept in the same file (optimizer moments, counters) and are not reported as unexpected.</param>
    /// <exception cref="InvalidDataException">A tensor is missing, has another shape or a non-float dtype, or is unexpected; the message names the file and the tensors, and the parameters are unchanged.</exception>
    public static void LoadFrom(this ParameterStore parameters, SafeTensorsFile file, string prefix = "", Func<string, bool>? ignore = null)
    {
        parameters.CheckCompatible(file, prefix, ignore);
        float[] values = parameters.Buffer; // a host write: the next device call uploads what was loaded
        foreach (ParameterInfo info in parameters.Parameters)
        {
            SafeTensor tensor = file[prefix + info.Name];
            if (info.Role == ParameterRole.CountBuffer && !SafeTensorsDTypes.IsFloatingPoint(tensor.DType))
            {
                long[] counts = tensor.ToInt64s();
                for (int i = 0; i < counts.Length; i++)
                    values[info.Offset + i] = counts[i];
            }
            else
            {
                tensor.CopyTo(values.AsSpan(info.Offset, info.Length));
            }
        }
    }

    /// <summary>
    /// Checks, without changing anything, that <see cref="LoadFrom"/> would succeed: every parameter
    /// is present as <paramref name="prefix"/> + its name with the same shape and a floating-point
    /// dtype, and no other tensor under <paramref name="prefix"/> is left over (unless
    /// <paramref name="ignore"/> accepts it). Lets a caller restoring several things from one file
    /// check them all before overwriting any.
    /// </summary>
    /// <param name="parameters">The model's parameters.</param>
    /// <param name="file">A loaded safetensors file.</param>
    /// <param name="prefix">The prefix of this model's tensors in the file.</param>
    /// <param name="ignore">Optional: tensors it accepts are not reported as unexpected.</param>
    /// <exception cref="InvalidDataException">The file does not match; the message names the file and every problem found.</exception>
    public static void CheckCompatible(this ParameterStore parameters, SafeTensorsFile file, string prefix = "", Func<string, bool>? ignore = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(prefix);

        var problems = new List<string>();
        var missing = new List<string>();
        var expectedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (ParameterInfo info in parameters.Parameters)
        {
            string name = prefix + info.Name;
            expectedNames.Add(name);
            if (!file.TryGetValue(name, out SafeTensor? tensor))
                missing.Add(name);
            else if (!tensor.ShapeSpan.SequenceEqual(info.Shape))
                problems.Add($"tensor '{name}' has shape {SafeTensorsDTypes.FormatShape(tensor.ShapeSpan)}; the model expects {SafeTensorsDTypes.FormatShape(info.Shape)}");
            else if (!SafeTensorsDTypes.IsFloatingPoint(tensor.DType) && !(info.Role == ParameterRole.CountBuffer && IsInteger(tensor.DType)))
                problems.Add($"tensor '{name}' has dtype {tensor.DType}; a parameter needs F32, F64, F16 or BF16");
        }

        // A leftover tensor usually means a different model (or a renamed layer): loading the
        // rest would silently drop weights, so it is an error rather than a warning.
        List<string> unexpected = file.Keys
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && !expectedNames.Contains(n) && ignore?.Invoke(n) != true)
            .ToList();
        if (missing.Count > 0)
            problems.Add($"missing {Describe(missing)} that the model needs");
        if (unexpected.Count > 0)
            problems.Add($"{Describe(unexpected)} that the model does not have{(prefix.Length > 0 ? $" under prefix '{prefix}'" : "")}");
        if (problems.Count > 0)
            throw new InvalidDataException($"{file.Path}: {string.Join("; ", problems)}. Nothing was loaded.");
    }

    private static bool IsInteger(SafeTensorsDType dtype) =>
        dtype is SafeTensorsDType.I64 or SafeTensorsDType.I32 or SafeTensorsDType.I16 or SafeTensorsDType.I8 or SafeTensorsDType.U8;

    private static string Describe(List<string> names)
    {
        string listed = string.Join(", ", names.Take(MaxNamesListed).Select(n => $"'{n}'"));
        string more = names.Count > MaxNamesListed ? $" and {names.Count - MaxNamesListed} more" : "";
        return $"{names.Count} tensor{(names.Count == 1 ? "" : "s")} ({listed}{more})";
    }
}
