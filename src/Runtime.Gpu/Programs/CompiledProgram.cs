using System;
using System.Collections.Generic;

namespace Dsl;

/// <summary>
/// The base of every program the generator emits for a model and a device: it holds the
/// device, the largest batch the program's buffers were sized for, and the logged metrics, and
/// gives the generated code its argument checks so that their messages are the same everywhere.
/// </summary>
/// <remarks>
/// Generated programs validate their spans with <see cref="BatchOf(ReadOnlySpan{float}, string, string, int)"/>
/// and <see cref="CheckLength{T}"/> before touching any buffer, so a wrong input is an
/// <see cref="ArgumentException"/> naming the tensor and its expected shape, never a crash or a
/// silently wrong result.
/// <para>
/// A program runs one call at a time. Its calls share scratch buffers sized for
/// <see cref="MaxBatch"/>, and a training step rewrites the parameters in place, so two calls
/// that overlap (two threads, one program) would corrupt each other: the generated entry points
/// (<c>Predict</c>, <c>TrainStep</c>, <c>ValueAndGrad</c>, <c>EvalStep</c>, <c>ExampleLosses</c>)
/// and <see cref="Dispose()"/> refuse to start while another call runs, with an
/// <see cref="InvalidOperationException"/> that names both calls and the program. Use one program
/// per thread, or serialize the calls. The check costs one interlocked operation per call.
/// </para>
/// </remarks>
public abstract partial class CompiledProgram : IDisposable
{
    private readonly MetricSet _metrics;
    private readonly CallGuard _calls = new();

