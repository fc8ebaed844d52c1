using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Pipeline;

namespace Dsl.Generator.Emit.CSharp;

// The steps of an entry point: each IR op that is not fused into a loop becomes one call of a
// runtime primitive, preceded by the IR it computes and the user's line it came from.
internal static partial class CpuProgramEmitter
{
    /// <summary>Writes an entry's steps; <paramref name="writeUpdate"/> writes its parameter updates (a training step in parts).</summary>
    private static void WriteSteps(SourceWriter w, CompiledEntry entry, LoopTable loops, Action<UpdateStep>? writeUpdate = null,
        IReadOnlyDictionary<int, List<(int Bucket, string Parameter)>>? handOver = null)
    {
        Graph graph = entry.Graph;
        int index = -1;
        StepComments.WriteSteps(w, entry, step =>
        {
            index++;
            switch (step)
            {
                case ElementwiseStep e when loops.Calls(entry).IsEpilogue(e):
                    break; // written with its GEMM
                case ElementwiseStep e:
                    foreach (int id in e.Chain) w.Comment(Describe(graph[id]));
                    StepComments.WriteMapped(w, graph[e.Root], graph[e.Root].Batched
                        ? $"{TypeNames.CpuParallel}.For(batch, {Literals.Int(Grain(graph[e.Root]))}, {loops.Field(entry, e)});"
                        : $"{loops.Name(entry, e)}(0, 1);");
                    break;
                case CallStep c when loops.Calls(entry).For(c)[0].Epilogue is { } epilogue:
                    w.Comment(Describe(graph[c.Node]));
                    w.Line(graph[c.Node].Op == OpKind.Convolution
                        ? "// and in the convolution's epilogue, example by example:"
                        : "// and in the GEMM's epilogue, block by block:");
                    foreach (int id in epilogue.Chain) w.Comment(Describe(graph[id]));
                    StepComments.WriteMapped(w, graph[c.Node], Calls(entry, c, loops, loops.Field(entry, epilogue)));
                    break;
                case CallStep c:
                    w.Comment(Describe(graph[c.Node]));
                    StepComments.WriteMapped(w, graph[c.Node], Calls(entry, c, loops));
                    break;
                case CopyStep c:
                    w.Line($"// gradient of {c.Parameter} = %{c.Node}");
                    w.Line(ReadValue(entry, c.Node, $"_gradients.AsSpan({c.Destination.Offset}, {graph[c.Node].Shape.Size})"));
                    break;
                case UpdateStep u:
                    writeUpdate!(u);
                    break;
            }

            // A training step hands the hook each bucket as soon as its gradients are final, so that
            // its all-reduce overlaps the rest of the backward pass (a no-op in ValueAndGrad).
            if (handOver is not null && handOver.TryGetValue(index, out List<(int Bucket, string Parameter)>? final))
            {
                foreach (var (bucket, parameter) in final)
                    w.Line($"GradientFinal({Literals.Int(bucket)}, _gradients); // {parameter}");
            }
        });
    }

    /// <summary>Rows per chunk when a loop is split over the cores: about 16K floats of work each.</summary>
    private static int Grain(Node root) => Math.Max(1, 16384 / Math.Max(1, root.Shape.Size));

    private static string Describe(Node node) => StepComments.Describe(node);

    /// <summary>The statements of a step's kernel calls (a concat's block copies on one line).</summary>
    /// <param name="epilogue">The delegate field of the loop a GEMM runs as its epilogue, if any.</param>
    private static string Calls(CompiledEntry entry, CallStep step, LoopTable loops, string? epilogue = null)
    {
        IReadOnlyList<KernelCall> calls = loops.Calls(entry).For(step);
        return calls.Count == 1 ? Render(entry, calls[0], epilogue) : string.Join(" ", calls.Select(call => Render(entry, call, epilogue)));
    }

