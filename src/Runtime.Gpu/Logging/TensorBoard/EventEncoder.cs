using System;
using System.Collections.Generic;
using System.Text;
using Google.Protobuf;

namespace Dsl.Logging.TensorBoard;

/// <summary>
/// Encodes the few TensorFlow <c>Event</c> messages the TensorBoard logger writes, field by field
/// with Google.Protobuf's <see cref="CodedOutputStream"/>, instead of code generated from
/// <c>event.proto</c>/<c>summary.proto</c>: the subset is nine fields, and generating it would
/// need protoc at build time.
/// </summary>
/// <remarks>
/// Field numbers are those of tensorflow/core/util/event.proto, summary.proto and tensor.proto.
/// Each message is sized first, so the output is one exactly-sized array, in the canonical
/// encoding (fields in number order, defaults left out).
/// </remarks>
internal static class EventEncoder
{
    /// <summary>The <c>file_version</c> TensorBoard expects in an event file's first record.</summary>
    public const string FileVersion = "brain.Event:2";

    // Event
    private const int EventWallTime = 1;    // double
    private const int EventStep = 2;        // int64
    private const int EventFileVersion = 3; // string
    private const int EventSummary = 5;     // Summary
    // Summary
    private const int SummaryValue = 1;     // repeated Summary.Value
    // Summary.Value
    private const int ValueTag = 1;         // string
    private const int ValueSimpleValue = 2; // float
    private const int ValueTensor = 8;      // TensorProto
    private const int ValueMetadata = 9;    // SummaryMetadata
    // SummaryMetadata / PluginData
    private const int MetadataPluginData = 1;
    private const int PluginDataPluginName = 1;
    // TensorProto / TensorShapeProto
    private const int TensorDtype = 1;
    private const int TensorShape = 2;
    private const int TensorStringVal = 8;
    private const int DtString = 7;         // DataType.DT_STRING
    private const string TextPlugin = "text";

    /// <summary>The first record of every event file: the wall time and <see cref="FileVersion"/>.</summary>
    /// <param name="wallTime">Seconds since the Unix epoch.</param>
    /// <returns>The encoded Event.</returns>
    public static byte[] FileVersionEvent(double wallTime)
    {
        int size = WallTimeSize + CodedOutputStream.ComputeTagSize(EventFileVersion) + CodedOutputStream.ComputeStringSize(FileVersion);
        var buffer = new byte[size];
        var output = new CodedOutputStream(buffer);
        WriteWallTime(output, wallTime);
        output.WriteTag(EventFileVersion, WireFormat.WireType.LengthDelimited);
        output.WriteString(FileVersion);
        output.CheckNoSpaceLeft();
        return buffer;
    }

    /// <summary>An Event whose Summary holds one <c>simple_value</c> per scalar.</summary>
    /// <param name="wallTime">Seconds since the Unix epoch.</param>
    /// <param name="step">The global step.</param>
    /// <param name="scalars">Tags and values, in the order they go into the summary.</param>
    /// <returns>The encoded Event.</returns>
    public static byte[] ScalarsEvent(double wallTime, long step, IReadOnlyList<KeyValuePair<string, float>> scalars)
    {
        int summarySize = 0;
        foreach (KeyValuePair<string, float> scalar in scalars)
            summarySize += Delimited(SummaryValue, ScalarValueSize(scalar.Key));

        var buffer = new byte[EventHeaderSize(step) + Delimited(EventSummary, summarySize)];
        var output = new CodedOutputStream(buffer);
        WriteEventHeader(output, wallTime, step);
        StartDelimited(output, EventSummary, summarySize);
        foreach (KeyValuePair<string, float> scalar in scalars)
        {
            StartDelimited(output, SummaryValue, ScalarValueSize(scalar.Key));
            output.WriteTag(ValueTag, WireFormat.WireType.LengthDelimited);
            output.WriteString(scalar.Key);
            output.WriteTag(ValueSimpleValue, WireFormat.WireType.Fixed32);
            output.WriteFloat(scalar.Value);
        }

        output.CheckNoSpaceLeft();
        return buffer;
    }

