using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Dsl.Onnx;

/// <summary>
/// Encodes an exported model as ONNX's <c>ModelProto</c>, field by field with Google.Protobuf's
/// <see cref="CodedOutputStream"/> (as the TensorBoard logger encodes its events), instead of code
/// generated from <c>onnx.proto</c>: the export writes twenty-odd fields of eleven messages, and
/// generating them would need protoc at build time.
/// </summary>
/// <remarks>
/// Field numbers are those of onnx/onnx.proto (IR version 8). Each nested message is encoded into
/// its own array first and then written length-delimited into its parent, fields in number order,
/// defaults left out, so any protobuf reader (ONNX Runtime, the onnx Python package) parses it.
/// </remarks>
internal static class OnnxModelEncoder
{
    // ModelProto
    private const int ModelIrVersion = 1;
    private const int ModelProducerName = 2;
    private const int ModelProducerVersion = 3;
    private const int ModelGraph = 7;
    private const int ModelOpsetImport = 8;
    // OperatorSetIdProto
    private const int OpsetVersion = 2;
    // GraphProto
    private const int GraphNode = 1;
    private const int GraphName = 2;
    private const int GraphInitializer = 5;
    private const int GraphInput = 11;
    private const int GraphOutput = 12;
    // NodeProto
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeName = 3;
    private const int NodeOpType = 4;
    private const int NodeAttribute = 5;
    // AttributeProto
    private const int AttributeName = 1;
    private const int AttributeF = 2;
    private const int AttributeI = 3;
    private const int AttributeT = 5;
    private const int AttributeInts = 8;
    private const int AttributeType = 20;
    // AttributeProto.AttributeType
    private const int TypeFloat = 1;
    private const int TypeInt = 2;
    private const int TypeTensor = 4;
    private const int TypeInts = 7;
    // TensorProto
    private const int TensorDims = 1;
    private const int TensorDataType = 2;
    private const int TensorFloatData = 4;
    private const int TensorInt64Data = 7;
    private const int TensorName = 8;
    private const int TensorRawData = 9;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    private const int ValueInfoName = 1;
    private const int ValueInfoType = 2;
    private const int TypeTensorType = 1;
    private const int TensorTypeElemType = 1;
    private const int TensorTypeShape = 2;
    private const int ShapeDim = 1;
    private const int DimValue = 1;
    private const int DimParam = 2;

    /// <summary>The encoded <c>ModelProto</c>.</summary>
    /// <param name="graph">The forward graph.</param>
    /// <param name="parameters">The parameters, each an initializer named as in the state_dict, with its current values.</param>
    /// <param name="irVersion">The model's IR version.</param>
    /// <param name="producerVersion">The producer's version string.</param>
    /// <returns>The bytes of the .onnx file.</returns>
    public static byte[] Model(OnnxGraph graph, ParameterStore parameters, long irVersion, string producerVersion) =>
        Message(m =>
        {
            m.Int64(ModelIrVersion, irVersion);
            m.String(ModelProducerName, "Dsl");
            m.String(ModelProducerVersion, producerVersion);
            m.Message(ModelGraph, Graph(graph, parameters));
            // The default domain ("", left out) at the graph's opset.
            m.Message(ModelOpsetImport, Message(opset => opset.Int64(OpsetVersion, OnnxGraph.Opset)));
        });

    private static byte[] Graph(OnnxGraph graph, ParameterStore parameters) =>
        Message(m =>
        {
            foreach (OnnxNode node in graph.Nodes)
                m.Message(GraphNode, Node(node));
            m.String(GraphName, graph.Name);
            ReadOnlySpan<float> values = parameters.Values;
            foreach (ParameterInfo parameter in parameters.Parameters)
                m.Message(GraphInitializer, Initializer(parameter, values.Slice(parameter.Offset, parameter.Length)));
            foreach (OnnxValue input in graph.Inputs)
                m.Message(GraphInput, ValueInfo(input));
            foreach (OnnxValue output in graph.Outputs)
                m.Message(GraphOutput, ValueInfo(output));
        });

    private static byte[] Node(OnnxNode node) =>
        Message(m =>
        {
            foreach (string input in node.Inputs)
                m.String(NodeInput, input, evenIfEmpty: true); // "" marks an optional input left out
            m.String(NodeOutput, node.Output);
            m.String(NodeName, node.Output);
            m.String(NodeOpType, node.OpType);
            foreach (OnnxAttribute attribute in node.Attributes)
                m.Message(NodeAttribute, Attribute(attribute));
        });

