using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Autodiff;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// The kernel calls planned for a small model: which kernel each op runs, its sizes in the
/// kernel's parameter order (batch-dependent ones marked so), and GEMM epilogues only for a
/// backend that fuses them.
/// </summary>
public class KernelCallPlannerTests
{
    private const string Source = MarkedSource.Usings + """
        [Model]
        public partial class Normed
        {
            [Dense(16)] private partial Tensor Hidden(Tensor x);
            [LayerNorm] private partial Tensor Norm(Tensor x);
            [Dense(3)] private partial Tensor Output(Tensor x);

            [Forward]
            public Tensor Forward([Shape(10)] Tensor x) => Output(Norm(Relu(Hidden(x))));

            [TrainingStep]
            public Tensor TrainingStep(Tensor x, Label y) => CrossEntropy(Forward(x), y);

            [Optimizer]
            private static Optimizer Optimizer() => new Sgd(learningRate: 0.1f);
        }
        """;

    [Fact]
    public void TheForwardPassIsAGemmWithItsEpilogueThenLayerNormThenAGemm()
    {
        (EntryPlan forward, _) = Plans();

        IReadOnlyList<KernelCall> calls = KernelCallPlanner.Plan(forward, BackendCapabilities.Cpu).Calls;

        Assert.Equal(new[] { KernelId.Gemm, KernelId.LayerNorm, KernelId.Gemm }, calls.Select(c => c.Kernel));
        KernelCall hidden = calls[0];
        // x·Wᵀ over the batch's rows: m = batch, n = 16, k = 10; A is x, B the weight.
        Assert.Equal(EquatableArray.Of(KernelSize.PerExample(1), KernelSize.Fixed(16), KernelSize.Fixed(10)), hidden.Sizes);
        Assert.Equal(OpKind.Input, forward.Graph[hidden.Operands[0]].Op);
        Assert.Equal(OpKind.Parameter, forward.Graph[hidden.Operands[1]].Op);
        Assert.True(hidden.TransposeB);
        Assert.False(hidden.TransposeA);
        // The bias add and ReLU run in the GEMM's epilogue on the CPU.
        ElementwiseStep epilogue = Assert.IsType<ElementwiseStep>(hidden.Epilogue);
        Assert.Contains(epilogue.Chain, id => forward.Graph[id].Op == OpKind.Relu);
        Assert.Equal(EquatableArray.Of(KernelSize.PerExample(1), KernelSize.Fixed(16)), calls[1].Sizes);
        Assert.Equal(EquatableArray.Of(KernelSize.PerExample(1), KernelSize.Fixed(3), KernelSize.Fixed(16)), calls[2].Sizes);
    }

    /// <summary>OpenCL's GEMMs fuse nothing: the same calls, without epilogues, and every loop stays a step.</summary>
    [Fact]
    public void ABackendThatFusesNoEpiloguesGetsTheSameCallsWithoutThem()
    {
        (EntryPlan forward, EntryPlan train) = Plans();
        foreach (EntryPlan entry in new[] { forward, train })
        {
            KernelCallPlan cpu = KernelCallPlanner.Plan(entry, BackendCapabilities.Cpu);
            KernelCallPlan openCl = KernelCallPlanner.Plan(entry, BackendCapabilities.OpenCl);

            Assert.Contains(cpu.Calls, c => c.Epilogue is not null);
            Assert.All(openCl.Calls, c => Assert.Null(c.Epilogue));
            Assert.Equal(cpu.Calls.Select(c => c with { Epilogue = null }), openCl.Calls);
            Assert.All(entry.Steps.OfType<ElementwiseStep>(), step => Assert.False(openCl.IsEpilogue(step)));
        }
    }

    [Fact]
    public void TheTrainingStepPlansOneCallPerCallStep()
    {
        (_, EntryPlan train) = Plans();

        KernelCallPlan plan = KernelCallPlanner.Plan(train, BackendCapabilities.Cpu);

        Assert.Equal(train.Steps.OfType<CallStep>().Select(s => s.Node), plan.Calls.Select(c => c.Node));
        KernelCall loss = Assert.Single(plan.Calls, c => c.Kernel == KernelId.CrossEntropyBackward);
        // The gradient of the returned loss is weighed by the seed the step is called with.
        Assert.Equal(RowWeightKind.Seed, loss.Weight!.Kind);
        Assert.Equal(EquatableArray.Of(KernelSize.PerExample(1), KernelSize.Fixed(3)), loss.Sizes);
        Assert.Contains(plan.Calls, c => c.Kernel == KernelId.LayerNormBackward);
        // The first layer's weight gradient: xᵀ·dy summed over the batch, m = 16, n = 10, k = batch.
        Assert.Contains(plan.Calls, c => c.Kernel == KernelId.Gemm && c.TransposeA
            && c.Sizes == EquatableArray.Of(KernelSize.Fixed(16), KernelSize.Fixed(10), KernelSize.PerExample(1)));
    }

