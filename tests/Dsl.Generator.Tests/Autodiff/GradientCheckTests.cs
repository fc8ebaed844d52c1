using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Autodiff;
using Dsl.Generator.Autodiff.Rules;
using Dsl.Generator.Common;
using Dsl.Generator.Ir;
using Dsl.Generator.Layers;
using Dsl.Generator.Lowering;
using Xunit;

namespace Dsl.Generator.Tests.Autodiff;

/// <summary>
/// Every derivative rule against central finite differences, in double precision, in the batched
/// setting the programs run in. Each case builds y = f(leaves), takes the objective
/// L = Σ_batch Σ_j c_j·y_j for a random cotangent c (JAX's <c>check_vjp</c> dot-product test),
/// differentiates it with <see cref="ReverseMode"/> and compares every element of every gradient
/// with (L(v + h) − L(v − h)) / 2h.
/// </summary>
public class GradientCheckTests
{
    private const int Batch = 3;
    private const int Width = 5;

    private static int X(GraphBuilder g) => g.Input("x", Shape.Of(Width));
    private static int Y(GraphBuilder g) => g.Input("y", Shape.Of(Width));
    private static int S(GraphBuilder g) => g.Input("s", Shape.Scalar);
    private static int P(GraphBuilder g) => g.Parameter("p", Shape.Of(Width));
    private static int W(GraphBuilder g) => g.Parameter("w", Shape.Of(4, Width));
    private static int Label(GraphBuilder g) => g.LabelInput("label");
    private const int Length = 3;
    private static int Sequence(GraphBuilder g) => g.Input("q", Shape.Of(Length, Width));
    private static int Targets(GraphBuilder g) => g.LabelInput("targets", Shape.Of(Length));

    private static int Image(GraphBuilder g) => g.Input("image", Shape.Of(2, 3, 4));

    /// <summary>A convolution as the Conv2d layer lowers it: the fused op with the reshaped weight, channels first, a bias per row.</summary>
    private static int Conv2d(GraphBuilder g, ConvolutionGeometry geometry)
    {
        int weight = g.Reshape(g.Parameter("kernels", Shape.Of(3, 2, geometry.KernelHeight, geometry.KernelWidth)), Shape.Of(3, 2 * geometry.KernelHeight * geometry.KernelWidth));
        int y = g.Convolution(weight, Image(g), geometry);
        return g.Add(y, g.Reshape(g.ExpandLast(g.Parameter("bias", Shape.Of(3)), g[y].Shape[1] * g[y].Shape[2]), g[y].Shape));
    }

    /// <summary>The output [3, OH, OW] of a convolution of <see cref="Image"/> under <paramref name="geometry"/>.</summary>
    private static Shape Output(ConvolutionGeometry geometry) => Shape.Of(3, geometry.OutputHeight(3), geometry.OutputWidth(4));

    /// <summary>A weight [3, 2·kh·kw] for the fused convolution's gradient ops.</summary>
    private static int ConvWeight(GraphBuilder g, ConvolutionGeometry geometry) =>
        g.Parameter("kernels", Shape.Of(3, 2 * geometry.KernelHeight * geometry.KernelWidth));

    /// <summary>The fused convolution's input gradient of a batched ȳ [3, OH, OW] and an unbatched weight.</summary>
    private static int ConvolutionInputGrad(GraphBuilder g, ConvolutionGeometry geometry) =>
        g.ConvolutionInputGrad(ConvWeight(g, geometry), g.Input("dy", Output(geometry)), Shape.Of(2, 3, 4), geometry);

    /// <summary>GELU as a training step's graph builds it: x·Φ(x), Φ kept for the backward pass.</summary>
    private static int TrainingStepGelu(GraphBuilder g, int x)
    {
        g.KeepsGeluFactor = true;
        int y = g.Unary(OpKind.Gelu, x);
        Assert.Equal(OpKind.Multiply, g[y].Op);
        return y;
    }

    /// <summary>
    /// A two-group convolution as the Conv2d layer lowers it: im2col viewed as [P, 2, taps] and swapped
    /// to [2, P, taps], a product with each group's weights [2, 2, taps] (B transposed), a bias per row.
    /// </summary>
    private static int GroupedConv2d(GraphBuilder g, ConvolutionGeometry geometry)
    {
        int cols = g.Im2Col(Image(g), geometry), positions = g[cols].Shape[0], taps = geometry.KernelHeight * geometry.KernelWidth;
        int grouped = g.Transpose(g.Reshape(cols, Shape.Of(positions, 2, taps)), 0, 1);
        int weight = g.Reshape(g.Parameter("kernels", Shape.Of(4, 1, geometry.KernelHeight, geometry.KernelWidth)), Shape.Of(2, 2, taps));
        int y = g.Reshape(g.MatMul(weight, grouped, transposeB: true), Shape.Of(4, positions));
        return g.Add(y, g.ExpandLast(g.Parameter("bias", Shape.Of(4)), positions));
    }

    /// <summary>Max pooling as im2col, each window times its first maximum's mask, summed (grouped windows of the axis ops).</summary>
    private static int MaxOfWindows(GraphBuilder g, int windows) => g.SumLast(g.Multiply(g.ArgMaxMask(windows), windows));

    /// <summary>A pooling layer's lowering of tanh(<see cref="Image"/>) (distinct values in every window).</summary>
    private static int Pooled(GraphBuilder g, bool max, ConvolutionGeometry window) => PoolingLayer.Pool(g, g.Unary(OpKind.Tanh, Image(g)), max, window);

    /// <summary>The pooled shape [2, OH, OW] of <see cref="Image"/> under <paramref name="window"/>.</summary>
    private static Shape PooledShape(ConvolutionGeometry window) => Shape.Of(2, window.OutputHeight(3), window.OutputWidth(4));

