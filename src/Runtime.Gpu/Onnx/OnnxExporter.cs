using System;
using System.IO;
using System.Reflection;

namespace Dsl.Onnx;

/// <summary>
/// Writes a model's forward graph as an ONNX file (opset <see cref="OnnxGraph.Opset"/>): the
/// nodes the generator wrote, and every parameter as an initializer under its <c>state_dict</c>
/// name, with the values the model holds now. A generated model's <c>ExportOnnx(path)</c> calls it.
/// </summary>
/// <remarks>
/// <see cref="OnnxModelEncoder"/> encodes ONNX's messages (onnx.proto's field numbers). The whole
/// model is built in memory first and then written with <see cref="AtomicFile"/>: a reader sees the
/// previous file or the new one, never a part, and a failed write leaves nothing behind.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The IR version of opset 17's release (ONNX 1.12), which every runtime reading opset 17 reads.</summary>
    public const long IrVersion = 8;

    private static string ProducerVersion =>
        typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";

    /// <summary>Writes <paramref name="graph"/> with <paramref name="parameters"/> as initializers to <paramref name="stream"/> (a response body, a blob), from its current position.</summary>
    /// <param name="stream">A writable stream; it is left open.</param>
    /// <param name="graph">The forward graph.</param>
    /// <param name="parameters">The model's parameters.</param>
    public static void Export(Stream stream, OnnxGraph graph, ParameterStore parameters)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(parameters);
        stream.Write(OnnxModelEncoder.Model(graph, parameters, IrVersion, ProducerVersion));
    }

    /// <summary>Writes <paramref name="graph"/> with <paramref name="parameters"/> as initializers to <paramref name="path"/>.</summary>
    /// <param name="path">The file to create or replace; missing directories are created.</param>
    /// <param name="graph">The forward graph.</param>
    /// <param name="parameters">The model's parameters.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    /// <exception cref="IOException">The file cannot be written there (the message names the path); nothing is left at <paramref name="path"/> or beside it.</exception>
    public static void Export(string path, OnnxGraph graph, ParameterStore parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(parameters);
        byte[] bytes = OnnxModelEncoder.Model(graph, parameters, IrVersion, ProducerVersion);
        try
        {
            AtomicFile.Write(path, stream => stream.Write(bytes));
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // AtomicFile's own message names its temporary file; the caller knows the path it asked for.
            throw new IOException($"Cannot write the ONNX model to '{Path.GetFullPath(path)}': {e.Message}", e);
        }
    }
}
