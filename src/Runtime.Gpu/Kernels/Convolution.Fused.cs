using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Dsl.Kernels;

// The fused per-example convolution (issue 19), PyTorch's slow_conv2d: one
// example's receptive fields, cols [C·kh·kw, OH·OW] (channels first, "unfold" layout), are built in
// a per-thread scratch (590 KB for 16 channels 3×3 over 32×32: it stays in L2) and used at once by
// a single-threaded product, instead of writing im2col of the whole batch out to memory and reading
// it back. The cores take whole examples; the output comes out channels first, [out, OH·OW].
// Stride 1 with AVX-512 takes the direct kernels instead (Convolution.Direct.cs): no columns at all.
public static unsafe partial class Convolution
{
    /// <summary>
    /// The weight gradient's partial sums: the batch is cut into this many fixed runs of examples
    /// (fewer for a smaller batch), each summed into its own partial, and the partials are added in
    /// order, so the result depends on the batch alone, never on how many threads ran.
    /// </summary>
    private const int WeightGradientPartials = 8;

    /// <summary>
    /// y[e] = W·cols(x[e]), [out, oh·ow] per example: y[e, o, p] = Σ_t W[o, t]·x[e] at tap t of
    /// position p (zero in the padding), t = (c·kh + i)·kw + j, PyTorch's weight layout.
    /// </summary>
    /// <param name="x">The images, [batch, channels, height, width].</param>
    /// <param name="weight">W, [out, channels·kh·kw].</param>
    /// <param name="y">The result, [batch, out, oh·ow] (overwritten).</param>
    /// <param name="batch">Examples.</param>
    /// <param name="channels">Channels of an image.</param>
    /// <param name="height">Rows of an image.</param>
    /// <param name="width">Columns of an image.</param>
    /// <param name="kernelHeight">kh.</param>
    /// <param name="kernelWidth">kw.</param>
    /// <param name="strideHeight">sh.</param>
    /// <param name="strideWidth">sw.</param>
    /// <param name="padHeight">ph.</param>
    /// <param name="padWidth">pw.</param>
    /// <param name="dilationHeight">dh.</param>
    /// <param name="dilationWidth">dw.</param>
    /// <param name="outChannels">out, the rows of W.</param>
    /// <param name="epilogue">
    /// Work fused into the call (the generated steps' bias add, activation and residual add), with y
    /// viewed as the matrix [batch·out·oh, ow], as the GEMM's epilogue views C: run on each example's
    /// rows, [e·out·oh, (e + 1)·out·oh) × [0, ow), as soon as that example is final and still in
    /// cache, on the thread that computed it.
    /// </param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need, or the geometry has no output.</exception>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> weight, Span<float> y, int batch, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels,
        GemmEpilogue? epilogue = null)
    {
        Geometry g = Geometry.Of(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        Fused f = Fused.Of(g, outChannels);
        Check(x.Length, (long)batch * g.ImageSize, nameof(x));
        Check(weight.Length, f.WeightSize, nameof(weight));
        Check(y.Length, (long)batch * f.OutputSize, nameof(y));
        fixed (float* px = x, pw = weight, py = y)
        {
            if (DirectFits(g))
            {
                DirectForward(px, pw, py, batch, f, epilogue);
                return;
            }

            var kernel = new ForwardExamples { X = px, W = pw, Y = py, F = f, Epilogue = epilogue };
            RowSplit.Run(kernel, batch, f.Work);
        }
    }

    /// <summary>
    /// x̄[e] = col2im(Wᵀ·ȳ[e]): each pixel gets Σ over the (position, tap) pairs that read it of
    /// Σ_o W[o, t]·ȳ[e, o, p]; <see cref="Forward"/>'s transpose in x.
    /// </summary>
    /// <param name="dy">ȳ, [batch, out, oh·ow].</param>
    /// <param name="weight">W, [out, channels·kh·kw].</param>
    /// <param name="dx">x̄, [batch, channels, height, width] (overwritten).</param>
    /// <param name="batch">Examples.</param>
    /// <param name="channels">Channels of an image.</param>
    /// <param name="height">Rows of an image.</param>
    /// <param name="width">Columns of an image.</param>
    /// <param name="kernelHeight">kh.</param>
    /// <param name="kernelWidth">kw.</param>
    /// <param name="strideHeight">sh.</param>
    /// <param name="strideWidth">sw.</param>
    /// <param name="padHeight">ph.</param>
    /// <param name="padWidth">pw.</param>
    /// <param name="dilationHeight">dh.</param>
    /// <param name="dilationWidth">dw.</param>
    /// <param name="outChannels">out, the rows of W.</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need, or the geometry has no output.</exception>
    public static void InputGradient(
        ReadOnlySpan<float> dy, ReadOnlySpan<float> weight, Span<float> dx, int batch, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels)
    {
        Geometry g = Geometry.Of(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        Fused f = Fused.Of(g, outChannels);
        Check(dy.Length, (long)batch * f.OutputSize, nameof(dy));
        Check(weight.Length, f.WeightSize, nameof(weight));
        Check(dx.Length, (long)batch * g.ImageSize, nameof(dx));
        fixed (float* pd = dy, pw = weight, px = dx)
        {
            if (DirectInputGradientFits(g))
            {
                DirectInputGradient(pd, pw, px, batch, f);
                return;
            }

            var kernel = new InputGradientExamples { Dy = pd, W = pw, Dx = px, F = f };
            RowSplit.Run(kernel, batch, f.Work);
        }
    }

    /// <summary>
    /// W̄ = Σ_e ȳ[e]·cols(x[e])ᵀ, [out, channels·kh·kw]: <see cref="Forward"/>'s transpose in W. The
    /// batch is summed in fixed runs of examples, then the runs in order, so the bits do not depend
    /// on the number of threads.
    /// </summary>
    /// <param name="dy">ȳ, [batch, out, oh·ow].</param>
    /// <param name="x">The images, [batch, channels, height, width].</param>
    /// <param name="dw">W̄, [out, channels·kh·kw] (overwritten).</param>
    /// <param name="batch">Examples.</param>
    /// <param name="channels">Channels of an image.</param>
    /// <param name="height">Rows of an image.</param>
    /// <param name="width">Columns of an image.</param>
    /// <param name="kernelHeight">kh.</param>
    /// <param name="kernelWidth">kw.</param>
    /// <param name="strideHeight">sh.</param>
    /// <param name="strideWidth">sw.</param>
    /// <param name="padHeight">ph.</param>
    /// <param name="padWidth">pw.</param>
    /// <param name="dilationHeight">dh.</param>
    /// <param name="dilationWidth">dw.</param>
    /// <param name="outChannels">out, the rows of W̄.</param>
    /// <exception cref="ArgumentException">A span is shorter than the counts need, or the geometry has no output.</exception>
    public static void WeightGradient(
        ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dw, int batch, int channels, int height, int width,
        int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, int padHeight, int padWidth, int dilationHeight, int dilationWidth, int outChannels)
    {
        Geometry g = Geometry.Of(channels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth, padHeight, padWidth, dilationHeight, dilationWidth);
        Fused f = Fused.Of(g, outChannels);
        Check(dy.Length, (long)batch * f.OutputSize, nameof(dy));
        Check(x.Length, (long)batch * g.ImageSize, nameof(x));
        Check(dw.Length, f.WeightSize, nameof(dw));
        int size = checked((int)f.WeightSize);
        if (batch == 0)
        {
            dw[..size].Clear();
            return;
        }

        int runs = Math.Min(batch, WeightGradientPartials);
        float* partials = ColumnScratch.Partials.Ensure(checked(runs * size));
        fixed (float* pd = dy, px = x)
        {
            if (DirectFits(g))
            {
                DirectWeightGradient(pd, px, partials, batch, runs, f);
            }
            else
            {
                var kernel = new WeightGradientRuns { Dy = pd, X = px, Partials = partials, F = f, Batch = batch, Runs = runs };
                RowSplit.Run(kernel, runs, f.Work * batch / runs);
            }
        }

        Span<float> result = dw[..size];
        new ReadOnlySpan<float>(partials, size).CopyTo(result);
        for (int r = 1; r < runs; r++)
            TensorPrimitives.Add(result, new ReadOnlySpan<float>(partials + (long)r * size, size), result);
    }

    /// <summary>A convolution's geometry with its output channels and the sizes derived from them.</summary>
    private readonly struct Fused
    {
        public readonly Geometry G;
        public readonly int OutChannels, Positions, Taps;

        private Fused(Geometry g, int outChannels)
        {
            G = g;
            OutChannels = outChannels;
            Positions = g.OutHeight * g.OutWidth;
            Taps = g.RowWidth;
        }

        public long WeightSize => (long)OutChannels * Taps;

        public long OutputSize => (long)OutChannels * Positions;

        /// <summary>One example's multiply-adds: what <see cref="RowSplit"/> weighs a unit by.</summary>
        public long Work => WeightSize * Positions;

        public int ColumnsSize => checked(Taps * Positions);

        public static Fused Of(Geometry g, int outChannels)
        {
            if (outChannels < 1)
                throw new ArgumentException($"A convolution needs at least one output channel (was {outChannels}).", nameof(outChannels));
            return new Fused(g, outChannels);
        }
    }

    /// <summary>The per-thread scratch: one example's columns, and the calling thread's weight-gradient partials.</summary>
    private static class ColumnScratch
    {
        [ThreadStatic]
        private static AlignedBuffer? t_columns;

        [ThreadStatic]
        private static AlignedBuffer? t_partials;

        public static AlignedBuffer Columns => t_columns ??= new AlignedBuffer();

        public static AlignedBuffer Partials => t_partials ??= new AlignedBuffer();
    }

    /// <summary>Units are examples: cols(x[e]) into the thread's scratch, then y[e] = W·cols.</summary>
    private struct ForwardExamples : IRowKernel
    {
        public float* X, W, Y;
        public Fused F;
        public GemmEpilogue? Epilogue;

        public readonly void Execute(int start, int end)
        {
            Fused f = F;
            float* cols = ColumnScratch.Columns.Ensure(f.ColumnsSize);
            for (int e = start; e < end; e++)
            {
                Unfold(X + e * f.G.ImageSize, cols, f.G);
                Gemm.Multiply(false, false, f.OutChannels, f.Positions, f.Taps,
                    new ReadOnlySpan<float>(W, (int)f.WeightSize), new ReadOnlySpan<float>(cols, f.ColumnsSize),
                    new Span<float>(Y + e * f.OutputSize, (int)f.OutputSize));
                Epilogue?.Invoke(e * f.OutChannels * f.G.OutHeight, (e + 1) * f.OutChannels * f.G.OutHeight, 0, f.G.OutWidth);
            }
        }
    }

    /// <summary>Units are examples: cols = Wᵀ·ȳ[e] into the thread's scratch, then folded into x̄[e].</summary>
    private struct InputGradientExamples : IRowKernel
    {
        public float* Dy, W, Dx;
        public Fused F;

        public readonly void Execute(int start, int end)
        {
            Fused f = F;
            float* cols = ColumnScratch.Columns.Ensure(f.ColumnsSize);
            for (int e = start; e < end; e++)
            {
                Gemm.Multiply(true, false, f.Taps, f.Positions, f.OutChannels,
                    new ReadOnlySpan<float>(W, (int)f.WeightSize), new ReadOnlySpan<float>(Dy + e * f.OutputSize, (int)f.OutputSize),
                    new Span<float>(cols, f.ColumnsSize));
                Fold(cols, Dx + e * f.G.ImageSize, f.G);
            }
        }
    }

    /// <summary>
    /// Units are the fixed runs of examples: run r sums ȳ[e]·cols(x[e])ᵀ over its examples, in
    /// order, into partial r.
    /// </summary>
    private struct WeightGradientRuns : IRowKernel
    {
        public float* Dy, X, Partials;
        public Fused F;
        public int Batch, Runs;

        public readonly void Execute(int start, int end)
        {
            Fused f = F;
            float* cols = ColumnScratch.Columns.Ensure(f.ColumnsSize);
            int size = (int)f.WeightSize;
            for (int r = start; r < end; r++)
            {
                int first = (int)((long)r * Batch / Runs), last = (int)((long)(r + 1) * Batch / Runs);
                var partial = new Span<float>(Partials + (long)r * size, size);
                for (int e = first; e < last; e++)
                {
                    Unfold(X + e * f.G.ImageSize, cols, f.G);
                    Gemm.Multiply(false, true, f.OutChannels, f.Taps, f.Positions,
                        new ReadOnlySpan<float>(Dy + e * f.OutputSize, (int)f.OutputSize), new ReadOnlySpan<float>(cols, f.ColumnsSize),
                        partial, accumulate: e > first);
                }
            }
        }
    }

    /// <summary>
    /// The output columns [first, last) whose tap at horizontal offset <paramref name="offset"/>
    /// (j·dw − pw) lands inside the row: 0 ≤ ox·sw + offset &lt; width.
    /// </summary>
    private static (int First, int Last) InsideColumns(int offset, in Geometry g)
    {
        int first = offset >= 0 ? 0 : (-offset + g.StrideWidth - 1) / g.StrideWidth;
        int reach = g.Width - 1 - offset;
        int last = reach < 0 ? 0 : Math.Min(g.OutWidth, reach / g.StrideWidth + 1);
        return (Math.Min(first, last), last);
    }

    /// <summary>
    /// cols[t, oy·ow + ox] = image[c, oy·sh − ph + i·dh, ox·sw − pw + j·dw] for t = (c·kh + i)·kw + j,
    /// zero in the padding: one example's receptive fields, channels first.
    /// </summary>
    private static void Unfold(float* image, float* cols, in Geometry g)
    {
        int positions = g.OutHeight * g.OutWidth, ow = g.OutWidth, sw = g.StrideWidth;
        float* row = cols;
        for (int c = 0; c < g.Channels; c++)
            for (int i = 0; i < g.KernelHeight; i++)
                for (int j = 0; j < g.KernelWidth; j++, row += positions)
                {
                    int offset = j * g.DilationWidth - g.PadWidth;
                    (int first, int last) = InsideColumns(offset, g);
                    for (int oy = 0; oy < g.OutHeight; oy++)
                    {
                        float* target = row + oy * ow;
                        int y = oy * g.StrideHeight - g.PadHeight + i * g.DilationHeight;
                        if ((uint)y >= (uint)g.Height)
                        {
                            new Span<float>(target, ow).Clear();
                            continue;
                        }

                        float* source = image + ((long)c * g.Height + y) * g.Width + offset;
                        for (int ox = 0; ox < first; ox++)
                            target[ox] = 0f;
                        if (sw == 1)
                            CopyRun(source + first, target + first, last - first);
                        else
                            for (int ox = first; ox < last; ox++)
                                target[ox] = source[ox * sw];
                        for (int ox = last; ox < ow; ox++)
                            target[ox] = 0f;
                    }
                }
    }

    // The runs below are one output row's taps (a few dozen floats): a span call's overhead per
    // run cost as much as the copy, so they are plain vector loops.

    /// <summary>target[q] = source[q] for q &lt; n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(float* source, float* target, int n)
    {
        int q = 0;
        for (; q <= n - Vector256<float>.Count; q += Vector256<float>.Count)
            Vector256.Store(Vector256.Load(source + q), target + q);
        for (; q < n; q++)
            target[q] = source[q];
    }

    /// <summary>target[q] += source[q] for q &lt; n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRun(float* source, float* target, int n)
    {
        int q = 0;
        for (; q <= n - Vector256<float>.Count; q += Vector256<float>.Count)
            Vector256.Store(Vector256.Load(target + q) + Vector256.Load(source + q), target + q);
        for (; q < n; q++)
            target[q] += source[q];
    }

    /// <summary>
    /// <see cref="Unfold"/>'s transpose: clears the image, then adds each cols[t, p] into the pixel
    /// it was read from. The taps go column offset by column offset (j outermost within a channel),
    /// so the runs one kernel row adds and the next reads meet the same image rows at the same
    /// offset rather than one float apart (a load straddling a store still in flight is not
    /// forwarded). In the conv-profile runs of 2026-12-07 (a busy machine) the residual stack's
    /// input gradient took 2.6-3.0 ms per call this way against 3.5-3.9 ms with the kernel row outermost.
    /// </summary>
    private static void Fold(float* cols, float* image, in Geometry g)
    {
        new Span<float>(image, checked((int)g.ImageSize)).Clear();
        int positions = g.OutHeight * g.OutWidth, ow = g.OutWidth, sw = g.StrideWidth;
        for (int c = 0; c < g.Channels; c++)
            for (int j = 0; j < g.KernelWidth; j++)
            {
                int offset = j * g.DilationWidth - g.PadWidth;
                (int first, int last) = InsideColumns(offset, g);
                for (int i = 0; i < g.KernelHeight; i++)
                {
                    float* row = cols + (long)((c * g.KernelHeight + i) * g.KernelWidth + j) * positions;
                    for (int oy = 0; oy < g.OutHeight; oy++)
                    {
                        int y = oy * g.StrideHeight - g.PadHeight + i * g.DilationHeight;
                        if ((uint)y >= (uint)g.Height)
                            continue;
                        float* source = row + oy * ow;
                        float* target = image + ((long)c * g.Height + y) * g.Width + offset;
                        if (sw == 1)
                        {
                            AddRun(source + first, target + first, last - first);
                        }
                        else
                        {
                            for (int ox = first; ox < last; ox++)
                                target[ox * sw] += source[ox];
                        }
                    }
                }
            }
    }
}