    /// <summary>A planned call as a call of the runtime's static span kernel (<c>Gemm.Multiply</c>, <c>Rows.Softmax</c>, ...).</summary>
    private static string Render(CompiledEntry entry, KernelCall call, string? epilogue)
    {
        string Size(int i) => Rendered(call.Sizes[i]);
        string Sizes(int from, int count) => string.Join(", ", Enumerable.Range(from, count).Select(Size));
        string In(int i) => SpanOf(entry, call.Operands[i]);
        string Out = SpanOf(entry, call.Node);
        // The row kernels' (rows, cols); a function, since not every kernel has two sizes.
        string RowsCols() => Sizes(0, 2);
        switch (call.Kernel)
        {
            case KernelId.Gemm:
                string epilogueArgument = epilogue is null ? "" : ", epilogue: " + epilogue;
                return $"{TypeNames.Gemm}.Multiply({Bool(call.TransposeA)}, {Bool(call.TransposeB)}, {Sizes(0, 3)}, {In(0)}, {In(1)}, {Out}{epilogueArgument});";
            case KernelId.BatchedGemm:
                return $"{TypeNames.Gemm}.MultiplyBatched({Bool(call.TransposeA)}, {Bool(call.TransposeB)}, {Sizes(0, 5)}, "
                    + $"{In(0)}, {Sizes(5, 2)}, {In(1)}, {Sizes(7, 2)}, {Out});";
            case KernelId.SwapAxes:
                return $"{TypeNames.Movement}.SwapAxes({In(0)}, {Out}, {Sizes(0, 5)});";
            case KernelId.CopyBlocks when IsOneRun(call):
                // A reshape (or a copy of whole rows): the same floats in the same order.
                return $"{In(0)}.CopyTo({Out});";
            case KernelId.CopyBlocks:
                return $"{TypeNames.Movement}.CopyBlocks({In(0)}, {Out}, {Sizes(0, 7)});";
            case KernelId.CausalMask:
                return $"{TypeNames.Movement}.CausalMask({Out}, {Size(0)});";
            case KernelId.SplitHeads:
                return $"{TypeNames.Sequences}.SplitHeads({In(0)}, {Out}, {Sizes(0, 6)});";
            case KernelId.MergeHeads:
                return $"{TypeNames.Sequences}.MergeHeads({In(0)}, {Out}, {Sizes(0, 6)});";
            case KernelId.Softmax:
                return $"{TypeNames.Rows}.Softmax({In(0)}, {Out}, {RowsCols()});";
            case KernelId.LogSoftmax:
                return $"{TypeNames.Rows}.LogSoftmax({In(0)}, {Out}, {RowsCols()});";
            case KernelId.CausalSoftmax:
                return $"{TypeNames.Rows}.CausalSoftmax({In(0)}, {Out}, {RowsCols()});";
            case KernelId.SumRows:
                return $"{TypeNames.Rows}.Sum({In(0)}, {Out}, {RowsCols()});";
            case KernelId.SumColumns:
                return $"{TypeNames.Rows}.ColumnSum({In(0)}, {Out}, {RowsCols()});";
            case KernelId.ExpandLast:
                return $"{TypeNames.Sequences}.ExpandLast({In(0)}, {Out}, {RowsCols()});";
            case KernelId.Tile:
                return $"{TypeNames.Sequences}.Tile({In(0)}, {Out}, {RowsCols()});";
            case KernelId.LayerNorm:
                return $"{TypeNames.LayerNormKernels}.Normalize({In(0)}, {Out}, {RowsCols()}, {Literals.Float(call.Epsilon!.Value)});";
            case KernelId.LayerNormInverseDeviation:
                return $"{TypeNames.LayerNormKernels}.InverseDeviation({In(0)}, {Out}, {RowsCols()}, {Literals.Float(call.Epsilon!.Value)});";
            case KernelId.LayerNormBackward:
                return $"{TypeNames.LayerNormKernels}.Backward({In(0)}, {In(1)}, {In(2)}, {Out}, {RowsCols()});";
            case KernelId.Gather:
                return $"{TypeNames.Sequences}.Gather({In(0)}, {In(1)}, {Out}, {Sizes(0, 3)});";
            case KernelId.ScatterAdd:
                return $"{TypeNames.Sequences}.ScatterAdd({In(0)}, {In(1)}, {Out}, {Sizes(0, 3)});";
            case KernelId.CrossEntropy:
                return $"{TypeNames.Rows}.CrossEntropy({In(0)}, {In(1)}, {Out}, {RowsCols()});";
            case KernelId.CrossEntropyBackward:
                return $"{TypeNames.Rows}.CrossEntropyBackward({In(0)}, {In(1)}, {RowWeight(entry, call.Weight!)}, {Out}, {RowsCols()});";
            case KernelId.Accuracy:
                return $"{TypeNames.Rows}.Accuracy({In(0)}, {In(1)}, {Out}, {RowsCols()});";
            case KernelId.OneHot:
                return $"{TypeNames.Rows}.OneHot({In(0)}, {Out}, {RowsCols()});";
            case KernelId.ArgMax:
                return $"{TypeNames.Rows}.ArgMax({In(0)}, {Out}, {RowsCols()});";
            case KernelId.ArgMaxMask:
                return $"{TypeNames.Rows}.ArgMaxMask({In(0)}, {Out}, {RowsCols()});";
            case KernelId.GatherLast:
                return $"{TypeNames.Rows}.GatherLast({In(0)}, {In(1)}, {Out}, {Sizes(0, 3)});";
            case KernelId.ScatterLast:
                return $"{TypeNames.Rows}.ScatterLast({In(0)}, {In(1)}, {Out}, {Sizes(0, 3)});";
            case KernelId.Im2Col:
                return $"{TypeNames.Convolution}.Im2Col({In(0)}, {Out}, {Sizes(0, 12)});";
            case KernelId.Col2Im:
                return $"{TypeNames.Convolution}.Col2Im({In(0)}, {Out}, {Sizes(0, 12)});";
            case KernelId.ConvolutionForward:
                return $"{TypeNames.Convolution}.Forward({In(0)}, {In(1)}, {Out}, {Sizes(0, 13)}{(epilogue is null ? "" : ", epilogue: " + epilogue)});";
            case KernelId.ConvolutionInputGrad:
                return $"{TypeNames.Convolution}.InputGradient({In(0)}, {In(1)}, {Out}, {Sizes(0, 13)});";
            case KernelId.ConvolutionWeightGrad:
                return $"{TypeNames.Convolution}.WeightGradient({In(0)}, {In(1)}, {Out}, {Sizes(0, 13)});";
            case KernelId.BatchCountScale:
                return $"{TypeNames.BatchNormKernels}.ScaleByCount({In(0)}, {Out}, {Sizes(1, 3)}, {Literals.String(entry.Graph[call.Node].Name!)});";
            case KernelId.MaxPool:
                return $"{TypeNames.Pooling}.MaxPool({In(0)}, {In(1)}, {Out}, {Sizes(0, 12)});";
            case KernelId.MaxPoolBackward:
                return $"{TypeNames.Pooling}.MaxPoolBackward({In(0)}, {In(1)}, {Out}, {Sizes(0, 12)});";
            case KernelId.AvgPool:
                return $"{TypeNames.Pooling}.AvgPool({In(0)}, {Out}, {Sizes(0, 12)});";
            case KernelId.AvgPoolBackward:
                return $"{TypeNames.Pooling}.AvgPoolBackward({In(0)}, {Out}, {Sizes(0, 12)});";
            case KernelId.AdaptiveMaxPool:
                return $"{TypeNames.Pooling}.AdaptiveMaxPool({In(0)}, {In(1)}, {Out}, {Sizes(0, 6)});";
            case KernelId.AdaptiveMaxPoolBackward:
                return $"{TypeNames.Pooling}.AdaptiveMaxPoolBackward({In(0)}, {In(1)}, {Out}, {Sizes(0, 6)});";
            case KernelId.AdaptiveAvgPool:
                return $"{TypeNames.Pooling}.AdaptiveAvgPool({In(0)}, {Out}, {Sizes(0, 6)});";
            case KernelId.AdaptiveAvgPoolBackward:
                return $"{TypeNames.Pooling}.AdaptiveAvgPoolBackward({In(0)}, {Out}, {Sizes(0, 6)});";
            case KernelId.Attention:
                return $"{TypeNames.Attention}.Forward({In(0)}, {Out}, {Sizes(0, 4)}, {AttentionArguments(entry.Graph[call.Node])});";
            case KernelId.AttentionBackward:
                return $"{TypeNames.Attention}.Backward({In(0)}, {In(1)}, {Out}, {Sizes(0, 4)}, {AttentionArguments(entry.Graph[call.Node])});";
            default:
                throw new ArgumentOutOfRangeException(nameof(call), call.Kernel, "no CPU kernel for this call");
        }
    }

