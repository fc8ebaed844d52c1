using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Ir;

namespace Dsl.Generator.Tests.Autodiff;

/// <summary>
/// Evaluates an IR graph in double precision, op by op, with the plainest possible loops: the
/// oracle the derivative rules are checked with. A batched value holds <c>B</c> rows of its
/// per-example size; an unbatched value one row, which broadcasts over the batch.
/// </summary>
internal sealed class IrInterpreter
{
    private readonly Graph _graph;
    private readonly int _batch;
    private readonly double[][] _values;

    private IrInterpreter(Graph graph, int batch)
    {
        _graph = graph;
        _batch = batch;
        _values = new double[graph.Nodes.Count][];
    }

    /// <summary>
    /// Runs <paramref name="graph"/> on a batch. Float inputs and parameters come from
    /// <paramref name="values"/> by name, labels from <paramref name="labels"/>; the loss seed is 1
    /// per example (a sum over the batch, not a mean).
    /// </summary>
    public static double[][] Run(Graph graph, int batch, IReadOnlyDictionary<string, double[]> values, IReadOnlyDictionary<string, int[]>? labels = null)
    {
        var interpreter = new IrInterpreter(graph, batch);
        foreach (Node node in graph.Nodes)
            interpreter._values[node.Id] = interpreter.Evaluate(node, values, labels);
        return interpreter._values;
    }

    private int Rows(Node node) => node.Batched ? _batch : 1;

    /// <summary>Element j of row b of a value, broadcasting unbatched values and scalars.</summary>
    private double At(int id, int b, int j)
    {
        Node node = _graph[id];
        int size = node.Shape.Size;
        int row = node.Batched ? b : 0;
        return _values[id][row * size + (size == 1 ? 0 : j)];
    }

