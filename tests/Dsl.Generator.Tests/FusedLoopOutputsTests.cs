using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Autodiff;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// Fused loops that write more than their root (<see cref="ElementwiseStep.Stored"/>) and loops
/// that read a row's value through an inlined <see cref="OpKind.ExpandLast"/>: GELU's h = x·Wᵀ + b,
/// Φ(h) and h·Φ(h) in one pass, the softmax backward's row sums never written out per element.
/// </summary>
public class FusedLoopOutputsTests
{
    private const string Source = MarkedSource.Usings + """
        [Model]
        public partial class Block
        {
            [LayerNorm] private partial Tensor Norm(Tensor x);
            [MultiHeadAttention(Heads = 2, Causal = true)] private partial Tensor Attention(Tensor x);
            [Dense(64)] private partial Tensor Up(Tensor x);
            [Dense(16)] private partial Tensor Down(Tensor x);

            [Forward]
            public Tensor Forward([Shape(8, 16)] Tensor x)
            {
                x = x + Attention(Norm(x));
                return x + Down(Gelu(Up(x)));
            }

            [TrainingStep]
            public Tensor TrainingStep(Tensor x, Tensor y) => Mse(Softmax(Forward(x)), y);

            [Optimizer]
            private static Optimizer Optimizer() => new Sgd(learningRate: 0.1f);
        }
        """;

    /// <summary>
    /// The training step keeps GELU as h·Φ(h) with h and Φ for the backward pass: one loop after the
    /// up projection computes all three and stores h and Φ, and on the CPU it is that GEMM's epilogue
    /// (Φ does not round alike in scalar and vector form, but 64 columns leave no scalar tail).
    /// </summary>
    [Fact]
    public void GelusInputAndDistributionAreStoredByTheLoopThatMultipliesThem()
    {
        EntryPlan train = TrainPlan();
        Graph graph = train.Graph;

        ElementwiseStep gelu = Assert.Single(train.Steps.OfType<ElementwiseStep>(), s => s.Chain.Any(id => graph[id].Op == OpKind.NormalCdf));

        Assert.Equal(OpKind.Multiply, graph[gelu.Root].Op);
        Assert.Equal(new[] { OpKind.Add, OpKind.NormalCdf }, gelu.Stored.Select(id => graph[id].Op));
        Assert.All(gelu.Stored, id => Assert.True(train.Storage.ContainsKey(id)));
        Assert.Equal(3, gelu.Written.Select(id => train.Storage[id].Field).Distinct().Count());
        KernelCall up = Assert.Single(KernelCallPlanner.Plan(train, BackendCapabilities.Cpu).Calls, c => c.Epilogue == gelu);
        Assert.Equal(KernelId.Gemm, up.Kernel);
    }

    /// <summary>
    /// A step never reads a value before the step that writes it: a value moved into a later loop
    /// has no reader between where it was and that loop, and its slot is not reused while it is read.
    /// </summary>
    [Fact]
    public void EveryValueIsWrittenBeforeItIsReadAndKeepsItsSlotUntilItsLastReader()
    {
        EntryPlan train = TrainPlan();
        Graph graph = train.Graph;
        var writtenAt = new Dictionary<int, int>();
        var readers = new Dictionary<int, int>();
        for (int index = 0; index < train.Steps.Count; index++)
        {
            foreach (int id in Reads(graph, train.Steps[index]))
            {
                if (!OpGroups.IsLeaf(graph[id].Op))
                    Assert.True(writtenAt.TryGetValue(id, out int at) && at < index, $"step {index} reads %{id} before it is written");
                readers[id] = index;
            }
            foreach (int id in Writes(train.Steps[index]))
                writtenAt[id] = index;
        }

        // No value is overwritten in its slot while a later step still reads it.
        foreach ((int id, int at) in writtenAt)
        {
            if (!readers.TryGetValue(id, out int last) || train.Storage[id].Kind != StorageKind.Slot) continue;
            for (int index = at + 1; index <= last; index++)
                Assert.DoesNotContain(Writes(train.Steps[index]), other => other != id && train.Storage[other].Field == train.Storage[id].Field
                    && !ReadsInPlace(graph, train.Steps[index], id, other));
        }
    }

    /// <summary>
    /// The softmax backward subtracts each row's sum in the loop that reads it: no [T, 16] array of
    /// repeated sums. (The training step's attention is one fused op with its own backward, so the
    /// softmax here is the one before the loss.)
    /// </summary>
    [Fact]
    public void TheSoftmaxBackwardReadsItsRowSumsInItsLoop()
    {
        EntryPlan train = TrainPlan();
        Graph graph = train.Graph;

        Assert.DoesNotContain(train.Steps.OfType<CallStep>(), s => graph[s.Node].Op == OpKind.ExpandLast);
        ElementwiseStep backward = Assert.Single(train.Steps.OfType<ElementwiseStep>(), s => s.Chain.Any(id => graph[id].Op == OpKind.ExpandLast));
        int expand = backward.Chain.Single(id => graph[id].Op == OpKind.ExpandLast);
        Assert.Equal(OpKind.SumLast, graph[graph[expand].Inputs[0]].Op);
        Assert.Equal(16, graph[expand].Shape.Last);
    }

    private static IEnumerable<int> Reads(Graph graph, PlanStep step) => step switch
    {
        ElementwiseStep e => e.Chain.SelectMany(id => graph[id].Inputs).Where(i => !e.Chain.Contains(i)),
        CallStep c => graph[c.Node].Inputs,
        _ => Enumerable.Empty<int>(),
    };

    private static IEnumerable<int> Writes(PlanStep step) => step switch
    {
        ElementwiseStep e => e.Written,
        CallStep c => new[] { c.Node },
        _ => Enumerable.Empty<int>(),
    };

    /// <summary>A loop's root may take the slot of an operand it reads for the last time, element for element.</summary>
    private static bool ReadsInPlace(Graph graph, PlanStep step, int operand, int written) =>
        step is ElementwiseStep e && e.Root == written && Reads(graph, e).Contains(operand);

    private static EntryPlan TrainPlan()
    {
        var diagnostics = new List<DiagnosticInfo>();
        LoweredModel lowered = ModelLowering.Lower(DiagnosticsTests.ParseSpec(Source), diagnostics)!;
        Assert.Empty(diagnostics);
        return new BufferPlanner().Plan(ReverseMode.Differentiate(lowered.Train!.Graph), new ParameterLayout(lowered.Layers));
    }
}