    /// <summary>
    /// A fused attention call's arguments after its sizes: the causal flag, q's scale 1/√dh (the
    /// float the unfused path multiplies q by), and its weights' dropout (seed, site, step, p).
    /// </summary>
    internal static string AttentionArguments(Node node)
    {
        int heads = node.Attributes[0], width = node.Op == OpKind.Attention ? node.Shape.Last : node.Shape.Last / 3;
        string causal = node.Attributes[1] != 0 ? "true" : "false";
        return $"{causal}, {Literals.Float(1 / Math.Sqrt(width / heads))}, DropoutKey, {node.Name}u, DropoutStep, {Literals.Float(node.Constant)}";
    }

    /// <summary>
    /// Whether a block copy moves one contiguous run (whole rows, from and to offset 0), which a
    /// span copy does: a reshape.
    /// </summary>
    private static bool IsOneRun(KernelCall copy)
    {
        EquatableArray<KernelSize> s = copy.Sizes;
        return s[0] == s[1] && s[3] == s[2] && s[4].Count == 0 && s[5] == s[2] && s[6].Count == 0;
    }

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A size as a C# expression of the entry's <c>batch</c>.</summary>
    private static string Rendered(KernelSize size) => size.Render();

    /// <summary>cross_entropy_grad's weight: <c>_seed</c> or a literal for one shared by every row, else the span of one per row.</summary>
    private static string RowWeight(CompiledEntry entry, RowWeight weight) => weight.Kind switch
    {
        RowWeightKind.Seed => "_seed",
        RowWeightKind.Constant => Literals.Float(weight.Value),
        _ => SpanOf(entry, weight.Node),
    };

