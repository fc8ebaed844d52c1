using System.Collections.Generic;
using System.Linq;
using Google.Protobuf;

namespace Dsl.EndToEnd.Tests.Onnx;

/// <summary>Reads back what ONNX Runtime's API does not show of an .onnx file, with a protobuf reader of its own (not the exporter's encoder).</summary>
internal static class OnnxFile
{
    private const int ModelGraph = 7, GraphNode = 1, NodeInput = 1, NodeOutput = 2, NodeOpType = 4, NodeAttribute = 5, AttributeName = 1, AttributeFloat = 2, GraphInitializer = 5, TensorName = 8;

    /// <summary>The operators of the graph's nodes (ModelProto.graph.node[].op_type), in order.</summary>
    public static List<string> OpTypes(byte[] model)
    {
        var types = new List<string>();
        foreach (ByteString graph in Fields(ByteString.CopyFrom(model), ModelGraph))
            foreach (ByteString node in Fields(graph, GraphNode))
                foreach (ByteString type in Fields(node, NodeOpType))
                    types.Add(type.ToStringUtf8());
        return types;
    }

    /// <summary>The graph's nodes (op_type, the names of their inputs and of their output, ModelProto.graph.node[]), in order.</summary>
    public static List<(string OpType, List<string> Inputs, string Output)> Nodes(byte[] model)
    {
        var nodes = new List<(string, List<string>, string)>();
        foreach (ByteString graph in Fields(ByteString.CopyFrom(model), ModelGraph))
            foreach (ByteString node in Fields(graph, GraphNode))
                nodes.Add((Fields(node, NodeOpType)[0].ToStringUtf8(), Fields(node, NodeInput).Select(i => i.ToStringUtf8()).ToList(), Fields(node, NodeOutput)[0].ToStringUtf8()));
        return nodes;
    }

    /// <summary>The float attribute <paramref name="name"/> (AttributeProto.f) of each node of <paramref name="opType"/>, in order.</summary>
    public static List<double> FloatAttributes(byte[] model, string opType, string name)
    {
        var values = new List<double>();
        foreach (ByteString graph in Fields(ByteString.CopyFrom(model), ModelGraph))
            foreach (ByteString node in Fields(graph, GraphNode))
            {
                if (Fields(node, NodeOpType)[0].ToStringUtf8() != opType)
                    continue;
                foreach (ByteString attribute in Fields(node, NodeAttribute))
                {
                    if (Fields(attribute, AttributeName)[0].ToStringUtf8() != name)
                        continue;
                    var input = new CodedInputStream(attribute.ToByteArray());
                    for (uint tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
                    {
                        if (WireFormat.GetTagFieldNumber(tag) == AttributeFloat && WireFormat.GetTagWireType(tag) == WireFormat.WireType.Fixed32)
                            values.Add(input.ReadFloat());
                        else
                            input.SkipLastField();
                    }
                }
            }
        return values;
    }

    /// <summary>The names of the graph's initializers (ModelProto.graph.initializer[].name).</summary>
    public static List<string> InitializerNames(byte[] model)
    {
        var names = new List<string>();
        foreach (ByteString graph in Fields(ByteString.CopyFrom(model), ModelGraph))
            foreach (ByteString initializer in Fields(graph, GraphInitializer))
                foreach (ByteString name in Fields(initializer, TensorName))
                    names.Add(name.ToStringUtf8());
        return names;
    }

    /// <summary>The length-delimited fields numbered <paramref name="field"/> of a message; other fields are skipped.</summary>
    private static List<ByteString> Fields(ByteString message, int field)
    {
        var found = new List<ByteString>();
        var input = new CodedInputStream(message.ToByteArray());
        for (uint tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                found.Add(input.ReadBytes());
            else
                input.SkipLastField();
        }
        return found;
    }
}