    /// <summary>
    /// An Event with one text summary (a scalar DT_STRING tensor tagged for TensorBoard's text
    /// plugin), which TensorBoard's Text tab renders as Markdown.
    /// </summary>
    /// <param name="wallTime">Seconds since the Unix epoch.</param>
    /// <param name="step">The global step.</param>
    /// <param name="tag">The summary's tag.</param>
    /// <param name="markdown">The text.</param>
    /// <returns>The encoded Event.</returns>
    public static byte[] TextEvent(double wallTime, long step, string tag, string markdown)
    {
        ByteString text = ByteString.CopyFrom(Encoding.UTF8.GetBytes(markdown));
        int pluginDataSize = CodedOutputStream.ComputeTagSize(PluginDataPluginName) + CodedOutputStream.ComputeStringSize(TextPlugin);
        int metadataSize = Delimited(MetadataPluginData, pluginDataSize);
        int tensorSize = CodedOutputStream.ComputeTagSize(TensorDtype) + CodedOutputStream.ComputeInt32Size(DtString)
            + Delimited(TensorShape, 0) // an empty shape: a scalar
            + CodedOutputStream.ComputeTagSize(TensorStringVal) + CodedOutputStream.ComputeBytesSize(text);
        int valueSize = CodedOutputStream.ComputeTagSize(ValueTag) + CodedOutputStream.ComputeStringSize(tag)
            + Delimited(ValueMetadata, metadataSize) + Delimited(ValueTensor, tensorSize);
        int summarySize = Delimited(SummaryValue, valueSize);

        var buffer = new byte[EventHeaderSize(step) + Delimited(EventSummary, summarySize)];
        var output = new CodedOutputStream(buffer);
        WriteEventHeader(output, wallTime, step);
        StartDelimited(output, EventSummary, summarySize);
        StartDelimited(output, SummaryValue, valueSize);
        output.WriteTag(ValueTag, WireFormat.WireType.LengthDelimited);
        output.WriteString(tag);
        StartDelimited(output, ValueTensor, tensorSize);
        output.WriteTag(TensorDtype, WireFormat.WireType.Varint);
        output.WriteInt32(DtString);
        StartDelimited(output, TensorShape, 0);
        output.WriteTag(TensorStringVal, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(text);
        StartDelimited(output, ValueMetadata, metadataSize);
        StartDelimited(output, MetadataPluginData, pluginDataSize);
        output.WriteTag(PluginDataPluginName, WireFormat.WireType.LengthDelimited);
        output.WriteString(TextPlugin);
        output.CheckNoSpaceLeft();
        return buffer;
    }

    private static int WallTimeSize => CodedOutputStream.ComputeTagSize(EventWallTime) + sizeof(double);

    private static int ScalarValueSize(string tag) =>
        CodedOutputStream.ComputeTagSize(ValueTag) + CodedOutputStream.ComputeStringSize(tag)
        + CodedOutputStream.ComputeTagSize(ValueSimpleValue) + sizeof(float);

    // Step 0 is left out, as proto3 leaves out every default, so the bytes are exactly what
    // TensorFlow's and PyTorch's writers (and any protobuf library) produce for the same Event.
    private static int EventHeaderSize(long step) =>
        WallTimeSize + (step == 0 ? 0 : CodedOutputStream.ComputeTagSize(EventStep) + CodedOutputStream.ComputeInt64Size(step));

    private static void WriteEventHeader(CodedOutputStream output, double wallTime, long step)
    {
        WriteWallTime(output, wallTime);
        if (step != 0)
        {
            output.WriteTag(EventStep, WireFormat.WireType.Varint);
            output.WriteInt64(step);
        }
    }

    private static void WriteWallTime(CodedOutputStream output, double wallTime)
    {
        output.WriteTag(EventWallTime, WireFormat.WireType.Fixed64);
        output.WriteDouble(wallTime);
    }

    private static int Delimited(int field, int size) =>
        CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(size) + size;

    private static void StartDelimited(CodedOutputStream output, int field, int size)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteLength(size);
    }
}