    private static byte[] Attribute(OnnxAttribute attribute) =>
        Message(m =>
        {
            m.String(AttributeName, attribute.Name);
            switch (attribute.Kind)
            {
                case OnnxAttributeKind.Float:
                    m.Float(AttributeF, attribute.FloatValue);
                    m.Int64(AttributeType, TypeFloat);
                    break;
                case OnnxAttributeKind.Int:
                    m.Int64(AttributeI, attribute.IntValue, evenIfZero: true); // proto2 readers ask has_i()
                    m.Int64(AttributeType, TypeInt);
                    break;
                case OnnxAttributeKind.Ints:
                    m.PackedInt64s(AttributeInts, attribute.IntValues);
                    m.Int64(AttributeType, TypeInts);
                    break;
                case OnnxAttributeKind.Tensor:
                    m.Message(AttributeT, Tensor(attribute.TensorValue!));
                    m.Int64(AttributeType, TypeTensor);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(attribute), attribute.Kind, "not an attribute kind the export writes");
            }
        });

    private static byte[] Tensor(OnnxTensor tensor) =>
        Message(m =>
        {
            m.PackedInt64s(TensorDims, tensor.Dimensions);
            m.Int64(TensorDataType, (long)tensor.Type);
            if (tensor.Type == OnnxElementType.Float)
                m.PackedFloats(TensorFloatData, tensor.FloatValues);
            else
                m.PackedInt64s(TensorInt64Data, tensor.Int64Values);
        });

    private static byte[] Initializer(ParameterInfo parameter, ReadOnlySpan<float> values)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("The ONNX export writes raw_data in the machine's byte order, which must be little-endian as ONNX's.");
        var dims = new long[parameter.Shape.Length];
        for (int i = 0; i < dims.Length; i++)
            dims[i] = parameter.Shape[i];
        byte[] raw = MemoryMarshal.AsBytes(values).ToArray();
        return Message(m =>
        {
            m.PackedInt64s(TensorDims, dims);
            m.Int64(TensorDataType, (long)OnnxElementType.Float);
            m.String(TensorName, parameter.Name);
            m.Bytes(TensorRawData, raw);
        });
    }

    /// <summary>A graph input or output: its element type and shape, the dynamic <c>batch</c> axis first.</summary>
    private static byte[] ValueInfo(OnnxValue value)
    {
        byte[] shape = Message(s =>
        {
            s.Message(ShapeDim, Message(d => d.String(DimParam, OnnxValue.BatchAxis)));
            foreach (int dimension in value.Shape)
                s.Message(ShapeDim, Message(d => d.Int64(DimValue, dimension, evenIfZero: true)));
        });
        byte[] tensorType = Message(t =>
        {
            t.Int64(TensorTypeElemType, (long)value.Type);
            t.Message(TensorTypeShape, shape);
        });
        return Message(m =>
        {
            m.String(ValueInfoName, value.Name);
            m.Message(ValueInfoType, Message(type => type.Message(TypeTensorType, tensorType)));
        });
    }

    private static byte[] Message(Action<MessageWriter> write)
    {
        using var stream = new MemoryStream();
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
            write(new MessageWriter(output));
        return stream.ToArray();
    }

    /// <summary>Writes the fields of one message; scalars equal to their default are left out unless asked, as proto3 does.</summary>
    private readonly struct MessageWriter
    {
        private readonly CodedOutputStream _output;

        public MessageWriter(CodedOutputStream output) => _output = output;

        public void Int64(int field, long value, bool evenIfZero = false)
        {
            if (value == 0 && !evenIfZero)
                return;
            _output.WriteTag(field, WireFormat.WireType.Varint);
            _output.WriteInt64(value);
        }

        public void Float(int field, float value)
        {
            _output.WriteTag(field, WireFormat.WireType.Fixed32);
            _output.WriteFloat(value);
        }

        public void String(int field, string value, bool evenIfEmpty = false)
        {
            if (value.Length == 0 && !evenIfEmpty)
                return;
            _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _output.WriteString(value);
        }

        public void Bytes(int field, byte[] value)
        {
            _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _output.WriteBytes(ByteString.CopyFrom(value));
        }

        public void Message(int field, byte[] encoded) => Bytes(field, encoded);

        public void PackedInt64s(int field, IReadOnlyList<long> values)
        {
            if (values.Count == 0)
                return;
            int size = 0;
            foreach (long value in values)
                size += CodedOutputStream.ComputeInt64Size(value);
            _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _output.WriteLength(size);
            foreach (long value in values)
                _output.WriteInt64(value);
        }

        public void PackedFloats(int field, IReadOnlyList<float> values)
        {
            if (values.Count == 0)
                return;
            _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _output.WriteLength(values.Count * sizeof(float));
            foreach (float value in values)
                _output.WriteFloat(value);
        }
    }
}
