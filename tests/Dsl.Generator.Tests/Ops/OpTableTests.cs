using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Fusion;
using Dsl.Generator.Ir;
using Dsl.Generator.Ops;
using Xunit;

namespace Dsl.Generator.Tests.Ops;

/// <summary>
/// The op table is whole and consistent: each kind of op has the parts its consumers look up
/// (the verifier its arity and shape rule, the modes their rules, the fused loops their renderings,
/// the kernel-call planner its kernel rule).
/// Whether the rules are right is GradientCheckTests'; whether the renderings are, the snapshots'.
/// </summary>
public class OpTableTests
{
    private static readonly OpKind[] AllOps = Enum.GetValues<OpKind>();

    [Fact]
    public void EveryOpHasItsOwnDefinition()
    {
        foreach (OpKind op in AllOps)
            Assert.Equal(op, OpTable.Of(op).Op);
    }

    [Fact]
    public void LeavesHaveNoInputsAndNoRules()
    {
        foreach (OpDefinition leaf in AllOps.Select(OpTable.Of).Where(d => d.IsLeaf))
        {
            Assert.Equal(0, leaf.Arity);
            Assert.Null(leaf.Shape);
            Assert.Null(leaf.Vjp);
            Assert.Null(leaf.Jvp);
        }
    }

    /// <summary>The verifier checks every model-graph node against its shape rule, so each such op needs one.</summary>
    [Fact]
    public void EveryModelGraphOpHasAShapeRuleAndBothRules()
    {
        foreach (OpDefinition op in AllOps.Where(o => !OpGroups.IsScalarFunctionOp(o)).Select(OpTable.Of).Where(d => !d.IsLeaf))
        {
            Assert.True(op.Shape is not null, $"{op.Op} has no shape rule");
            Assert.True(op.Vjp is not null && op.Jvp is not null, $"{op.Op} lacks a derivative rule");
        }
    }

    [Fact]
    public void EveryElementwiseOpIsRenderedInEveryDialect()
    {
        foreach (OpDefinition op in AllOps.Select(OpTable.Of).Where(d => d.IsElementwise))
        {
            Assert.True(op.CSharpScalar is not null, $"{op.Op} has no C# scalar rendering");
            Assert.True(op.CSharpVector is not null, $"{op.Op} has no C# vector rendering");
            Assert.True(op.OpenCl is not null, $"{op.Op} has no OpenCL rendering");
        }
    }

    /// <summary>
    /// Every op of a model graph that is neither a leaf nor fused into a loop runs as library
    /// kernel calls, so the planner needs its rule; element-wise ops and leaves have none (the
    /// scalar functions' ops never reach the planner).
    /// </summary>
    [Fact]
    public void EveryOpThatIsNotElementwiseNorALeafHasAKernelRule()
    {
        foreach (OpDefinition op in AllOps.Where(o => !OpGroups.IsScalarFunctionOp(o)).Select(OpTable.Of))
        {
            bool needsKernel = !op.IsLeaf && !op.IsElementwise;
            Assert.True(needsKernel == op.Kernel is not null,
                needsKernel ? $"{op.Op} has no kernel rule" : $"{op.Op} is fused or a leaf but has a kernel rule");
        }
    }