    /// <summary>LayerNorm's ε has one home in the generator, equal to the one the eager layers use.</summary>
    [Fact]
    public void TheLayerNormCallsCarryTheAttributesEpsilon()
    {
        (EntryPlan forward, _) = Plans();

        KernelCall norm = Assert.Single(KernelCallPlanner.Plan(forward, BackendCapabilities.Cpu).Calls, c => c.Kernel == KernelId.LayerNorm);

        Assert.Equal((float)Dsl.LayerNormAttribute.Epsilon, norm.Epsilon);
        Assert.Equal((float)Dsl.LayerNormAttribute.Epsilon, KernelCallPlanner.LayerNormEpsilon);
    }

    /// <summary>A concat is a block copy per part, each into its place in the rows; a reshape one contiguous copy per example.</summary>
    [Fact]
    public void AConcatIsABlockCopyPerPartAndAReshapeOneRun()
    {
        EntryPlan forward = ForwardPlan(MarkedSource.Usings + """
            [Model]
            public partial class Joined
            {
                [Forward]
                public Tensor Forward([Shape(4, 6)] Tensor x) => Reshape(Concat(-1, x, Relu(x)), 8, 6);
            }
            """);

        IReadOnlyList<KernelCall> calls = KernelCallPlanner.Plan(forward, BackendCapabilities.Cpu).Calls;

        Assert.Equal(new[] { KernelId.CopyBlocks, KernelId.CopyBlocks, KernelId.CopyBlocks }, calls.Select(c => c.Kernel));
        KernelSize rows = KernelSize.PerExample(4);
        // blocks, source blocks, width, source stride, source offset, destination stride, destination offset
        Assert.Equal(Sizes(rows, rows, 6, 6, 0, 12, 0), calls[0].Sizes);
        Assert.Equal(Sizes(rows, rows, 6, 6, 0, 12, 6), calls[1].Sizes);
        Assert.Equal(calls[0].Node, calls[1].Node);
        Assert.Equal(OpKind.Input, forward.Graph[calls[0].Operands[0]].Op);
        Assert.Equal(OpKind.Relu, forward.Graph[calls[1].Operands[0]].Op);
        KernelSize example = KernelSize.PerExample(1);
        Assert.Equal(Sizes(example, example, 48, 48, 0, 48, 0), calls[2].Sizes);
    }

    private static EquatableArray<KernelSize> Sizes(KernelSize blocks, KernelSize sourceBlocks, params int[] rest) =>
        new[] { blocks, sourceBlocks }.Concat(rest.Select(KernelSize.Fixed)).ToEquatableArray();

    [Theory]
    [InlineData(16, false, "16")]
    [InlineData(1, true, "batch")]
    [InlineData(16, true, "batch * 16")]
    public void SizesRenderAsExpressionsOfTheBatch(int count, bool batched, string expected) =>
        Assert.Equal(expected, KernelSize.Of(count, batched).Render());

    /// <summary>The forward pass's plan of a model without a training step.</summary>
    private static EntryPlan ForwardPlan(string source)
    {
        var diagnostics = new List<DiagnosticInfo>();
        LoweredModel lowered = ModelLowering.Lower(DiagnosticsTests.ParseSpec(source), diagnostics)!;
        Assert.Empty(diagnostics);
        return new BufferPlanner().Plan(lowered.Forward.Graph, new ParameterLayout(lowered.Layers));
    }

    /// <summary>The forward pass's and the training step's plans, as the compiler makes them.</summary>
    private static (EntryPlan Forward, EntryPlan Train) Plans()
    {
        var diagnostics = new List<DiagnosticInfo>();
        LoweredModel lowered = ModelLowering.Lower(DiagnosticsTests.ParseSpec(Source), diagnostics)!;
        Assert.Empty(diagnostics);
        var layout = new ParameterLayout(lowered.Layers);
        var planner = new BufferPlanner();
        return (planner.Plan(lowered.Forward.Graph, layout), planner.Plan(ReverseMode.Differentiate(lowered.Train!.Graph), layout));
    }
}