    /// <summary>
    /// Fused attention of example b by its definition, per head: P = softmax(q·kᵀ/√dh) over the visible
    /// keys, dropped with the program's mask at seed 0 and step 0 (position (b·H + h)·T·T + i·T + j of the
    /// weights), y = P̃·v; its VJP, with ȳ the second input, written out: dP = drop(ȳ·vᵀ),
    /// dS = P ⊙ (dP − Σ P⊙dP), q̄ = dS·k/√dh, k̄ = dSᵀ·q/√dh, v̄ = P̃ᵀ·ȳ.
    /// </summary>
    private void Attention(Node node, int a, int b, Span<double> row)
    {
        Node qkv = _graph[a];
        int heads = node.Attributes[0], length = qkv.Shape[0], d = qkv.Shape[1] / 3, dh = d / heads, w = 3 * d;
        bool causal = node.Attributes[1] != 0, backward = node.Op == OpKind.AttentionBackward;
        double scale = 1 / Math.Sqrt(dh), p = node.Constant;
        uint site = uint.Parse(node.Name!, System.Globalization.CultureInfo.InvariantCulture);
        uint threshold = global::Dsl.Kernels.DropoutKernels.Threshold((float)p);
        double keep = global::Dsl.Kernels.DropoutKernels.Scale((float)p);
        double X(int t, int part, int h, int c) => At(a, b, t * w + part * d + h * dh + c);
        double G(int t, int h, int c) => At(node.Inputs[1], b, t * d + h * dh + c);
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < length; i++)
            {
                int visible = causal ? i + 1 : length;
                var weights = new double[visible];
                var factor = new double[visible];
                for (int j = 0; j < visible; j++)
                {
                    for (int c = 0; c < dh; c++) weights[j] += scale * X(i, 0, h, c) * X(j, 1, h, c);
                    ulong position = (ulong)((((b * heads) + h) * length + i) * length + j);
                    factor[j] = p == 0 ? 1 : global::Dsl.Kernels.DropoutKernels.Keeps(0, site, 0, position, threshold) ? keep : 0;
                }
                double max = weights.Max(), total = weights.Sum(s => Math.Exp(s - max));
                for (int j = 0; j < visible; j++) weights[j] = Math.Exp(weights[j] - max) / total;
                if (!backward)
                {
                    for (int j = 0; j < visible; j++)
                        for (int c = 0; c < dh; c++) row[i * d + h * dh + c] += weights[j] * factor[j] * X(j, 2, h, c);
                    continue;
                }

                var dp = new double[visible];
                for (int j = 0; j < visible; j++)
                    for (int c = 0; c < dh; c++) dp[j] += G(i, h, c) * X(j, 2, h, c) * factor[j];
                double dot = Enumerable.Range(0, visible).Sum(j => weights[j] * dp[j]);
                for (int j = 0; j < visible; j++)
                {
                    double ds = weights[j] * (dp[j] - dot);
                    for (int c = 0; c < dh; c++)
                    {
                        row[i * w + h * dh + c] += scale * ds * X(j, 1, h, c);
                        row[j * w + d + h * dh + c] += scale * ds * X(i, 0, h, c);
                        row[j * w + 2 * d + h * dh + c] += weights[j] * factor[j] * G(i, h, c);
                    }
                }
            }
    }

    private double[] Evaluate(Node node, IReadOnlyDictionary<string, double[]> values, IReadOnlyDictionary<string, int[]>? labels)
    {
        int rows = Rows(node), size = node.Shape.Size;
        var y = new double[rows * size];
        switch (node.Op)
        {
            case OpKind.Input:
            case OpKind.Parameter:
                return values[node.Name!].ToArray();
            case OpKind.LabelInput:
                return labels![node.Name!].Select(l => (double)l).ToArray();
            case OpKind.Constant:
                return new[] { node.Constant };
            case OpKind.LossSeed:
                return Enumerable.Repeat(1.0, rows).ToArray();
        }

        for (int b = 0; b < rows; b++)
        {
            Span<double> row = y.AsSpan(b * size, size);
            if (OpGroups.IsElementwise(node.Op) && node.Op != OpKind.Dropout)
            {
                for (int j = 0; j < size; j++)
                    row[j] = Elementwise(node, b, j);
                continue;
            }
            if (node.Op == OpKind.CausalMask)
            {
                int n = node.Shape[0];
                for (int k = 0; k < size; k++) row[k] = k % n <= k / n ? 1 : 0;
                continue;
            }
            if (OpGroups.IsMovement(node.Op))
            {
                for (int k = 0; k < size; k++) row[k] = Moved(node, b, k);
                continue;
            }
            int a = node.Inputs[0];
            Node first = _graph[a];
            switch (node.Op)
            {
                case OpKind.Sum:
                    for (int j = 0; j < first.Shape.Size; j++) row[0] += At(a, b, j);
                    break;
                case OpKind.BatchCountScale:
                    for (int j = 0; j < size; j++) row[j] = At(a, b, j) / (_batch * node.Attributes[0] + node.Attributes[1]);
                    break;
                case OpKind.BatchSum:
                    for (int r = 0; r < _batch; r++)
                        for (int j = 0; j < size; j++) row[j] += At(a, r, j);
                    break;
                case OpKind.SumLast:
                    for (int r = 0; r < size; r++)
                        for (int j = 0; j < first.Shape.Last; j++) row[r] += At(a, b, r * first.Shape.Last + j);
                    break;
                case OpKind.SumLeading:
                    for (int r = 0; r < first.Shape.Rows; r++)
                        for (int j = 0; j < size; j++) row[j] += At(a, b, r * size + j);
                    break;
                case OpKind.ExpandLast:
                    for (int k = 0; k < size; k++) row[k] = At(a, b, k / node.Shape.Last);
                    break;
                case OpKind.Tile:
                    for (int k = 0; k < size; k++) row[k] = At(a, b, k % node.Shape.Last);
                    break;
                case OpKind.Linear:
                {
                    int outer = first.Shape[0], inner = first.Shape[1];
                    for (int r = 0; r < node.Shape.Rows; r++)
                        for (int o = 0; o < outer; o++)
                            for (int i = 0; i < inner; i++) row[r * outer + o] += At(a, b, o * inner + i) * At(node.Inputs[1], b, r * inner + i);
                    break;
                }
                case OpKind.LinearTranspose:
                {
                    int outer = first.Shape[0], inner = first.Shape[1];
                    for (int r = 0; r < node.Shape.Rows; r++)
                        for (int o = 0; o < outer; o++)
                            for (int i = 0; i < inner; i++) row[r * inner + i] += At(a, b, o * inner + i) * At(node.Inputs[1], b, r * outer + o);
                    break;
                }
                case OpKind.OuterBatchSum:
                {
                    int outer = first.Shape.Last, inner = _graph[node.Inputs[1]].Shape.Last;
                    for (int e = 0; e < Rows(first); e++)
                        for (int r = 0; r < first.Shape.Rows; r++)
                            for (int o = 0; o < outer; o++)
                                for (int i = 0; i < inner; i++) row[o * inner + i] += At(a, e, r * outer + o) * At(node.Inputs[1], e, r * inner + i);
                    break;
                }
                case OpKind.MatMul:
                {
                    Node second = _graph[node.Inputs[1]];
                    bool ta = node.Attributes[0] != 0, tb = node.Attributes[1] != 0;
                    int m = node.Shape[node.Shape.Rank - 2], n = node.Shape.Last, k = first.Shape[first.Shape.Rank - (ta ? 2 : 1)];
                    int count = node.Shape.Size / (m * n);
                    for (int l = 0; l < count; l++)
                    {
                        int la = first.Shape.Rank > 2 ? l * m * k : 0, lb = second.Shape.Rank > 2 ? l * k * n : 0;
                        for (int i = 0; i < m; i++)
                            for (int j = 0; j < n; j++)
                                for (int p = 0; p < k; p++)
                                    row[l * m * n + i * n + j] += At(a, b, la + (ta ? p * m + i : i * k + p)) * At(node.Inputs[1], b, lb + (tb ? j * k + p : p * n + j));
                    }
                    break;
                }
                case OpKind.Im2Col:
                case OpKind.Col2Im:
                {
                    // Every (position, tap) of the window over the image, as the definition reads it.
                    bool forward = node.Op == OpKind.Im2Col;
                    Shape image = forward ? first.Shape : node.Shape;
                    var w = ConvolutionGeometry.Of(node);
                    int c = image[0], h = image[1], wd = image[2], oh = w.OutputHeight(h), ow = w.OutputWidth(wd);
                    int taps = c * w.KernelHeight * w.KernelWidth;
                    for (int p = 0; p < oh * ow; p++)
                        for (int ch = 0; ch < c; ch++)
                            for (int i = 0; i < w.KernelHeight; i++)
                                for (int j = 0; j < w.KernelWidth; j++)
                                {
                                    int yy = p / ow * w.StrideHeight - w.PadHeight + i * w.DilationHeight;
                                    int xx = p % ow * w.StrideWidth - w.PadWidth + j * w.DilationWidth;
                                    if (yy < 0 || yy >= h || xx < 0 || xx >= wd) continue;
                                    int col = p * taps + (ch * w.KernelHeight + i) * w.KernelWidth + j, pixel = (ch * h + yy) * wd + xx;
                                    if (forward) row[col] = At(a, b, pixel);
                                    else row[pixel] += At(a, b, col);
                                }
                    break;
                }
                case OpKind.Convolution:
                case OpKind.ConvolutionInputGrad:
                case OpKind.ConvolutionWeightGrad:
                {
                    // y[o, p] = Σ_t W[o, t]·x at tap t of position p, read from the definition: the
                    // input gradient adds W[o, t]·ȳ[o, p] into that pixel, the weight gradient sums
                    // ȳ[o, p]·x at tap t of p over the batch into W̄[o, t].
                    int second = node.Inputs[1];
                    Shape image = node.Op switch
                    {
                        OpKind.Convolution => _graph[second].Shape,
                        OpKind.ConvolutionInputGrad => node.Shape,
                        _ => _graph[second].Shape,
                    };
                    var w = ConvolutionGeometry.Of(node);
                    int c = image[0], h = image[1], wd = image[2], oh = w.OutputHeight(h), ow = w.OutputWidth(wd);
                    int taps = c * w.KernelHeight * w.KernelWidth, outChannels = first.Shape[0];
                    bool weightGrad = node.Op == OpKind.ConvolutionWeightGrad;
                    for (int e = weightGrad ? 0 : b; e < (weightGrad ? Rows(first) : b + 1); e++)
                        for (int o = 0; o < outChannels; o++)
                            for (int p = 0; p < oh * ow; p++)
                                for (int ch = 0; ch < c; ch++)
                                    for (int i = 0; i < w.KernelHeight; i++)
                                        for (int j = 0; j < w.KernelWidth; j++)
                                        {
                                            int yy = p / ow * w.StrideHeight - w.PadHeight + i * w.DilationHeight;
                                            int xx = p % ow * w.StrideWidth - w.PadWidth + j * w.DilationWidth;
                                            if (yy < 0 || yy >= h || xx < 0 || xx >= wd) continue;
                                            int t = (ch * w.KernelHeight + i) * w.KernelWidth + j, pixel = (ch * h + yy) * wd + xx;
                                            switch (node.Op)
                                            {
                                                case OpKind.Convolution: row[o * oh * ow + p] += At(a, e, o * taps + t) * At(second, e, pixel); break;
                                                case OpKind.ConvolutionInputGrad: row[pixel] += At(a, e, o * taps + t) * At(second, e, o * oh * ow + p); break;
                                                default: row[o * taps + t] += At(a, e, o * oh * ow + p) * At(second, e, pixel); break;
                                            }
                                        }
                    break;
                }
                case OpKind.MaxPool:
                case OpKind.MaxPoolBackward:
                case OpKind.AvgPool:
                case OpKind.AvgPoolBackward:
                {
                    // Each window of each channel, read from the definition: its real taps in window
                    // order; max pooling's tap is the first strictly largest score (scores are the
                    // first input), average pooling's share is 1/(kh·kw) of every tap.
                    Shape image = node.Op is OpKind.MaxPool or OpKind.AvgPool ? first.Shape : node.Shape;
                    var w = ConvolutionGeometry.Of(node);
                    int c = image[0], h = image[1], wd = image[2], oh = w.OutputHeight(h), ow = w.OutputWidth(wd);
                    int second = node.Inputs.Count > 1 ? node.Inputs[1] : a;
                    for (int ch = 0; ch < c; ch++)
                        for (int p = 0; p < oh * ow; p++)
                        {
                            var taps = new List<int>();
                            for (int i = 0; i < w.KernelHeight; i++)
                                for (int j = 0; j < w.KernelWidth; j++)
                                {
                                    int yy = p / ow * w.StrideHeight - w.PadHeight + i * w.DilationHeight;
                                    int xx = p % ow * w.StrideWidth - w.PadWidth + j * w.DilationWidth;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < wd)
                                        taps.Add((ch * h + yy) * wd + xx);
                                }
                            int output = ch * oh * ow + p;
                            switch (node.Op)
                            {
                                case OpKind.MaxPool or OpKind.MaxPoolBackward:
                                {
                                    int best = taps[0];
                                    foreach (int tap in taps)
                                        if (At(a, b, tap) > At(a, b, best)) best = tap;
                                    if (node.Op == OpKind.MaxPool) row[output] = At(second, b, best);
                                    else row[best] += At(second, b, output);
                                    break;
                                }
                                case OpKind.AvgPool:
                                    row[output] = taps.Sum(tap => At(a, b, tap)) / (w.KernelHeight * w.KernelWidth);
                                    break;
                                default:
                                    foreach (int tap in taps)
                                        row[tap] += At(a, b, output) / (w.KernelHeight * w.KernelWidth);
                                    break;
                            }
                        }
                    break;
                }
                case OpKind.AdaptiveMaxPool:
                case OpKind.AdaptiveMaxPoolBackward:
                case OpKind.AdaptiveAvgPool:
                case OpKind.AdaptiveAvgPoolBackward:
                {
                    // PyTorch's adaptive windows, computed here in floating point (aten's start_index
                    // and end_index): rows ⌊i·H/OH⌋ to ⌈(i+1)·H/OH⌉ − 1, columns likewise; max pooling's
                    // tap is the first strictly largest score in row-major order.
                    Shape image = node.Op is OpKind.AdaptiveMaxPool or OpKind.AdaptiveAvgPool ? first.Shape : node.Shape;
                    int c = image[0], h = image[1], wd = image[2], oh = node.Attributes[0], ow = node.Attributes[1];
                    int second = node.Inputs.Count > 1 ? node.Inputs[1] : a;
                    for (int ch = 0; ch < c; ch++)
                        for (int oy = 0; oy < oh; oy++)
                            for (int ox = 0; ox < ow; ox++)
                            {
                                int top = (int)Math.Floor(oy * (double)h / oh), bottom = (int)Math.Ceiling((oy + 1) * (double)h / oh);
                                int left = (int)Math.Floor(ox * (double)wd / ow), right = (int)Math.Ceiling((ox + 1) * (double)wd / ow);
                                var taps = new List<int>();
                                for (int yy = top; yy < bottom; yy++)
                                    for (int xx = left; xx < right; xx++)
                                        taps.Add((ch * h + yy) * wd + xx);
                                int output = (ch * oh + oy) * ow + ox;
                                switch (node.Op)
                                {
                                    case OpKind.AdaptiveMaxPool or OpKind.AdaptiveMaxPoolBackward:
                                    {
                                        int best = taps[0];
                                        foreach (int tap in taps)
                                            if (At(a, b, tap) > At(a, b, best)) best = tap;
                                        if (node.Op == OpKind.AdaptiveMaxPool) row[output] = At(second, b, best);
                                        else row[best] += At(second, b, output);
                                        break;
                                    }
                                    case OpKind.AdaptiveAvgPool:
                                        row[output] = taps.Sum(tap => At(a, b, tap)) / taps.Count;
                                        break;
                                    default:
                                        foreach (int tap in taps)
                                            row[tap] += At(a, b, output) / taps.Count;
                                        break;
                                }
                            }
                    break;
                }
                case OpKind.SplitHeads:
                case OpKind.MergeHeads:
                {
                    bool split = node.Op == OpKind.SplitHeads;
                    Shape heads = split ? node.Shape : first.Shape;
                    int part = node.Attributes[split ? 1 : 0], parts = node.Attributes[split ? 2 : 1];
                    int h = heads[0], length = heads[1], dh = heads[2], width = parts * h * dh;
                    for (int head = 0; head < h; head++)
                        for (int t = 0; t < length; t++)
                            for (int j = 0; j < dh; j++)
                            {
                                int inHeads = (head * length + t) * dh + j, inRows = t * width + (part * h + head) * dh + j;
                                if (split) row[inHeads] = At(a, b, inRows);
                                else row[inRows] = At(a, b, inHeads);
                            }
                    break;
                }
                case OpKind.CausalSoftmax:
                {
                    int n = first.Shape.Last;
                    for (int r = 0; r < first.Shape.Rows; r++)
                    {
                        int visible = r % n + 1;
                        double max = Enumerable.Range(0, visible).Max(j => At(a, b, r * n + j));
                        double total = Enumerable.Range(0, visible).Sum(j => Math.Exp(At(a, b, r * n + j) - max));
                        for (int j = 0; j < visible; j++) row[r * n + j] = Math.Exp(At(a, b, r * n + j) - max) / total;
                    }
                    break;
                }
                case OpKind.Softmax:
                case OpKind.LogSoftmax:
                {
                    int n = first.Shape.Last;
                    for (int r = 0; r < first.Shape.Rows; r++)
                    {
                        double max = Enumerable.Range(0, n).Max(j => At(a, b, r * n + j));
                        double total = Enumerable.Range(0, n).Sum(j => Math.Exp(At(a, b, r * n + j) - max));
                        for (int j = 0; j < n; j++)
                            row[r * n + j] = node.Op == OpKind.Softmax ? Math.Exp(At(a, b, r * n + j) - max) / total : At(a, b, r * n + j) - max - Math.Log(total);
                    }
                    break;
                }
                case OpKind.CrossEntropy:
                {
                    int classes = first.Shape.Last;
                    for (int r = 0; r < first.Shape.Rows; r++)
                    {
                        int label = (int)At(node.Inputs[1], b, r);
                        double max = Enumerable.Range(0, classes).Max(j => At(a, b, r * classes + j));
                        double total = Enumerable.Range(0, classes).Sum(j => Math.Exp(At(a, b, r * classes + j) - max));
                        row[r] = max + Math.Log(total) - At(a, b, r * classes + label);
                    }
                    break;
                }
                case OpKind.CrossEntropyGrad:
                {
                    int classes = first.Shape.Last;
                    bool perRow = !_graph[node.Inputs[2]].Shape.IsScalar;
                    for (int r = 0; r < first.Shape.Rows; r++)
                    {
                        int label = (int)At(node.Inputs[1], b, r);
                        double weight = At(node.Inputs[2], b, perRow ? r : 0);
                        double max = Enumerable.Range(0, classes).Max(j => At(a, b, r * classes + j));
                        double total = Enumerable.Range(0, classes).Sum(j => Math.Exp(At(a, b, r * classes + j) - max));
                        for (int j = 0; j < classes; j++)
                            row[r * classes + j] = weight * (Math.Exp(At(a, b, r * classes + j) - max) / total - (j == label ? 1 : 0));
                    }
                    break;
                }
                case OpKind.LayerNormBackward:
                {
                    int n = first.Shape.Last;
                    for (int r = 0; r < first.Shape.Rows; r++)
                    {
                        double X(int j) => At(a, b, r * n + j);
                        double G(int j) => At(node.Inputs[2], b, r * n + j);
                        double scale = At(node.Inputs[1], b, r);
                        double meanG = Enumerable.Range(0, n).Average(G), meanGx = Enumerable.Range(0, n).Average(j => G(j) * X(j));
                        for (int j = 0; j < n; j++) row[r * n + j] = scale * (G(j) - meanG - X(j) * meanGx);
                    }
                    break;
                }
                case OpKind.Dropout:
                {
                    // The program's mask at seed 0 and step 0: element j of example b is stream position b·size + j.
                    uint site = uint.Parse(node.Name!, System.Globalization.CultureInfo.InvariantCulture);
                    uint threshold = global::Dsl.Kernels.DropoutKernels.Threshold((float)node.Constant);
                    double scale = global::Dsl.Kernels.DropoutKernels.Scale((float)node.Constant);
                    for (int j = 0; j < size; j++)
                        row[j] = global::Dsl.Kernels.DropoutKernels.Keeps(0, site, 0, (ulong)((node.Batched ? b * size : 0) + j), threshold) ? At(a, b, j) * scale : 0;
                    break;
                }
                case OpKind.Attention:
                case OpKind.AttentionBackward:
                    Attention(node, a, b, row);
                    break;
                case OpKind.LayerNorm:
                case OpKind.LayerNormScale:
                {
                    int n = first.Shape.Last;
                    for (int r = 0; r < first.Shape.Rows; r++)
                    {
                        double mean = Enumerable.Range(0, n).Average(j => At(a, b, r * n + j));
                        double variance = Enumerable.Range(0, n).Average(j => (At(a, b, r * n + j) - mean) * (At(a, b, r * n + j) - mean));
                        double inverse = 1 / Math.Sqrt(variance + 1e-5);
                        double Normalised(int j) => (At(a, b, r * n + j) - mean) * inverse;
                        if (node.Op == OpKind.LayerNormScale)
                        {
                            row[r] = inverse;
                            continue;
                        }
                        for (int j = 0; j < n; j++) row[r * n + j] = Normalised(j);
                    }
                    break;
                }
                case OpKind.Gather:
                {
                    int width = first.Shape[1];
                    for (int r = 0; r < node.Shape.Rows; r++)
                        for (int j = 0; j < width; j++) row[r * width + j] = At(a, b, (int)At(node.Inputs[1], b, r) * width + j);
                    break;
                }
                case OpKind.ScatterAdd:
                {
                    Node added = _graph[node.Inputs[1]];
                    int width = node.Shape.Last;
                    for (int e = 0; e < Rows(added); e++)
                        for (int r = 0; r < added.Shape.Rows; r++)
                            for (int j = 0; j < width; j++) row[(int)At(a, e, r) * width + j] += At(node.Inputs[1], e, r * width + j);
                    break;
                }
                case OpKind.OneHot:
                    for (int r = 0; r < first.Shape.Size; r++)
                        row[r * node.Shape.Last + (int)At(a, b, r)] = 1;
                    break;
                case OpKind.Accuracy:
                {
                    int classes = first.Shape.Last;
                    for (int r = 0; r < first.Shape.Rows; r++)
                    {
                        int best = 0;
                        for (int j = 1; j < classes; j++) if (At(a, b, r * classes + j) > At(a, b, r * classes + best)) best = j;
                        row[r] = best == (int)At(node.Inputs[1], b, r) ? 1 : 0;
                    }
                    break;
                }
                case OpKind.GatherLast:
                {
                    int n = first.Shape.Last, k = node.Shape.Last;
                    for (int r = 0; r < node.Shape.Rows; r++)
                        for (int j = 0; j < k; j++) row[r * k + j] = At(a, b, r * n + (int)At(node.Inputs[1], b, r * k + j));
                    break;
                }
                case OpKind.ScatterLast:
                {
                    int n = node.Shape.Last, k = first.Shape.Last;
                    for (int r = 0; r < node.Shape.Rows; r++)
                        for (int j = 0; j < k; j++) row[r * n + (int)At(a, b, r * k + j)] += At(node.Inputs[1], b, r * k + j);
                    break;
                }
                case OpKind.ArgMaxLast:
                case OpKind.ArgMaxMask:
                {
                    // The first largest value of each row (no NaNs in these checks).
                    int width = first.Shape.Last;
                    for (int r = 0; r < first.Shape.Rows; r++)
                    {
                        int best = 0;
                        for (int j = 1; j < width; j++) if (At(a, b, r * width + j) > At(a, b, r * width + best)) best = j;
                        if (node.Op == OpKind.ArgMaxLast) row[r] = best;
                        else row[r * width + best] = 1;
                    }
                    break;
                }
                default:
                    throw new NotSupportedException(node.Op.ToString());
            }
        }
        return y;
    }

    private double Elementwise(Node node, int b, int j)
    {
        double x = At(node.Inputs[0], b, j);
        double Second() => At(node.Inputs[1], b, j);
        return node.Op switch
        {
            OpKind.Negate => -x,
            OpKind.Exp => Math.Exp(x),
            OpKind.Log => Math.Log(x),
            OpKind.Tanh => Math.Tanh(x),
            OpKind.Sigmoid => 1 / (1 + Math.Exp(-x)),
            OpKind.Relu => Math.Max(x, 0),
            OpKind.Gelu => Gelu(x),
            OpKind.SquareRoot => Math.Sqrt(x),
            OpKind.Rsqrt => 1 / Math.Sqrt(x),
            OpKind.Absolute => Math.Abs(x),
            OpKind.Signum => x > 0 ? 1 : x < 0 ? -1 : 0,
            OpKind.Step => x > 0 ? 1 : 0,
            OpKind.GeluDerivative => NormalCdf(x) + x * Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI),
            OpKind.NormalCdf => NormalCdf(x),
            OpKind.Add => x + Second(),
            OpKind.Subtract => x - Second(),
            OpKind.Multiply => x * Second(),
            OpKind.Divide => x / Second(),
            OpKind.Maximum => Math.Max(x, Second()),
            OpKind.Minimum => Math.Min(x, Second()),
            OpKind.Broadcast => x,
            OpKind.Where => x != 0 ? Second() : At(node.Inputs[2], b, j),
            _ => throw new NotSupportedException(node.Op.ToString()),
        };
    }

    /// <summary>Element k of row b of a movement op, read from where its input holds it (multi-indices, no strides cleverness).</summary>
    private double Moved(Node node, int b, int k)
    {
        int[] index = Unflatten(node.Shape, k);
        switch (node.Op)
        {
            case OpKind.Reshape:
                return At(node.Inputs[0], b, k);
            case OpKind.Transpose:
                (index[node.Attributes[0]], index[node.Attributes[1]]) = (index[node.Attributes[1]], index[node.Attributes[0]]);
                return At(node.Inputs[0], b, Flatten(_graph[node.Inputs[0]].Shape, index));
            case OpKind.Slice:
                index[node.Attributes[0]] += node.Attributes[1];
                return At(node.Inputs[0], b, Flatten(_graph[node.Inputs[0]].Shape, index));
            case OpKind.Concat:
            {
                int axis = node.Attributes[0];
                foreach (int part in node.Inputs)
                {
                    Shape shape = _graph[part].Shape;
                    if (index[axis] < shape[axis]) return At(part, b, Flatten(shape, index));
                    index[axis] -= shape[axis];
                }
                throw new InvalidOperationException("concat index past its parts");
            }
            default:
                throw new NotSupportedException(node.Op.ToString());
        }
    }

    private static int[] Unflatten(Shape shape, int k)
    {
        var index = new int[shape.Rank];
        for (int d = shape.Rank - 1; d >= 0; d--)
        {
            index[d] = k % shape[d];
            k /= shape[d];
        }
        return index;
    }

    private static int Flatten(Shape shape, int[] index)
    {
        int k = 0;
        for (int d = 0; d < shape.Rank; d++) k = k * shape[d] + index[d];
        return k;
    }

    /// <summary>The eager reference's exact GELU, x·Φ(x), in double.</summary>
    public static double Gelu(double x) => Dsl.Ops.Gelu(Dsl.Tensor.Scalar(x)).Item();

    /// <summary>Φ(x), read off GELU (x·Φ(x)) so the two agree to rounding.</summary>
    public static double NormalCdf(double x) => x == 0 ? 0.5 : Gelu(x) / x;
}