    /// <summary>
    /// The kernel library has no kernel that no op plans: a graph with a node of each op that has
    /// a kernel rule (a matmul of a shared weight and one of heads by heads, for both GEMMs) plans
    /// calls of every <see cref="KernelId"/>.
    /// </summary>
    [Fact]
    public void EveryKernelIsPlannedBySomeOp()
    {
        var g = new GraphBuilder();
        int x = g.Input("x", Shape.Of(4, 8));
        int weight = g.Parameter("w", Shape.Of(3, 8));
        int table = g.Parameter("table", Shape.Of(10, 8));
        int labels = g.LabelInput("labels", Shape.Of(4));
        int logits = g.Linear(weight, x);
        int heads = g.SplitHeads(x, 2, 0, 1);
        int scores = g.MatMul(heads, heads, transposeB: true);
        g.MatMul(x, g.Parameter("v", Shape.Of(8, 5)));
        g.MergeHeads(heads, 0, 1);
        g.CausalSoftmax(scores);
        int qkv = g.Input("qkv", Shape.Of(4, 12));
        g.AttentionBackward(qkv, g.Attention(qkv, 2, true, 0.1, 0), 2, true, 0.1, 0);
        g.CausalMask(4);
        g.Transpose(x, 0, 1);
        g.Reshape(x, Shape.Of(8, 4));
        g.Concat(1, x, x);
        g.Slice(x, 1, 0, 4);
        g.Softmax(x);
        g.LogSoftmax(x);
        g.SumLast(x);
        g.SumLeading(table);
        g.ExpandLast(g.SumLast(x), 3);
        g.Tile(g.Parameter("bias", Shape.Of(8)), Shape.Of(4));
        int normalised = g.LayerNorm(x);
        g.LayerNormBackward(normalised, g.LayerNormScale(x), x);
        g.ScatterAdd(labels, g.Gather(table, labels), 10);
        g.CrossEntropy(logits, labels);
        g.CrossEntropyGrad(logits, labels, g.LossSeed());
        g.Accuracy(logits, labels);
        g.OneHot(labels, 3);
        g.ArgMaxLast(x);
        g.ArgMaxMask(x);
        int index = g.Reshape(g.ArgMaxLast(x), Shape.Of(g[x].Shape.Leading.Append(1).Dimensions.ToArray()));
        g.ScatterLast(index, g.GatherLast(x, index), g[x].Shape.Last);
        var window = new ConvolutionGeometry(2, 2, 1, 1, 0, 0, 1, 1);
        g.Col2Im(g.Im2Col(g.Input("image", Shape.Of(2, 3, 3)), window), Shape.Of(2, 3, 3), window);
        g.BatchCountScale(x, 1, 0, "norm"); // BatchNorm
        // The fused convolution and its two gradients.
        int image = g.Input("image", Shape.Of(2, 3, 3)), kernels = g.Parameter("kernels", Shape.Of(4, 8));
        int convolved = g.Convolution(kernels, image, window);
        g.ConvolutionInputGrad(kernels, convolved, Shape.Of(2, 3, 3), window);
        g.ConvolutionWeightGrad(convolved, image, window);
        // Direct pooling and its gradients.
        int pooled = g.MaxPool(image, image, window);
        g.MaxPoolBackward(image, pooled, window);
        g.AvgPoolBackward(g.AvgPool(image, window), Shape.Of(2, 3, 3), window);
        // Adaptive pooling over uneven windows and its gradients.
        g.AdaptiveMaxPoolBackward(image, g.AdaptiveMaxPool(image, image, 2, 2));
        g.AdaptiveAvgPoolBackward(g.AdaptiveAvgPool(image, 2, 2), Shape.Of(2, 3, 3));
        Graph graph = g.Snapshot();

        var planned = new HashSet<KernelId>(graph.Nodes
            .Where(n => OpTable.Of(n.Op).Kernel is not null)
            .SelectMany(n => KernelCallPlanner.CallsOf(graph, n))
            .Select(c => c.Kernel));

        var unplanned = Enum.GetValues<KernelId>().Where(k => !planned.Contains(k)).ToList();
        Assert.True(unplanned.Count == 0, "No op plans " + string.Join(", ", unplanned) + ".");
    }