    /// <summary>One case per op (and per broadcasting form of the binary ops), plus the layer and composites.</summary>
    private static readonly Dictionary<string, Func<GraphBuilder, int>> s_cases = new()
    {
        ["Negate"] = g => g.Negate(X(g)),
        ["Exp"] = g => g.Unary(OpKind.Exp, X(g)),
        ["Log"] = g => g.Unary(OpKind.Log, g.Unary(OpKind.Exp, X(g))),
        ["Tanh"] = g => g.Unary(OpKind.Tanh, X(g)),
        ["Sigmoid"] = g => g.Unary(OpKind.Sigmoid, X(g)),
        ["Relu"] = g => g.Unary(OpKind.Relu, X(g)),
        ["Gelu"] = g => g.Unary(OpKind.Gelu, X(g)),
        ["Step"] = g => g.Multiply(g.Unary(OpKind.Step, X(g)), Y(g)),
        ["GeluDerivative"] = g => g.Unary(OpKind.GeluDerivative, X(g)),
        ["NormalCdf"] = g => g.Unary(OpKind.NormalCdf, X(g)),
        ["Gelu as a training step builds it"] = g => TrainingStepGelu(g, X(g)),
        ["SquareRoot"] = g => g.Unary(OpKind.SquareRoot, g.Add(g.Unary(OpKind.Exp, X(g)), g.Constant(0.5))),
        ["Rsqrt"] = g => g.Unary(OpKind.Rsqrt, g.Add(g.Unary(OpKind.Exp, X(g)), g.Constant(0.5))),
        ["Absolute"] = g => g.Unary(OpKind.Absolute, X(g)),
        ["Signum"] = g => g.Multiply(g.Unary(OpKind.Signum, X(g)), Y(g)),
        ["Maximum"] = g => g.Binary(OpKind.Maximum, X(g), Y(g)),
        ["Minimum"] = g => g.Binary(OpKind.Minimum, X(g), Y(g)),
        ["Maximum scalar"] = g => g.Binary(OpKind.Maximum, S(g), X(g)),
        ["Minimum constant"] = g => g.Binary(OpKind.Minimum, X(g), g.Constant(0.1)),
        ["Maximum of a tie"] = g => g.Binary(OpKind.Maximum, g.Unary(OpKind.Tanh, X(g)), g.Unary(OpKind.Tanh, X(g))),
        ["Pow 3"] = g => OpLowering.Pow(g, X(g), 3),
        ["Pow -2"] = g => OpLowering.Pow(g, g.Add(g.Unary(OpKind.Exp, X(g)), g.Constant(0.5)), -2),
        ["Pow 2.5"] = g => OpLowering.Pow(g, g.Add(g.Unary(OpKind.Exp, X(g)), g.Constant(0.5)), 2.5),
        ["Pow 0.5"] = g => OpLowering.Pow(g, g.Add(g.Unary(OpKind.Exp, X(g)), g.Constant(0.5)), 0.5),
        ["Clamp"] = g => OpLowering.Clamp(g, X(g), -0.3, 0.4),
        ["Add"] = g => g.Add(X(g), Y(g)),
        ["Subtract"] = g => g.Subtract(X(g), Y(g)),
        ["Multiply"] = g => g.Multiply(X(g), Y(g)),
        ["Divide"] = g => g.Divide(X(g), g.Add(g.Unary(OpKind.Exp, Y(g)), g.Constant(0.5))),
        ["Add scalar"] = g => g.Add(S(g), X(g)),
        ["Subtract scalar"] = g => g.Subtract(X(g), S(g)),
        ["Multiply scalar"] = g => g.Multiply(S(g), X(g)),
        ["Divide by scalar"] = g => g.Divide(X(g), g.Add(g.Unary(OpKind.Exp, S(g)), g.Constant(0.5))),
        ["Multiply unbatched"] = g => g.Multiply(X(g), P(g)),
        ["Multiply constant"] = g => g.Multiply(X(g), g.Constant(-2.5)),
        ["Broadcast"] = g => g.Multiply(g.Broadcast(S(g), Shape.Of(Width)), X(g)),
        ["Sum"] = g => g.Sum(g.Multiply(X(g), X(g))),
        ["ArgMaxMask"] = g => g.Multiply(g.ArgMaxMask(Sequence(g)), Sequence(g)),
        ["ArgMaxLast"] = g => g.Multiply(g.ArgMaxLast(Sequence(g)), g.Input("r", Shape.Of(Length))),
        ["Sum over axis 0"] = g => AxisReductions.Reduce(g, "Sum", g.Multiply(Sequence(g), Sequence(g)), 0, keepDim: false),
        ["Max over axis 0, keepdim"] = g => AxisReductions.Reduce(g, "Max", Sequence(g), 0, keepDim: true),
        ["Max over the last axis"] = g => AxisReductions.Reduce(g, "Max", Sequence(g), 1, keepDim: false),
        ["Min over axis 0"] = g => AxisReductions.Reduce(g, "Min", Sequence(g), 0, keepDim: false),
        ["LogSumExp over axis 0"] = g => AxisReductions.Reduce(g, "LogSumExp", Sequence(g), 0, keepDim: false),
        ["LogSumExp over the last axis"] = g => AxisReductions.Reduce(g, "LogSumExp", Sequence(g), 1, keepDim: true),
        ["Broadcast [3, 1] by a parameter [1, 5]"] = g => Broadcasting.Binary(g, OpKind.Multiply, g.Input("a", Shape.Of(Length, 1)), g.Parameter("b", Shape.Of(1, Width))),
        ["Broadcast [2, 1, 5] plus [3, 1]"] = g => Broadcasting.Binary(g, OpKind.Add, g.Input("a", Shape.Of(2, 1, Width)), g.Input("b", Shape.Of(Length, 1))),
        ["Broadcast Maximum of [3, 1] and [5]"] = g => Broadcasting.Binary(g, OpKind.Maximum, g.Input("a", Shape.Of(Length, 1)), Y(g)),
        ["Broadcast [1, 1] by [5]"] = g => Broadcasting.Binary(g, OpKind.Divide, Y(g), g.Add(g.Unary(OpKind.Exp, g.Input("a", Shape.Of(1, 1))), g.Constant(0.5))),
        ["Broadcast Where of [3, 1], [1, 5] and a parameter [3, 1]"] = g =>
            TensorOps.Where(g, g.Unary(OpKind.Step, g.Input("m", Shape.Of(Length, 1))), g.Input("a", Shape.Of(1, Width)), g.Parameter("b", Shape.Of(Length, 1))),
        ["Stack on axis 1"] = g => TensorOps.Stack(g, new[] { Sequence(g), g.Unary(OpKind.Tanh, Sequence(g)) }, 1),
        ["Stack on the last axis"] = g => TensorOps.Stack(g, new[] { X(g), g.Multiply(X(g), Y(g)) }, -1),
        // The indices come from ArgMax of another input, so they are whole and in range.
        ["GatherLast"] = g => g.GatherLast(Sequence(g), g.Reshape(g.ArgMaxLast(g.Input("r", Shape.Of(Length, Width))), Shape.Of(Length, 1))),
        ["Gather along axis 0"] = g => TensorOps.Gather(g, g.Unary(OpKind.Tanh, Sequence(g)), 0, AxisReductions.Reduce(g, "ArgMax", g.Input("r", Shape.Of(Length, Width)), 0, keepDim: true)),
        ["ScatterLast"] = g => g.ScatterLast(g.Reshape(g.ArgMaxLast(g.Input("r", Shape.Of(Length, Width))), Shape.Of(Length, 1)), g.Input("v", Shape.Of(Length, 1)), Width),
        ["Softmax over axis 0"] = g => AxisReductions.Normalize(g, "Softmax", Sequence(g), 0),
        ["LogSoftmax over axis 0"] = g => AxisReductions.Normalize(g, "LogSoftmax", Sequence(g), 0),
        ["BatchSum"] = g => g.BatchSum(g.Multiply(X(g), P(g))),
        ["Im2Col"] = g => g.Im2Col(Image(g), new ConvolutionGeometry(2, 3, 1, 2, 0, 1, 1, 1)),
        ["Im2Col dilated"] = g => g.Im2Col(Image(g), new ConvolutionGeometry(2, 2, 2, 1, 1, 0, 2, 1)),
        ["Col2Im"] = g => g.Col2Im(g.Input("cols", Shape.Of(4, 12)), Shape.Of(2, 3, 4), new ConvolutionGeometry(2, 3, 1, 2, 0, 1, 1, 1)),
        ["Conv2d"] = g => Conv2d(g, new ConvolutionGeometry(2, 2, 1, 1, 1, 1, 1, 1)),
        ["Conv2d strided"] = g => Conv2d(g, new ConvolutionGeometry(3, 2, 2, 1, 1, 0, 1, 2)),
        ["Convolution"] = g => g.Convolution(ConvWeight(g, new ConvolutionGeometry(2, 2, 1, 1, 1, 1, 1, 1)), Image(g), new ConvolutionGeometry(2, 2, 1, 1, 1, 1, 1, 1)),
        ["Conv2d non-square, padded and dilated"] = g => Conv2d(g, new ConvolutionGeometry(2, 3, 1, 2, 1, 1, 2, 1)),
        ["ConvolutionInputGrad"] = g => ConvolutionInputGrad(g, new ConvolutionGeometry(2, 2, 1, 1, 1, 1, 1, 1)),
        ["ConvolutionInputGrad strided and dilated"] = g => ConvolutionInputGrad(g, new ConvolutionGeometry(3, 2, 2, 1, 1, 0, 1, 2)),
        ["ConvolutionWeightGrad"] = g => g.ConvolutionWeightGrad(g.Input("dy", Output(new ConvolutionGeometry(2, 2, 1, 1, 1, 1, 1, 1))), Image(g), new ConvolutionGeometry(2, 2, 1, 1, 1, 1, 1, 1)),
        ["ConvolutionWeightGrad strided and dilated"] = g => g.ConvolutionWeightGrad(g.Input("dy", Output(new ConvolutionGeometry(3, 2, 2, 1, 1, 0, 1, 2))), Image(g), new ConvolutionGeometry(3, 2, 2, 1, 1, 0, 1, 2)),
        ["Conv2d in two groups, non-square and dilated"] = g => GroupedConv2d(g, new ConvolutionGeometry(2, 3, 1, 2, 1, 0, 2, 1)),
        ["Conv2d in two groups, strided"] = g => GroupedConv2d(g, new ConvolutionGeometry(3, 1, 2, 1, 1, 0, 1, 1)),
        ["Global average pooling"] = g => g.Multiply(g.Constant(1.0 / 12), g.SumLast(g.Reshape(Image(g), Shape.Of(2, 12)))),
        ["Max of im2col windows, non-square"] = g => MaxOfWindows(g, g.Reshape(g.Im2Col(Image(g), new ConvolutionGeometry(3, 2, 1, 2, 0, 0, 1, 1)), Shape.Of(2, 2, 6))),
        // Direct pooling: MaxPool over rows that overlap, strides other than the
        // window, padding; AvgPool padded and overlapping.
        ["MaxPool"] = g => Pooled(g, true, new ConvolutionGeometry(2, 2, 1, 2, 0, 0, 1, 1)),
        ["MaxPool2d non-square"] = g => Pooled(g, true, new ConvolutionGeometry(3, 2, 1, 2, 0, 0, 1, 1)),
        ["MaxPool2d padded, stride 2x1"] = g => Pooled(g, true, new ConvolutionGeometry(3, 3, 2, 1, 1, 1, 1, 1)),
        ["MaxPool2d of a ReLU"] = g => PoolingLayer.Pool(g, g.Unary(OpKind.Relu, Image(g)), true, new ConvolutionGeometry(2, 2, 1, 1, 1, 0, 1, 1)),
        ["MaxPool of other scores"] = g => g.MaxPool(g.Input("scores", Shape.Of(2, 3, 4)), Image(g), new ConvolutionGeometry(2, 3, 1, 1, 1, 1, 1, 1)),
        ["MaxPoolBackward"] = g => g.MaxPoolBackward(g.Unary(OpKind.Tanh, Image(g)), g.Input("d", PooledShape(new ConvolutionGeometry(3, 3, 2, 1, 1, 1, 1, 1))), new ConvolutionGeometry(3, 3, 2, 1, 1, 1, 1, 1)),
        ["AvgPool"] = g => Pooled(g, false, new ConvolutionGeometry(2, 2, 2, 2, 1, 1, 1, 1)),
        ["AvgPool2d overlapping, non-square"] = g => Pooled(g, false, new ConvolutionGeometry(3, 2, 1, 1, 1, 0, 1, 1)),
        ["AvgPoolBackward"] = g => g.AvgPoolBackward(g.Input("d", PooledShape(new ConvolutionGeometry(3, 2, 1, 1, 1, 0, 1, 1))), Shape.Of(2, 3, 4), new ConvolutionGeometry(3, 2, 1, 1, 1, 0, 1, 1)),
        // 1-D pooling (issue 19): a sequence [2, 12] pooled as the one-row image [2, 1, 12], padded,
        // strided and (max) dilated.
        ["MaxPool1d padded and dilated"] = g => PoolingLayer.Pool(g, g.Reshape(g.Unary(OpKind.Tanh, Image(g)), Shape.Of(2, 1, 12)), true, new ConvolutionGeometry(1, 3, 1, 2, 0, 1, 1, 2)),
        ["AvgPool1d padded, overlapping"] = g => PoolingLayer.Pool(g, g.Reshape(g.Unary(OpKind.Tanh, Image(g)), Shape.Of(2, 1, 12)), false, new ConvolutionGeometry(1, 3, 1, 2, 0, 1, 1, 1)),
        // Adaptive pooling over PyTorch's uneven windows (issue 19): 3x4 to 2x3 (overlapping windows of
        // two rows and two columns), to 4x5 (more outputs than pixels: windows of one or two), and max
        // pooling over scores with ties (a step: many windows hold several ones), where the gradient
        // reaches only the first maximum of each window.
        ["AdaptiveMaxPool"] = g => g.AdaptiveMaxPool(g.Unary(OpKind.Tanh, Image(g)), g.Unary(OpKind.Tanh, Image(g)), 2, 3),
        ["AdaptiveMaxPool to more outputs than pixels"] = g => g.AdaptiveMaxPool(g.Unary(OpKind.Tanh, Image(g)), g.Unary(OpKind.Tanh, Image(g)), 4, 5),
        ["AdaptiveMaxPool over tied scores"] = g => g.AdaptiveMaxPool(g.Unary(OpKind.Step, Image(g)), g.Unary(OpKind.Tanh, Image(g)), 2, 3),
        ["AdaptiveMaxPoolBackward"] = g => g.AdaptiveMaxPoolBackward(g.Unary(OpKind.Tanh, Image(g)), g.Input("d", Shape.Of(2, 2, 3))),
        ["AdaptiveAvgPool"] = g => g.AdaptiveAvgPool(g.Unary(OpKind.Tanh, Image(g)), 2, 3),
        ["AdaptiveAvgPool to more outputs than pixels"] = g => g.AdaptiveAvgPool(Image(g), 4, 5),
        ["AdaptiveAvgPoolBackward"] = g => g.AdaptiveAvgPoolBackward(g.Input("d", Shape.Of(2, 2, 3)), Shape.Of(2, 3, 4)),
        ["Linear"] = g => g.Linear(W(g), X(g)),
        ["LinearTranspose"] = g => g.LinearTranspose(W(g), g.Input("v", Shape.Of(4))),
        ["OuterBatchSum"] = g => g.OuterBatchSum(g.Input("v", Shape.Of(4)), X(g)),
        ["MatMul"] = g => g.MatMul(Sequence(g), g.Input("mk", Shape.Of(Width, 4))),
        ["MatMul, A transposed"] = g => g.MatMul(g.Input("km", Shape.Of(Width, Length)), g.Input("mk", Shape.Of(Width, 4)), transposeA: true),
        ["MatMul, B transposed"] = g => g.MatMul(Sequence(g), g.Input("nk", Shape.Of(4, Width)), transposeB: true),
        ["MatMul, both transposed"] = g => g.MatMul(g.Input("km", Shape.Of(Width, Length)), g.Input("nk", Shape.Of(4, Width)), true, true),
        ["MatMul over heads"] = g => g.MatMul(g.Input("hq", Shape.Of(2, Length, Width)), g.Input("hk", Shape.Of(2, 4, Width)), transposeB: true),
        ["MatMul over heads, A transposed"] = g => g.MatMul(g.Input("hq", Shape.Of(2, Width, Length)), g.Input("hv", Shape.Of(2, Width, 4)), transposeA: true),
        ["MatMul of a batched A and an unbatched B"] = g => g.MatMul(Sequence(g), g.Parameter("wk", Shape.Of(Width, 4))),
        ["MatMul of a batched A and an unbatched B, transposed"] = g => g.MatMul(g.Input("km", Shape.Of(Width, Length)), g.Parameter("wn", Shape.Of(4, Width)), true, true),
        ["MatMul of an unbatched A and a batched B"] = g => g.MatMul(g.Parameter("wa", Shape.Of(4, Width)), g.Input("kn", Shape.Of(Width, Length))),
        ["MatMul of a shared B over heads"] = g => g.MatMul(g.Input("hq", Shape.Of(2, Length, Width)), g.Parameter("wk", Shape.Of(Width, 4))),
        ["MatMul of a shared transposed B over heads"] = g => g.MatMul(g.Input("hq", Shape.Of(2, Length, Width)), g.Parameter("wn", Shape.Of(4, Width)), transposeB: true),
        ["MatMul of unbatched heads and batched heads"] = g => g.MatMul(g.Parameter("ph", Shape.Of(2, Length, Width)), g.Input("hv", Shape.Of(2, Width, 4))),
        ["SplitHeads"] = g => g.SplitHeads(g.Input("qkv", Shape.Of(Length, 12)), 2, 1, 3),
        ["SplitHeads of one part"] = g => g.SplitHeads(g.Input("rows", Shape.Of(Length, 4)), 2, 0, 1),
        ["MergeHeads"] = g => g.MergeHeads(g.Input("hv", Shape.Of(2, Length, 4)), 2, 3),
        ["MergeHeads of one part"] = g => g.MergeHeads(g.Input("hv", Shape.Of(2, Length, 4)), 0, 1),
        ["CausalSoftmax"] = g => g.CausalSoftmax(g.Input("scores", Shape.Of(2, Length, Length))),
        ["CausalSoftmax of one matrix"] = g => g.CausalSoftmax(g.Input("scores", Shape.Of(4, 4))),
        ["CausalSoftmax twice"] = g => g.CausalSoftmax(g.Multiply(g.CausalSoftmax(g.Input("scores", Shape.Of(Length, Length))), g.Input("scale", Shape.Of(Length, Length)))),
        ["Attention of two heads"] = g =>
        {
            int qkv = g.Input("qkv", Shape.Of(Length, 12));
            int scores = g.Multiply(g.Constant(0.5), g.MatMul(g.SplitHeads(qkv, 2, 0, 3), g.SplitHeads(qkv, 2, 1, 3), transposeB: true));
            return g.MergeHeads(g.MatMul(g.CausalSoftmax(scores), g.SplitHeads(qkv, 2, 2, 3)), 0, 1);
        },
        // The training step's fused attention (issue 20, item 3): its VJP is AttentionBackward, which the
        // interpreter computes by its own formula; with the weights' dropout (the program's mask) and without.
        ["Attention"] = g => g.Attention(g.Input("qkv", Shape.Of(Length, 12)), 2, true, 0, 0),
        ["Attention with dropout"] = g => g.Attention(g.Input("qkv", Shape.Of(Length, 12)), 2, true, 0.5, 1),
        ["Attention, full, with dropout, of a product"] = g => g.Attention(g.Linear(g.Parameter("wq", Shape.Of(18, Width)), Sequence(g)), 3, false, 0.3, 2),
        ["Softmax"] = g => g.Softmax(X(g)),
        ["LogSoftmax"] = g => g.LogSoftmax(X(g)),
        ["CrossEntropy"] = g => g.CrossEntropy(X(g), Label(g)),
        ["CrossEntropyGrad"] = g => g.CrossEntropyGrad(X(g), Label(g), S(g)),
        ["CrossEntropyGrad with one weight"] = g => g.CrossEntropyGrad(X(g), Label(g), g.Parameter("ps", Shape.Scalar)),
        ["OneHot"] = g => g.Multiply(g.OneHot(Label(g), Width), X(g)),
        ["Accuracy"] = g => g.Multiply(g.Accuracy(X(g), Label(g)), S(g)),
        ["Dense"] = g => g.Add(g.Linear(W(g), X(g)), g.Parameter("b", Shape.Of(4))),
        ["Mean"] = g => OpLowering.Mean(g, g.Unary(OpKind.Tanh, X(g))),
        ["Mse"] = g => OpLowering.Mse(g, g.Unary(OpKind.Sigmoid, X(g)), Y(g)),
        ["ExpandLast"] = g => g.Multiply(g.ExpandLast(g.Input("r", Shape.Of(Length)), Width), Sequence(g)),
        ["Tile"] = g => g.Multiply(g.Tile(P(g), Shape.Of(Length)), Sequence(g)),
        ["SumLast"] = g => g.SumLast(g.Multiply(Sequence(g), Sequence(g))),
        ["SumLeading"] = g => g.SumLeading(g.Multiply(g.Parameter("pq", Shape.Of(Length, Width)), g.Parameter("pq", Shape.Of(Length, Width)))),
        ["Linear on a sequence"] = g => g.Linear(W(g), Sequence(g)),
        ["LinearTranspose on a sequence"] = g => g.LinearTranspose(W(g), g.Input("vq", Shape.Of(Length, 4))),
        ["OuterBatchSum on a sequence"] = g => g.OuterBatchSum(g.Input("vq", Shape.Of(Length, 4)), Sequence(g)),
        ["Softmax on a sequence"] = g => g.Softmax(Sequence(g)),
        ["LogSoftmax on a sequence"] = g => g.LogSoftmax(Sequence(g)),
        ["CrossEntropy on a sequence"] = g => g.CrossEntropy(Sequence(g), Targets(g)),
        ["CrossEntropyGrad on a sequence"] = g => g.CrossEntropyGrad(Sequence(g), Targets(g), g.Input("r", Shape.Of(Length))),
        ["OneHot on a sequence"] = g => g.Multiply(g.OneHot(Targets(g), Width), Sequence(g)),
        ["Accuracy on a sequence"] = g => g.Multiply(g.Accuracy(Sequence(g), Targets(g)), g.Input("r", Shape.Of(Length))),
        ["Dense on a sequence"] = g => g.Add(g.Linear(W(g), Sequence(g)), g.Tile(g.Parameter("b", Shape.Of(4)), Shape.Of(Length))),
        ["Dropout"] = g => g.Dropout(X(g), 0.5, 0),
        ["Dropout twice, two sites"] = g => g.Dropout(g.Unary(OpKind.Tanh, g.Dropout(Sequence(g), 0.25, 0)), 0.25, 1),
        ["LayerNorm"] = g => g.LayerNorm(Sequence(g)),
        ["LayerNormScale"] = g => g.LayerNormScale(Sequence(g)),
        ["LayerNormBackward"] = g => g.LayerNormBackward(g.LayerNorm(Sequence(g)), g.LayerNormScale(Sequence(g)), g.Input("gq", Shape.Of(Length, Width))),
        ["LayerNormBackward of free inputs"] = g => g.LayerNormBackward(g.Input("nq", Shape.Of(Length, Width)), g.Unary(OpKind.Exp, g.Input("r", Shape.Of(Length))), g.Input("gq", Shape.Of(Length, Width))),
        ["LayerNormScale of a vector"] = g => g.LayerNormScale(X(g)),
        ["LayerNormBackward of a vector"] = g => g.LayerNormBackward(g.LayerNorm(X(g)), g.LayerNormScale(X(g)), Y(g)),
        ["Gather"] = g => g.Gather(g.Parameter("table", Shape.Of(Width, 4)), Targets(g)),
        ["ScatterAdd"] = g => g.ScatterAdd(Targets(g), g.Input("vq", Shape.Of(Length, 4)), Width),
        ["LayerNorm on a vector"] = g => OpLowering.LayerNorm(g, X(g), P(g), g.Parameter("b", Shape.Of(Width))),
        ["LayerNorm on a sequence"] = g => OpLowering.LayerNorm(g, Sequence(g), P(g), g.Parameter("b", Shape.Of(Width))),
        ["Embedding and LayerNorm into cross-entropy"] = g => OpLowering.Mean(g, g.CrossEntropy(
            g.Linear(W(g), OpLowering.LayerNorm(g, g.Add(g.Gather(g.Parameter("table", Shape.Of(Width, Width)), Targets(g)), g.Parameter("pq", Shape.Of(Length, Width))), P(g), g.Parameter("b", Shape.Of(Width)))),
            g.LabelInput("next", Shape.Of(Length)))),
        ["Where"] = g => g.Where(g.Unary(OpKind.Step, g.Input("cond", Shape.Of(Width))), X(g), Y(g)),
        ["Where with scalars"] = g => g.Where(g.Unary(OpKind.Step, g.Input("cond", Shape.Of(Width))), S(g), g.Multiply(X(g), P(g))),
        ["Where under a causal mask"] = g => g.Where(g.CausalMask(Length), g.Parameter("pm", Shape.Of(Length, Length)), g.Constant(-3)),
        ["CausalMask"] = g => g.Multiply(g.CausalMask(Length), g.Input("m", Shape.Of(Length, Length))),
        ["Transpose"] = g => g.Transpose(Sequence(g), 0, 1),
        ["Transpose of rank 3, outer axes"] = g => g.Transpose(g.Input("t3", Shape.Of(2, Length, 4)), 0, 2),
        ["Transpose of rank 3, inner axes"] = g => g.Multiply(g.Transpose(g.Input("t3", Shape.Of(2, Length, 4)), 1, 2), g.Parameter("pt", Shape.Of(2, 4, Length))),
        ["Reshape"] = g => g.Multiply(g.Reshape(Sequence(g), Shape.Of(Width, Length)), g.Parameter("pr", Shape.Of(Width, Length))),
        ["Concat"] = g => g.Concat(0, Sequence(g), g.Unary(OpKind.Tanh, g.Input("vw", Shape.Of(2, Width)))),
        ["Concat of batched and unbatched, last axis"] = g => g.Concat(1, Sequence(g), g.Parameter("pc", Shape.Of(Length, 2))),
        ["Slice"] = g => g.Slice(Sequence(g), 1, 1, 3),
        ["Slice of the leading axis"] = g => g.Slice(Sequence(g), 0, 1, 1),
        ["Mean over an axis"] = g => TensorOps.Mean(g, g.Input("t3", Shape.Of(2, Length, 4)), 0, keepDim: false),
        ["Variance over an axis, unbiased"] = g => TensorOps.Variance(g, g.Input("t3", Shape.Of(2, Length, 4)), 1, unbiased: true, keepDim: true),
        ["Variance over the last axis, biased"] = g => TensorOps.Variance(g, Sequence(g), 1, unbiased: false, keepDim: false),
        ["Broadcast of a batched trailing shape"] = g => g.Multiply(TensorOps.TryBroadcast(g, X(g), Shape.Of(Length, Width))!.Value, Sequence(g)),
        ["Broadcast of an unbatched trailing shape"] = g => g.Multiply(TensorOps.TryBroadcast(g, g.Parameter("pq", Shape.Of(Length, Width)), Shape.Of(2, Length, Width))!.Value, g.Input("t5", Shape.Of(2, Length, Width))),
        ["Broadcast of a keepdim axis"] = g => g.Subtract(Sequence(g), TensorOps.TryBroadcast(g, TensorOps.Mean(g, Sequence(g), 1, keepDim: true), Shape.Of(Length, Width))!.Value),
        ["MatMul of user transposes"] = g => TensorOps.MatMul(g, g.Transpose(g.Input("t3", Shape.Of(2, Length, 4)), 1, 2), g.Input("t4", Shape.Of(2, Length, 4))),
        ["Split and rejoined in another order"] = g =>
        {
            int x = g.Unary(OpKind.Tanh, g.Input("t6", Shape.Of(Length, 6)));
            return g.Concat(1, g.Multiply(g.Slice(x, 1, 4, 2), g.Slice(x, 1, 0, 2)), g.Slice(x, 1, 2, 2));
        },
        // BatchNorm (issue 19): the batch-count division, and the training-mode layer
        // over an image, a sequence and a vector, whose gradients are those of the batch sums.
        ["BatchCountScale"] = g => g.BatchCountScale(g.Multiply(X(g), P(g)), 2, -1, "norm"),
        ["BatchCountScale of a batch sum"] = g => g.Multiply(g.BatchCountScale(g.BatchSum(g.Unary(OpKind.Tanh, X(g))), 3, 0, "norm"), X(g)),
        ["BatchNorm2d in training"] = g => BatchNormLayer.Train(g, g.Unary(OpKind.Tanh, Image(g)), g.Parameter("w", Shape.Of(2)), g.Parameter("b", Shape.Of(2)), "norm").Output,
        ["BatchNorm1d in training, a sequence"] = g => BatchNormLayer.Train(g, Sequence(g), g.Parameter("w", Shape.Of(Length)), g.Parameter("b", Shape.Of(Length)), "norm").Output,
        ["BatchNorm1d in training, a vector"] = g => BatchNormLayer.Train(g, X(g), P(g), g.Parameter("b", Shape.Of(Width)), "norm").Output,
        ["BatchNorm1d's running variance"] = g => BatchNormLayer.Train(g, Sequence(g), g.Parameter("w", Shape.Of(Length)), g.Parameter("b", Shape.Of(Length)), "norm").UnbiasedVariance,
        ["Two layers"] = g => g.CrossEntropy(g.Linear(g.Parameter("w2", Shape.Of(Width, 4)), g.Unary(OpKind.Gelu, g.Linear(W(g), X(g)))), Label(g)),
        ["Two layers, the training step's GELU"] = g => g.CrossEntropy(g.Linear(g.Parameter("w2", Shape.Of(Width, 4)), TrainingStepGelu(g, g.Linear(W(g), X(g)))), Label(g)),
    };