    /// <summary>The span of a materialised value: <c>_slot2.AsSpan(0, batch * 16)</c>.</summary>
    private static string SpanOf(CompiledEntry entry, int id)
    {
        Node node = entry.Graph[id];
        Storage storage = entry.Plan.Storage[id];
        string length = Rendered(KernelSize.Of(node.Shape.Size, node.Batched));
        if (storage.Kind == StorageKind.Input && ReadsInPlace(entry, node.Name!))
            return $"{node.Name}.Slice({Literals.Int(storage.Offset)}, {length})";
        return $"{storage.Field}.AsSpan({Literals.Int(storage.Offset)}, {length})";
    }

    /// <summary>A statement that writes a value into <paramref name="destination"/> (a span expression).</summary>
    private static string ReadValue(CompiledEntry entry, int id, string destination)
    {
        Node node = entry.Graph[id];
        return node.Op switch
        {
            OpKind.Constant => $"{destination}.Fill({Literals.Float(node.Constant)});",
            OpKind.LossSeed => $"{destination}.Fill(_seed);",
            _ when node.Batched || node.Shape.Size > 1 => $"{SpanOf(entry, id)}.CopyTo({destination});",
            _ => $"{destination}.Fill({SpanOf(entry, id)}[0]);",
        };
    }

    /// <summary>The batch mean of a per-example scalar, as an expression.</summary>
    private static string MeanOf(CompiledEntry entry, int id)
    {
        Node node = entry.Graph[id];
        return node.Op switch
        {
            OpKind.Constant => Literals.Float(node.Constant),
            OpKind.LossSeed => "_seed",
            _ when node.Batched => $"{TypeNames.Rows}.Mean({SpanOf(entry, id)})",
            _ => $"{SpanOf(entry, id)}[0]",
        };
    }
}