    /// <summary>
    /// deflinear: a linear op's VJP is its declared transpose, so the transposes of the pairs
    /// (Sum/Broadcast, SumLast/ExpandLast, SumLeading/Tile) build each other's op, and its JVP is the op itself.
    /// </summary>
    [Theory]
    [InlineData(nameof(OpKind.Sum), nameof(OpKind.Broadcast))]
    [InlineData(nameof(OpKind.SumLast), nameof(OpKind.ExpandLast))]
    [InlineData(nameof(OpKind.SumLeading), nameof(OpKind.Tile))]
    [InlineData(nameof(OpKind.ExpandLast), nameof(OpKind.SumLast))]
    public void ALinearOpsCotangentIsItsTransposeApplied(string opName, string transposeName)
    {
        // Names, not OpKind values: the enum is internal and a public test method cannot take it.
        OpKind op = Enum.Parse<OpKind>(opName), transposeOp = Enum.Parse<OpKind>(transposeName);
        var g = new GraphBuilder();
        // SumLeading sums an unbatched value (a parameter's gradient), so its values are parameters.
        bool batched = op != OpKind.SumLeading;
        int Value(string name, Shape shape) => batched ? g.Input(name, shape) : g.Parameter(name, shape);
        int x = Value("x", Shape.Of(3, 4));
        int y = op switch
        {
            OpKind.Sum => g.Sum(x),
            OpKind.SumLast => g.SumLast(x),
            OpKind.SumLeading => g.SumLeading(x),
            _ => g.ExpandLast(x, 5),
        };
        int cotangent = Value("dy", g[y].Shape);
        OpDefinition definition = OpTable.Of(op);
        Assert.NotNull(definition.Transpose);
        int?[] cotangents = definition.Vjp!(g, g[y], cotangent);
        Assert.Equal(transposeOp, g[cotangents[0]!.Value].Op);
        Assert.Equal(g[x].Shape, g[cotangents[0]!.Value].Shape);
        int? tangent = definition.Jvp!(g, g[y], new int?[] { Value("dx", g[x].Shape) });
        Assert.Equal(op, g[tangent!.Value].Op);
    }

    /// <summary>
    /// Max pooling is linear in its values with the scores held: the cotangent goes
    /// to the values as MaxPoolBackward over the same scores, none to the scores, and the two ops
    /// transpose into each other.
    /// </summary>
    [Fact]
    public void MaxPoolsCotangentGoesToTheValuesThroughTheSameScores()
    {
        var g = new GraphBuilder();
        var window = new ConvolutionGeometry(2, 2, 2, 2, 0, 0, 1, 1);
        int scores = g.Input("scores", Shape.Of(2, 4, 4)), values = g.Input("values", Shape.Of(2, 4, 4));
        int y = g.MaxPool(scores, values, window);
        int?[] cotangents = OpTable.Of(OpKind.MaxPool).Vjp!(g, g[y], g.Input("dy", g[y].Shape));
        Assert.Null(cotangents[0]);
        Node back = g[cotangents[1]!.Value];
        Assert.Equal(OpKind.MaxPoolBackward, back.Op);
        Assert.Equal(scores, back.Inputs[0]);
        Assert.Equal(g[values].Shape, back.Shape);
        int?[] again = OpTable.Of(OpKind.MaxPoolBackward).Vjp!(g, back, g.Input("dz", back.Shape));
        Assert.Null(again[0]);
        Assert.Equal(OpKind.MaxPool, g[again[1]!.Value].Op);
    }

    [Fact]
    public void TheElementwiseFunctionsAreLoweredByTheirDslNames()
    {
        Assert.Equal(OpKind.Gelu, OpTable.CalledAs("Gelu"));
        Assert.Equal(OpKind.Log, OpTable.CalledAs("Log"));
        Assert.Null(OpTable.CalledAs("Softmax")); // a row op, lowered by its own case
        Assert.Null(OpTable.CalledAs("GeluDerivative")); // internal to the backward pass
    }

    [Fact]
    public void OperatorsAreDescribedAsWritten()
    {
        Assert.Equal("'+'", OpTable.Of(OpKind.Add).Display);
        Assert.Equal("Dense", OpTable.Of(OpKind.Linear).Display);
        Assert.Equal("Softmax", OpTable.Of(OpKind.Softmax).Display);
    }
}