    public static IEnumerable<object[]> Cases => s_cases.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Cases))]
    public void GradientMatchesCentralDifferences(string name)
    {
        var g = new GraphBuilder();
        int y = s_cases[name](g);
        Node output = g[y];
        int cotangent = output.Batched ? g.Input("c", output.Shape) : g.Parameter("c", output.Shape);
        g.Output("loss", OutputRole.Loss, g.Sum(g.Multiply(y, cotangent)));
        Graph graph = ReverseMode.Differentiate(g.Build(), withRespectToInputs: true);
        Verifier.Verify(graph, "differentiation");

        var random = new Random(name.GetHashCode() & 0x7fff);
        var values = new Dictionary<string, double[]>();
        foreach (Node leaf in graph.Nodes.Where(n => n.Op is OpKind.Input or OpKind.Parameter))
            values[leaf.Name!] = Enumerable.Range(0, (leaf.Batched ? Batch : 1) * leaf.Shape.Size).Select(_ => AwayFromZero(random)).ToArray();
        var labels = new Dictionary<string, int[]> { ["label"] = new[] { 0, 3, 4 }, ["targets"] = new[] { 0, 3, 4, 1, 1, 2, 4, 0, 2 }, ["next"] = new[] { 3, 0, 1, 2, 2, 1, 0, 3, 3 } };

        double[][] result = IrInterpreter.Run(graph, Batch, values, labels);
        int checkedElements = 0;
        foreach (string variable in values.Keys.Where(v => v != "c"))
        {
            GraphOutput? gradient = graph.Outputs.FirstOrDefault(o => o.Role == OutputRole.Gradient && o.Name == variable);
            double[] analytic = gradient is null ? new double[values[variable].Length] : Expand(graph, gradient.Node, result, values[variable].Length);
            for (int k = 0; k < values[variable].Length; k++)
            {
                double numeric = CentralDifference(graph, values, labels, variable, k);
                Assert.True(Math.Abs(analytic[k] - numeric) <= 1e-6 * Math.Max(1, Math.Abs(numeric)),
                    $"{name}: d/d{variable}[{k}] is {analytic[k]:R} by the rule but {numeric:R} by central differences");
                checkedElements++;
            }
        }
        Assert.True(checkedElements > 0);
    }

    /// <summary>
    /// Forward mode: the tangent of y along a random direction t of every variable against the
    /// central difference (y(v + h·t) − y(v − h·t)) / 2h, element by element.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void TangentMatchesCentralDifferences(string name)
    {
        var g = new GraphBuilder();
        g.Output("y", OutputRole.Output, s_cases[name](g));
        Graph primal = g.Build();
        Graph graph = ForwardMode.Jvp(primal);
        Verifier.Verify(graph, "forward mode");

        var random = new Random(name.GetHashCode() & 0x7fff);
        // A value and a random direction for every variable (a tangent leaf that no rule needed is pruned, not absent from the math).
        var values = new Dictionary<string, double[]>();
        foreach (Node leaf in primal.Nodes.Where(n => n.Op is OpKind.Input or OpKind.Parameter))
            foreach (string key in new[] { leaf.Name!, ForwardMode.TangentName(leaf.Name!) })
                values[key] = Enumerable.Range(0, (leaf.Batched ? Batch : 1) * leaf.Shape.Size).Select(_ => AwayFromZero(random)).ToArray();
        var labels = new Dictionary<string, int[]> { ["label"] = new[] { 0, 3, 4 }, ["targets"] = new[] { 0, 3, 4, 1, 1, 2, 4, 0, 2 }, ["next"] = new[] { 3, 0, 1, 2, 2, 1, 0, 3, 3 } };
        string[] variables = primal.Nodes.Where(n => n.Op is OpKind.Input or OpKind.Parameter).Select(n => n.Name!).ToArray();

        double[][] result = IrInterpreter.Run(graph, Batch, values, labels);
        int output = graph.OutputsOf(OutputRole.Output).Single().Node;
        GraphOutput? tangent = graph.OutputsOf(OutputRole.Tangent).SingleOrDefault();
        double[] analytic = tangent is null ? new double[result[output].Length] : Expand(graph, tangent.Node, result, result[output].Length);

        const double h = 1e-6;
        double[] Shifted(double sign)
        {
            var shifted = values.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
            foreach (string v in variables)
                for (int k = 0; k < shifted[v].Length; k++)
                    shifted[v][k] += sign * h * values[ForwardMode.TangentName(v)][k];
            return IrInterpreter.Run(primal, Batch, shifted, labels)[output];
        }
        double[] plus = Shifted(1), minus = Shifted(-1);
        for (int k = 0; k < analytic.Length; k++)
        {
            double numeric = (plus[k] - minus[k]) / (2 * h);
            Assert.True(Math.Abs(analytic[k] - numeric) <= 1e-6 * Math.Max(1, Math.Abs(numeric)),
                $"{name}: tangent[{k}] is {analytic[k]:R} by the rules but {numeric:R} by central differences");
        }
    }

    [Fact]
    public void EveryOpWithInputsHasARuleAndACase()
    {
        foreach (OpKind op in Enum.GetValues<OpKind>().Where(o => !OpGroups.IsLeaf(o) && !OpGroups.IsScalarFunctionOp(o)))
        {
            // A training step differentiates its fused attention once; AttentionBackward, Attention's VJP, is
            // checked through Attention's cases and refuses a second derivative (the test below).
            if (op == OpKind.AttentionBackward)
                continue;
            Assert.NotNull(VjpRules.For(op));
            Assert.NotNull(JvpRules.For(op));
            Assert.Contains(op.ToString(), s_cases.Keys);
        }
    }

    [Fact]
    public void FusedAttentionRefusesASecondDerivative()
    {
        var g = new GraphBuilder();
        int qkv = g.Input("qkv", Shape.Of(Length, 12));
        int back = g.AttentionBackward(qkv, g.Input("dy", Shape.Of(Length, 4)), 2, true, 0, 0);
        Assert.Throws<NotSupportedException>(() => VjpRules.For(OpKind.AttentionBackward)(g, g[back], g.Input("c", Shape.Of(Length, 12))));
        Assert.Throws<NotSupportedException>(() => JvpRules.For(OpKind.AttentionBackward)(g, g[back], new int?[] { qkv, null }));
    }

    /// <summary>The cotangents of a Split's slices meet as one concat of the parts, not as zero-padded copies summed.</summary>
    [Fact]
    public void TheSlicesOfASplitGetOneConcatAsTheirGradient()
    {
        var g = new GraphBuilder();
        int x = g.Input("x", Shape.Of(Length, 6));
        int y = g.Add(g.Multiply(g.Slice(x, 1, 0, 2), g.Slice(x, 1, 2, 2)), g.Unary(OpKind.Exp, g.Slice(x, 1, 4, 2)));
        g.Output("loss", OutputRole.Loss, g.Sum(y));
        Graph graph = ReverseMode.Differentiate(g.Build(), withRespectToInputs: true);
        Node gradient = graph[graph.OutputsOf(OutputRole.Gradient).Single().Node];
        Assert.Equal(OpKind.Concat, gradient.Op);
        Assert.Equal(3, gradient.Inputs.Count);
        Assert.DoesNotContain(graph.Nodes, n => n.Op == OpKind.Broadcast && graph[n.Inputs[0]] is { Op: OpKind.Constant, Constant: 0 });
    }

    /// <summary>
    /// The q, k and v heads cut from one projection get one merge of their joined heads as the
    /// projection's gradient, not three merges zero-filled in the other parts and summed.
    /// </summary>
    [Fact]
    public void TheHeadsOfOneProjectionGetOneMergeAsTheirGradient()
    {
        var g = new GraphBuilder();
        int qkv = g.Input("qkv", Shape.Of(Length, 12));
        int scores = g.MatMul(g.SplitHeads(qkv, 2, 0, 3), g.SplitHeads(qkv, 2, 1, 3), transposeB: true);
        g.Output("loss", OutputRole.Loss, g.Sum(g.MergeHeads(g.MatMul(g.CausalSoftmax(scores), g.SplitHeads(qkv, 2, 2, 3)), 0, 1)));
        Graph graph = ReverseMode.Differentiate(g.Build(), withRespectToInputs: true);
        Node gradient = graph[graph.OutputsOf(OutputRole.Gradient).Single().Node];
        Assert.Equal(OpKind.MergeHeads, gradient.Op);
        Assert.Equal(new[] { 0, 1 }, gradient.Attributes.ToArray());
        Node joined = graph[gradient.Inputs[0]];
        Assert.Equal(OpKind.Concat, joined.Op);
        Assert.Equal(Shape.Of(6, Length, 2), joined.Shape);
        Assert.DoesNotContain(graph.Nodes, n => n.Op == OpKind.MergeHeads && n.Attributes[1] > 1);
    }

    /// <summary>A matrix A shared by B's leading axes would need a sum over them that no op does yet: refused by name, never a wrong gradient.</summary>
    [Fact]
    public void AMatMulWithASharedLeftMatrixIsRefusedNotWronglyDifferentiated()
    {
        var g = new GraphBuilder();
        int y = g.MatMul(g.Parameter("w", Shape.Of(4, Width)), g.Input("hv", Shape.Of(2, Width, 3)));
        g.Output("loss", OutputRole.Loss, g.Sum(y));
        var error = Assert.Throws<NotSupportedException>(() => ReverseMode.Differentiate(g.Build(), withRespectToInputs: true));
        Assert.Contains("a matrix A shared by the leading axes of B", error.Message);
    }

    [Fact]
    public void NonDifferentiableInputsGetNoGradient()
    {
        var g = new GraphBuilder();
        int x = X(g);
        g.Output("loss", OutputRole.Loss, g.Accuracy(x, Label(g)));
        Graph graph = ReverseMode.Differentiate(g.Build(), withRespectToInputs: true);
        Assert.Empty(graph.OutputsOf(OutputRole.Gradient));
    }

    [Fact]
    public void TheVerifierRejectsANodeWhoseShapeDisagreesWithItsRule()
    {
        var g = new GraphBuilder();
        g.Output("y", OutputRole.Output, g.Unary(OpKind.Tanh, X(g)));
        Graph graph = g.Build();
        Node tanh = graph.Nodes[^1];
        var corrupted = graph with { Nodes = graph.Nodes.Select(n => n == tanh ? n with { Shape = Shape.Of(7) } : n).ToEquatableArray() };
        var error = Assert.Throws<InvalidOperationException>(() => Verifier.Verify(corrupted, "a test"));
        Assert.Contains("after a test", error.Message);
        Assert.Contains("tanh", error.Message);
    }

    /// <summary>Values in ±[0.2, 1.5]: away from the kinks of ReLU and Step, where differences are meaningless.</summary>
    private static double AwayFromZero(Random random) => (random.Next(2) * 2 - 1) * (0.2 + 1.3 * random.NextDouble());

    /// <summary>A gradient as an array the size of its variable; an unbatched gradient of a batched variable repeats per row.</summary>
    private static double[] Expand(Graph graph, int node, double[][] result, int length) =>
        Enumerable.Range(0, length).Select(k => result[node][k % result[node].Length]).ToArray();

    private static double CentralDifference(Graph graph, Dictionary<string, double[]> values, Dictionary<string, int[]> labels, string variable, int k)
    {
        const double h = 1e-6;
        double original = values[variable][k];
        values[variable][k] = original + h;
        double plus = Objective(graph, values, labels);
        values[variable][k] = original - h;
        double minus = Objective(graph, values, labels);
        values[variable][k] = original;
        return (plus - minus) / (2 * h);
    }

    /// <summary>Σ over the batch of the loss; an unbatched loss counts once per example, as the seed does.</summary>
    private static double Objective(Graph graph, Dictionary<string, double[]> values, Dictionary<string, int[]> labels)
    {
        double[][] result = IrInterpreter.Run(graph, Batch, values, labels);
        int loss = graph.OutputsOf(OutputRole.Loss).Single().Node;
        return graph[loss].Batched ? result[loss].Sum() : result[loss][0] * Batch;
    }
}
