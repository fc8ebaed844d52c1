using System;
using System.Collections.Generic;
using System.Linq;

namespace Dsl;

/// <summary>
/// PyTorch Lightning's training loop over a compiled model: <see cref="Fit"/> runs epochs of
/// training steps with validation, logging, checkpoints and early stopping through callbacks,
/// and resumes exactly from a checkpoint; <see cref="Validate"/>, <see cref="Test"/> and
/// <see cref="Predict"/> run the other entry points over a loader.
/// </summary>
/// <remarks>
/// The trainer compiles the model once per device and largest batch and keeps the program (and
/// with it the optimizer's state) until it is disposed or a larger batch is needed, so
/// <c>Test</c> after <c>Fit</c> runs the same program.
/// <para>
/// A trainer runs one of <see cref="Fit"/>, <see cref="Validate"/>, <see cref="Test"/> and
/// <see cref="Predict"/> at a time, since they share that program: one started while another
/// runs (from another thread, or from a callback) throws <see cref="InvalidOperationException"/>
/// naming both, and so does <see cref="Dispose"/>. Use one trainer per thread.
/// </para>
/// </remarks>
public sealed partial class Trainer : IDisposable
{
    private readonly Dictionary<string, double> _callbackMetrics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _stepLog = new(StringComparer.Ordinal);
    private CompiledProgram? _program;
    private ITrainableModel? _programModel;
    private bool _disposed;
    private readonly CallGuard _calls = new();

    /// <summary>Creates a trainer.</summary>
    /// <param name="options">How to train; null for Lightning's defaults.</param>
    public Trainer(TrainerOptions? options = null)
    {
        Options = options ?? new TrainerOptions();
    }

    /// <summary>The options this trainer runs with.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The epoch being trained (from 0), or the last one once <see cref="Fit"/> has returned.</summary>
    public int CurrentEpoch { get; internal set; }

    /// <summary>Optimizer steps taken by the fitted model's program, including those before a resumed checkpoint.</summary>
    public long GlobalStep => _program?.OptimizerState?.Step ?? 0;

    /// <summary>
    /// Set to true (by a callback such as <see cref="EarlyStopping"/>, or by a model hook) to end
    /// <see cref="Fit"/> after the current batch.
    /// </summary>
    public bool ShouldStop { get; set; }

    /// <summary>True inside <see cref="Fit"/> once the last training batch of the current epoch has run.</summary>
    public bool IsAtEpochEnd { get; internal set; }

    /// <summary>True during a <see cref="TrainerOptions.FastDevRun"/>.</summary>
    public bool IsFastDevRun => Options.FastDevRun > 0;

    /// <summary>
    /// The latest value of every metric: training steps' values (<c>train_loss</c>), epoch means
    /// (<c>train_loss_epoch</c>), validation means (<c>val_loss</c>), <c>epoch</c> and <c>step</c>,
    /// and whatever callbacks logged. Monitors read it.
    /// </summary>
    public MetricValues CallbackMetrics => new(_callbackMetrics);

    /// <summary>The latest value of one of <see cref="CallbackMetrics"/>, without copying them all.</summary>
    /// <param name="name">The metric's name.</param>
    /// <param name="value">Its value, or 0 when there is none.</param>
    /// <returns>True when the metric has a value.</returns>
    public bool TryGetMetric(string name, out double value) => _callbackMetrics.TryGetValue(name, out value);

    /// <summary>
    /// True inside <see cref="Fit"/> after a training batch whose metrics go to the loggers (every
    /// <see cref="TrainerOptions.LogEveryNSteps"/> optimizer steps): callbacks that log per step
    /// (<see cref="LearningRateMonitor"/>) log then.
    /// </summary>
    public bool IsLoggingStep { get; internal set; }

    /// <summary>The optimizer state of the program being fitted (learning rate, step), or null before <see cref="Fit"/>.</summary>
    public OptimizerState? OptimizerState => _program?.OptimizerState;

    /// <summary>
    /// The most recent checkpoint written during this trainer's runs (of the files a
    /// <see cref="ModelCheckpoint"/> writes at one point, <c>last</c>), or null.
    /// </summary>
    public string? LastCheckpointPath { get; private set; }

    /// <summary>
    /// The metric names this run can log, known once <see cref="Fit"/> has set up: each step's
    /// logged names, <c>{train metric}_epoch</c>, <c>epoch</c>, <c>step</c>. Callbacks check their
    /// monitors against it at fit start.
    /// </summary>
    public IReadOnlyCollection<string> KnownMetricNames { get; private set; } = Array.Empty<string>();