    /// <summary>Initialises the common state of a compiled program.</summary>
    /// <param name="device">The device the program's kernels run on.</param>
    /// <param name="maxBatch">The largest batch any call may pass (buffers are sized for it).</param>
    /// <param name="metrics">The metrics the program's steps log.</param>
    /// <param name="lossReduction">How a training step reduces its per-example losses over the batch.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBatch"/> is less than 1.</exception>
    protected CompiledProgram(Device device, int maxBatch, MetricSet metrics, LossReduction lossReduction = LossReduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(metrics);
        if (maxBatch < 1)
            throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, $"maxBatch must be at least 1 (was {maxBatch}).");
        Device = device;
        MaxBatch = maxBatch;
        _metrics = metrics;
        if (!Enum.IsDefined(lossReduction))
            throw new ArgumentOutOfRangeException(nameof(lossReduction), lossReduction, "Expected LossReduction.Mean or LossReduction.Sum.");
        LossReduction = lossReduction;
    }

    /// <summary>
    /// Whether a training step's loss, and so its gradient, is the mean of the per-example losses
    /// (the default, as PyTorch's <c>reduction='mean'</c>) or their sum.
    /// </summary>
    public LossReduction LossReduction { get; }

    /// <summary>The device the program runs on.</summary>
    public Device Device { get; }

    /// <summary>The largest batch a single call accepts.</summary>
    public int MaxBatch { get; }

    /// <summary>The values logged by the most recent step.</summary>
    /// <exception cref="ObjectDisposedException">The program is disposed.</exception>
    public MetricSet Metrics
    {
        get
        {
            ThrowIfDisposed();
            return _metrics;
        }
    }

    /// <summary>
    /// The optimizer state the program's <c>TrainStep</c> updates (step count, learning rate,
    /// moment buffers), or null when the model declares no <c>[Optimizer]</c> or no training step.
    /// </summary>
    public virtual OptimizerState? OptimizerState => null;

    /// <summary>
    /// The seed of the [Dropout] masks (the Philox key, as its unsigned 32 bits). The Trainer sets it
    /// from <see cref="TrainerOptions.Seed"/>; a program made outside a Trainer draws with seed 0.
    /// </summary>
    public int DropoutSeed { get; set; }

    /// <summary>
    /// The training step the [Dropout] masks are drawn for: the optimizer's step count (the updates
    /// taken so far, restored with the optimizer's checkpoint, so a resumed run draws the masks it
    /// would have drawn), or 0 without an optimizer. A step's forward and backward share one mask.
    /// </summary>
    protected uint DropoutStep => unchecked((uint)(OptimizerState?.Step ?? 0));

    /// <summary>The Philox key of the [Dropout] masks: <see cref="DropoutSeed"/>, as parameter initialisation keys its seed.</summary>
    protected ulong DropoutKey => unchecked((uint)DropoutSeed);

    /// <summary>The inputs and output of the model's <c>[Forward]</c> method, as <see cref="Predict(Batch, Span{float})"/> reads them.</summary>
    public abstract StepSignature PredictSignature { get; }

    /// <summary>The inputs and metrics of the <c>[TrainingStep]</c>, or null when the model has none.</summary>
    public virtual StepSignature? TrainingSignature => null;

    /// <summary>The inputs and metrics of the <c>[ValidationStep]</c>, or null when the model has none.</summary>
    public virtual StepSignature? ValidationSignature => null;

    /// <summary>
    /// Runs the forward pass on a batch whose first columns are the <c>[Forward]</c> method's
    /// inputs, writing <see cref="StepSignature.OutputSize"/> floats per example to <paramref name="output"/>.
    /// </summary>
    /// <param name="batch">The batch; column <c>i</c> feeds input <c>i</c>, extra columns are ignored.</param>
    /// <param name="output">Receives <c>batch.Count * PredictSignature.OutputSize</c> floats.</param>
    public abstract void Predict(Batch batch, Span<float> output);

    /// <summary>
    /// One optimisation step of the <c>[TrainingStep]</c> on a batch (column <c>i</c> feeds input
    /// <c>i</c>): forward, backward and the optimizer's update. Returns the batch loss.
    /// </summary>
    /// <param name="batch">The batch.</param>
    /// <exception cref="NotSupportedException">The model has no <c>[TrainingStep]</c>.</exception>
    /// <exception cref="NonFiniteLossException">The loss is NaN or infinite; nothing was updated.</exception>
    public virtual float TrainStep(Batch batch) => throw Missing("[TrainingStep]");

    /// <summary>
    /// The <c>[TrainingStep]</c>'s batch loss and its gradient with respect to every parameter,
    /// written to <paramref name="gradients"/> in the layout of the parameters; nothing is updated.
    /// </summary>
    /// <param name="batch">The batch.</param>
    /// <param name="gradients">Receives one float per parameter.</param>
    /// <exception cref="NotSupportedException">The model has no <c>[TrainingStep]</c>.</exception>
    public virtual float ValueAndGrad(Batch batch, Span<float> gradients) => throw Missing("[TrainingStep]");

    /// <summary>Runs the <c>[ValidationStep]</c> on a batch; its logged values land in <see cref="Metrics"/>.</summary>
    /// <param name="batch">The batch.</param>
    /// <exception cref="NotSupportedException">The model has no <c>[ValidationStep]</c>.</exception>
    public virtual void EvalStep(Batch batch) => throw Missing("[ValidationStep]");

    /// <summary>
    /// True once <see cref="Dispose()"/> has run; every further call (<c>Predict</c>, <c>TrainStep</c>,
    /// <c>ValueAndGrad</c>, <c>EvalStep</c>), <see cref="Metrics"/> and <c>ExampleLosses</c> throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Releases the program's device buffers. Safe to call more than once.</summary>
    /// <exception cref="InvalidOperationException">Another call is running on the program: its buffers are in use.</exception>
    public void Dispose()
    {
        BeginCall(nameof(Dispose));
        try
        {
            if (IsDisposed)
                return;
            IsDisposed = true;
            Dispose(disposing: true);
            GC.SuppressFinalize(this);
        }
        finally
        {
            EndCall();
        }
    }

    /// <summary>Releases resources; overridden by programs that hold device memory.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>, false from a finalizer.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>
    /// Starts a call: every public entry point of a generated program calls this first and
    /// <see cref="EndCall"/> in a <c>finally</c>, so that calls never overlap (see the remarks on
    /// <see cref="CompiledProgram"/>).
    /// </summary>
    /// <param name="call">The entry point, as the caller wrote it (<c>"Predict"</c>), for the message.</param>
    /// <exception cref="InvalidOperationException">Another call is running; the message names both calls and the program.</exception>
    protected void BeginCall(string call)
    {
        if (!_calls.TryEnter(call, out string? running))
        {
            throw new InvalidOperationException(
                $"{call} was called while {running} is running on {ProgramName}; a compiled program runs one call at a time " +
                "(its calls share scratch buffers and the parameters): use one program per thread, or serialize the calls.");
        }
    }

    /// <summary>Ends the call started by <see cref="BeginCall"/>, letting the next one in.</summary>
    protected void EndCall()
    {
        // A step that threw mid-backward leaves no hand-over armed for the next call.
        _handOver.Disarm();
        _calls.Exit();
    }

    /// <summary>
    /// The program's name for messages: the generated <c>{Model}.Program</c> that the backend's
    /// program derives from, or the type itself for a program written by hand.
    /// </summary>
    private string ProgramName
    {
        get
        {
            Type type = GetType();
            while (type.BaseType is { } parent && parent != typeof(CompiledProgram))
                type = parent;
            return (type.FullName ?? type.Name).Replace('+', '.');
        }
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> naming the program's type once it is disposed.</summary>
    protected void ThrowIfDisposed()
    {
        if (IsDisposed)
            throw new ObjectDisposedException(GetType().FullName);
    }

    /// <summary>
    /// Returns the batch size implied by a flat input of <paramref name="exampleSize"/> floats per
    /// example, after checking that it is a whole, non-empty batch no larger than <see cref="MaxBatch"/>.
    /// </summary>
    /// <param name="data">The batched input, examples back to back.</param>
    /// <param name="tensor">The input's name in the user's method, for the message.</param>
    /// <param name="shape">The batched shape as written in messages, e.g. <c>"[B, 10]"</c>.</param>
    /// <param name="exampleSize">Floats per example (the product of the per-example shape).</param>
    /// <returns><c>data.Length / exampleSize</c>.</returns>
    /// <exception cref="ArgumentException">The length is not a positive multiple of the example size, or the batch exceeds <see cref="MaxBatch"/>.</exception>
    protected int BatchOf(ReadOnlySpan<float> data, string tensor, string shape, int exampleSize) =>
        BatchOf(data.Length, "floats", tensor, shape, exampleSize);

    /// <summary>
    /// Returns the batch size implied by a flat integer input (labels, token ids) of
    /// <paramref name="exampleSize"/> values per example; the checks are those of the float overload.
    /// </summary>
    /// <param name="data">The batched input, examples back to back.</param>
    /// <param name="tensor">The input's name in the user's method, for the message.</param>
    /// <param name="shape">The batched shape as written in messages, e.g. <c>"[B, 128]"</c>.</param>
    /// <param name="exampleSize">Values per example.</param>
    /// <returns><c>data.Length / exampleSize</c>.</returns>
    /// <exception cref="ArgumentException">The length is not a positive multiple of the example size, or the batch exceeds <see cref="MaxBatch"/>.</exception>
    protected int BatchOf(ReadOnlySpan<int> data, string tensor, string shape, int exampleSize) =>
        BatchOf(data.Length, "values", tensor, shape, exampleSize);

    /// <summary>
    /// Checks that an input which follows another input's batch has exactly
    /// <paramref name="expected"/> elements.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="data">The input.</param>
    /// <param name="tensor">The input's name in the user's method.</param>
    /// <param name="shape">The batched shape as written in messages, e.g. <c>"[B]"</c>.</param>
    /// <param name="expected">The element count the batch requires.</param>
    /// <param name="batchTensor">Optionally, the input the batch size was taken from, for the message.</param>
    /// <param name="batch">Optionally, that batch size, for the message.</param>
    /// <exception cref="ArgumentException">The length differs from <paramref name="expected"/>.</exception>
    protected static void CheckLength<T>(
        ReadOnlySpan<T> data, string tensor, string shape, int expected, string? batchTensor = null, int batch = 0)
    {
        if (data.Length == expected)
            return;
        string origin = batchTensor is null ? "" : $" for the batch of {batch} given in '{batchTensor}'";
        throw new ArgumentException(
            $"Input '{tensor}' has {data.Length} values; expected shape {shape} = {expected} values{origin}.", tensor);
    }

    private NotSupportedException Missing(string attribute) =>
        new($"{GetType().DeclaringType?.Name ?? GetType().Name} has no {attribute} method, so this program cannot run it.");

    private int BatchOf(int length, string unit, string tensor, string shape, int exampleSize)
    {
        if (exampleSize < 1)
            throw new ArgumentOutOfRangeException(nameof(exampleSize), exampleSize, "The example size must be at least 1.");
        int batch = length / exampleSize;
        if (length == 0 || length % exampleSize != 0 || batch > MaxBatch)
        {
            throw new ArgumentException(
                $"Input '{tensor}' has {length} {unit}; expected shape {shape} (a multiple of {exampleSize} {unit}) with 1 <= B <= {MaxBatch}.",
                tensor);
        }

        return batch;
    }
}
