using System;
using System.Collections.Generic;
using System.Globalization;
using Dsl.Generator.Common;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Emit.CSharp;
using Dsl.Generator.Emit.Onnx;
using Dsl.Generator.Ir;
using Dsl.Generator.Lowering;
using Dsl.Generator.Parsing;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Layers;

/// <summary>
/// <c>[BatchNorm2d]</c> over images [C, H, W] and <c>[BatchNorm1d]</c> over [C] or [C, L]:
/// nn.BatchNorm2d/1d(C, eps, momentum, affine, track_running_stats), with PyTorch's defaults
/// (ε = 1e-5, momentum 0.1, affine, tracking running statistics). C is inferred from the input's first axis.
/// </summary>
/// <param name="Momentum">running = (1 − m)·running + m·batch statistic.</param>
/// <param name="Epsilon">Added to the variance before its square root.</param>
/// <param name="Affine">Whether the layer has a weight and a bias.</param>
/// <param name="TrackRunningStats">Whether it keeps running statistics; without, the batch's normalise in evaluation too.</param>
/// <param name="CumulativeAverage">PyTorch's momentum=None: m = 1/n for the n-th batch tracked, so the running statistics are the average of every batch's.</param>
internal sealed record BatchNormLayer(bool TwoDimensional, double Momentum = BatchNormLayer.DefaultMomentum, double Epsilon = BatchNormLayer.DefaultEpsilon,
    bool Affine = true, bool TrackRunningStats = true, bool CumulativeAverage = false) : LayerKind
{
    /// <summary>nn.BatchNorm's default ε, added to the variance.</summary>
    public const double DefaultEpsilon = 1e-5;

    /// <summary>nn.BatchNorm's default momentum.</summary>
    public const double DefaultMomentum = 0.1;

    public override string Name => TwoDimensional ? "BatchNorm2d" : "BatchNorm1d";

    public static LayerKind? Parse2d(LayerAttributeReader a) => Parse(a, true);

    public static LayerKind? Parse1d(LayerAttributeReader a) => Parse(a, false);

    /// <summary>
    /// The named arguments; a momentum outside [0, 1], a momentum given with the cumulative average
    /// (PyTorch's momentum=None has no momentum) or an ε that is not positive and finite is DSL0134.
    /// </summary>
    private static LayerKind? Parse(LayerAttributeReader a, bool twoDimensional)
    {
        bool cumulative = a.NamedBool("CumulativeAverage", false);
        if (!a.TryNamedDouble("Momentum", DefaultMomentum, m => m >= 0 && m <= 1, DiagnosticDescriptors.InvalidBatchNormArgument, "between 0 and 1", out double momentum)
            || !a.TryNamedDouble("Momentum", DefaultMomentum, m => !cumulative, DiagnosticDescriptors.InvalidBatchNormArgument, "left out with CumulativeAverage = true", out _)
            || !a.TryNamedDouble("Eps", DefaultEpsilon, e => e > 0 && !double.IsInfinity(e), DiagnosticDescriptors.InvalidBatchNormArgument, "positive and finite", out double epsilon))
            return null;
        return new BatchNormLayer(twoDimensional, momentum, epsilon, a.NamedBool("Affine", true), a.NamedBool("TrackRunningStats", true), cumulative);
    }

    private string Expected => TwoDimensional ? "an image [C, H, W]" : "a vector [C] or a sequence [C, L]";

    /// <summary>
    /// Per channel c, over the batch and the other axes: in the [TrainingStep] the batch mean and
    /// biased variance normalise, and the running statistics take the unbiased variance (buffer
    /// updates the step stores); elsewhere (eval mode) the running statistics normalise.
    /// <c>y = (x − mean)·(weight/√(var + ε)) + bias</c>.
    /// </summary>
    public override Value Lower(EntryLowering lowering, CallExpression call, LayerSpec layer, Value input)
    {
        GraphBuilder g = lowering.Graph;
        int x = lowering.TensorOf(input, call.Arguments[0], layer.MethodName, 1);
        Shape shape = g[x].Shape;
        if (TwoDimensional ? shape.Rank != 3 : shape.Rank is not (1 or 2))
            return lowering.Report(DiagnosticDescriptors.BadRank, call.Arguments[0].Location, Name + " layer '" + layer.MethodName + "'", Expected, shape);
        if (!lowering.BindLayerInput(layer, shape, call.Location))
            return ErrorValue.Instance;

        Shape vector = Shape.Of(shape[0]);
        string prefix = layer.ParameterName + ".";
        int? weight = Affine ? g.Parameter(prefix + "weight", vector) : null, bias = Affine ? g.Parameter(prefix + "bias", vector) : null;
        // Without running statistics, the batch's normalise in every entry, as PyTorch's eval() does then.
        if (!TrackRunningStats)
            return new TensorValue(Train(g, x, weight, bias, layer.MethodName, Epsilon).Output);
        if (!lowering.IsTrainingStep)
        {
            int mean = lowering.ReadBuffer(prefix + "running_mean", vector), variance = lowering.ReadBuffer(prefix + "running_var", vector);
            return new TensorValue(Normalize(g, x, mean, variance, weight, bias, Epsilon).Output);
        }

        BatchStatistics batch = Train(g, x, weight, bias, layer.MethodName, Epsilon);
        // The running statistics, as torch.nn.functional.batch_norm updates them in training. A
        // momentum's constants come first, as they did before the cumulative average, so the
        // programs keep their order.
        int keep = CumulativeAverage ? -1 : g.Constant(1 - Momentum), take = CumulativeAverage ? -1 : g.Constant(Momentum);
        int runningMean = lowering.ReadBuffer(prefix + "running_mean", vector);
        int runningVar = lowering.ReadBuffer(prefix + "running_var", vector);
        int tracked = lowering.ReadBuffer(prefix + "num_batches_tracked", Shape.Scalar);
        if (CumulativeAverage)
        {
            // momentum=None: nn.BatchNorm's factor 1/num_batches_tracked, the count after this batch.
            take = g.Divide(g.Constant(1), g.Add(tracked, g.Constant(1)));
            keep = g.Subtract(g.Constant(1), take);
        }
        lowering.WriteBuffer(prefix + "running_mean", g.Add(g.Multiply(keep, runningMean), g.Multiply(take, batch.Mean)));
        lowering.WriteBuffer(prefix + "running_var", g.Add(g.Multiply(keep, runningVar), g.Multiply(take, batch.UnbiasedVariance)));
        lowering.WriteBuffer(prefix + "num_batches_tracked", g.Add(tracked, g.Constant(1)));
        return new TensorValue(batch.Output);
    }

    /// <summary>What a training-mode BatchNorm computes: its output, and the batch statistics the running ones take.</summary>
    internal sealed record BatchStatistics(int Output, int Mean, int UnbiasedVariance);

    /// <summary>
    /// Training mode on x [C], [C, L] or [C, H, W]: each channel's mean and biased variance over the
    /// batch and the other axes normalise; the unbiased variance is returned for the running one.
    /// The gradients are those of these ops (the standard batch-norm backward, through the batch sums).
    /// </summary>
    internal static BatchStatistics Train(GraphBuilder g, int x, int? weight, int? bias, string layer, double epsilon = DefaultEpsilon)
    {
        Shape shape = g[x].Shape;
        int perChannel = shape.Size / shape[0];
        int rows = Rows(g, x);
        int BatchTotal(int value) => g.BatchSum(shape.Rank == 1 ? value : g.SumLast(value));
        int mean = g.BatchCountScale(BatchTotal(rows), perChannel, 0, layer);
        int centred = g.Subtract(rows, Spread(g, shape, mean));
        int squares = BatchTotal(g.Multiply(centred, centred));
        int variance = g.BatchCountScale(squares, perChannel, 0, layer);
        int y = Shift(g, shape, g.Multiply(centred, Spread(g, shape, Scale(g, variance, weight, epsilon))), bias);
        return new BatchStatistics(shape.Rank == 3 ? g.Reshape(y, shape) : y, mean, g.BatchCountScale(squares, perChannel, -1, layer));
    }

    /// <summary>Eval mode: <c>(x − mean)·(weight/√(variance + ε)) + bias</c> with given (running) statistics [C].</summary>
    internal static BatchStatistics Normalize(GraphBuilder g, int x, int mean, int variance, int? weight, int? bias, double epsilon = DefaultEpsilon)
    {
        Shape shape = g[x].Shape;
        // The scale first: the nodes keep the order they had before the layer took arguments, so the programs do too.
        int scale = Scale(g, variance, weight, epsilon);
        int y = Shift(g, shape, g.Multiply(g.Subtract(Rows(g, x), Spread(g, shape, mean)), Spread(g, shape, scale)), bias);
        return new BatchStatistics(shape.Rank == 3 ? g.Reshape(y, shape) : y, mean, variance);
    }

    /// <summary>weight/√(variance + ε) per channel, or 1/√(variance + ε) without a weight.</summary>
    private static int Scale(GraphBuilder g, int variance, int? weight, double epsilon)
    {
        int inverse = g.Unary(OpKind.Rsqrt, g.Add(variance, g.Constant(epsilon)));
        return weight is { } w ? g.Multiply(w, inverse) : inverse;
    }

    /// <summary>The normalised rows plus the bias spread along them, or the rows themselves without a bias.</summary>
    private static int Shift(GraphBuilder g, Shape shape, int normalised, int? bias) =>
        bias is { } b ? g.Add(normalised, Spread(g, shape, b)) : normalised;

    /// <summary>One channel's values as a row, [C, H·W] or [C, L]; a [C] input is its own.</summary>
    private static int Rows(GraphBuilder g, int x)
    {
        Shape shape = g[x].Shape;
        return shape.Rank == 3 ? g.Reshape(x, Shape.Of(shape[0], shape.Size / shape[0])) : x;
    }

    /// <summary>A per-channel value [C] repeated along each channel's row.</summary>
    private static int Spread(GraphBuilder g, Shape shape, int perChannel) =>
        shape.Rank == 1 ? perChannel : g.ExpandLast(perChannel, shape.Size / shape[0]);

    /// <summary>
    /// nn.BatchNorm's state_dict: weight (ones), bias (zeros) when affine, then, when it tracks running
    /// statistics, the buffers running_mean (zeros), running_var (ones), num_batches_tracked (0).
    /// </summary>
    public override IEnumerable<LayerParameter> Parameters(ResolvedLayer layer)
    {
        Shape vector = Shape.Of(layer.Input[0]);
        if (Affine)
        {
            yield return new LayerParameter("weight", vector, 1, "Ones");
            yield return new LayerParameter("bias", vector, 1, "Zeros");
        }
        if (TrackRunningStats)
        {
            yield return new LayerParameter("running_mean", vector, 1, "Zeros", "Buffer");
            yield return new LayerParameter("running_var", vector, 1, "Ones", "Buffer");
            yield return new LayerParameter("num_batches_tracked", Shape.Scalar, 1, "Zeros", "CountBuffer");
        }
    }

    /// <summary>ONNX's BatchNormalization in evaluation: the running statistics and ε; none without running statistics.</summary>
    public override OnnxLayerRule? Onnx => TrackRunningStats
        ? (onnx, call) => OnnxLayerRules.BatchNormalization(onnx, call, Epsilon, Affine)
        : null; // the batch's statistics: the ops it lowers to

    /// <summary>The arguments that differ from PyTorch's defaults, as written: <c>(Eps = 0.001, Affine = false)</c>, or nothing.</summary>
    private string Arguments
    {
        get
        {
            var given = new List<string>();
            if (Momentum != DefaultMomentum) given.Add("Momentum = " + Momentum.ToString("R", CultureInfo.InvariantCulture));
            if (CumulativeAverage) given.Add("CumulativeAverage = true");
            if (Epsilon != DefaultEpsilon) given.Add("Eps = " + Epsilon.ToString("R", CultureInfo.InvariantCulture));
            if (!Affine) given.Add("Affine = false");
            if (!TrackRunningStats) given.Add("TrackRunningStats = false");
            return given.Count == 0 ? "" : "(" + string.Join(", ", given) + ")";
        }
    }

    /// <summary>The channels must agree; the other sizes may differ from call to call, as in PyTorch.</summary>
    public override bool SameInput(Shape bound, Shape input) => bound.Rank == input.Rank && bound[0] == input[0];

    public override Shape BoundInput(Shape bound) => Shape.Of(bound[0]);

    public override string InputText(ResolvedLayer layer) => layer.Input.ToString();

    public override Shape OutputShape(ResolvedLayer layer) => layer.Input;

    public override void WriteEagerBody(SourceWriter w, LayerSpec layer, ResolvedLayer? resolved, Func<string, string> parameter)
    {
        string c = resolved is null ? "C" : resolved.Input[0].ToString(CultureInfo.InvariantCulture);
        string weight = Affine ? parameter("weight") : "null", bias = Affine ? parameter("bias") : "null";
        if (!TrackRunningStats)
        {
            OpenEagerBody(w, layer, $"// [{Name}{Arguments}] {layer.MethodName} over {c} channels, run eagerly on the reference Tensor: without running statistics, the example's own (a batch of one) normalise.");
            w.Line($"{TypeNames.EagerLayers}.BatchNormOfExample({layer.InputName}, {weight}, {bias}, {Epsilon.ToString("R", CultureInfo.InvariantCulture)});");
        }
        else if (Affine && Epsilon == DefaultEpsilon)
        {
            OpenEagerBody(w, layer, $"// [{Name}{Arguments}] {layer.MethodName} over {c} channels, run eagerly on the reference Tensor in eval mode (one example has no batch statistics): the running statistics normalise.");
            w.Line($"{TypeNames.EagerLayers}.BatchNorm({layer.InputName}, {weight}, {bias}, {parameter("running_mean")}, {parameter("running_var")});");
        }
        else
        {
            OpenEagerBody(w, layer, $"// [{Name}{Arguments}] {layer.MethodName} over {c} channels, run eagerly on the reference Tensor in eval mode (one example has no batch statistics): the running statistics normalise.");
            w.Line($"{TypeNames.EagerLayers}.BatchNorm({layer.InputName}, {weight}, {bias}, {parameter("running_mean")}, {parameter("running_var")}, {Epsilon.ToString("R", CultureInfo.InvariantCulture)});");
        }
        w.Unindent();
    }
}