    /// <summary>
    /// Logs a value from a callback or a hook: it joins the current step's row for the loggers
    /// and <see cref="CallbackMetrics"/>.
    /// </summary>
    /// <param name="name">The metric's name.</param>
    /// <param name="value">Its value.</param>
    public void Log(string name, double value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _stepLog[name] = value;
        _callbackMetrics[name] = value;
    }

    /// <summary>Adds names that callbacks may log (a learning-rate monitor's <c>lr-Adam</c>) to <see cref="KnownMetricNames"/>.</summary>
    /// <param name="names">The names.</param>
    public void DeclareMetrics(params string[] names) =>
        KnownMetricNames = KnownMetricNames.Concat(names).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Releases the compiled program and disposes the loggers.</summary>
    /// <exception cref="InvalidOperationException">A <see cref="Fit"/>, <see cref="Validate"/>, <see cref="Test"/> or <see cref="Predict"/> is running.</exception>
    public void Dispose()
    {
        BeginCall(nameof(Dispose), model: null);
        try
        {
            if (_disposed)
                return;
            _disposed = true;
            _program?.Dispose();
            _program = null;
            foreach (MetricLogger logger in Options.Loggers)
                logger.Dispose();
        }
        finally
        {
            EndCall();
        }
    }

    /// <summary>
    /// Starts one of the trainer's runs, refusing it while another runs: they share the
    /// program, its buffers and the loop's state. <see cref="EndCall"/> ends it.
    /// </summary>
    /// <param name="call">The public method, for the message.</param>
    /// <param name="model">The model it runs, for the message.</param>
    /// <exception cref="InvalidOperationException">Another run is in progress; the message names both.</exception>
    private void BeginCall(string call, ITrainableModel? model)
    {
        string described = model is null ? call : $"{call}({model.Name})";
        if (!_calls.TryEnter(described, out string? running))
        {
            throw new InvalidOperationException(
                $"Trainer.{described} was called while Trainer.{running} is running on the same Trainer; a Trainer runs one " +
                "Fit, Validate, Test or Predict at a time (they share its compiled program): use one Trainer per thread, or wait for the first to return.");
        }
    }

    /// <summary>Ends the run started by <see cref="BeginCall"/>.</summary>
    private void EndCall() => _calls.Exit();

    /// <summary>The program for <paramref name="model"/> with room for <paramref name="maxBatch"/>, compiled once and reused.</summary>
    private CompiledProgram ProgramFor(ITrainableModel model, int maxBatch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_program is not null && ReferenceEquals(_programModel, model) && _program.MaxBatch >= maxBatch)
        {
            _program.DropoutSeed = Options.Seed;
            _program.GradientHook = Options.GradientHook;
            return _program;
        }
        _program?.Dispose();
        _program = null;
        Device device = Options.Device ?? Device.Default;
        if (Options.Deterministic && !device.IsDeterministic)
            throw new NotSupportedException($"{device.Name} does not promise bit-reproducible kernels; set TrainerOptions.Deterministic = false to run on it anyway.");
        _program = model.Compile(device, maxBatch, Options.LossReduction);
        _program.DropoutSeed = Options.Seed; // [Dropout] keys its masks with the run's seed
        _program.GradientHook = Options.GradientHook;
        _programModel = model;
        return _program;
    }

    /// <summary>Records that a checkpoint was written, for <see cref="LastCheckpointPath"/> and divergence messages.</summary>
    internal void NoteCheckpoint(string path) => LastCheckpointPath = path;

    /// <summary>Sets a metric without putting it in the current log row (epoch means, validation results).</summary>
    internal void SetCallbackMetric(string name, double value) => _callbackMetrics[name] = value;

    /// <summary>Takes the metrics logged since the last call, for the loggers.</summary>
    internal Dictionary<string, double>? TakeStepLog()
    {
        if (_stepLog.Count == 0)
            return null;
        var row = new Dictionary<string, double>(_stepLog, StringComparer.Ordinal);
        _stepLog.Clear();
        return row;
    }

    internal void SetKnownMetrics(IEnumerable<string> names) => KnownMetricNames = names.Distinct(StringComparer.Ordinal).ToArray();


    internal void ClearCallbackMetrics() => _callbackMetrics.Clear();
}
