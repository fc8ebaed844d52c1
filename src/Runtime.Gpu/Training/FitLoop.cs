using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics.Tensors;

namespace Dsl;

/// <summary>
/// One call of <see cref="Trainer.Fit"/>: the epoch and batch loop, validation passes, metric
/// bookkeeping, and the state a checkpoint stores to resume it exactly.
/// </summary>
internal sealed partial class FitLoop
{
    private readonly Trainer _trainer;
    private readonly TrainerOptions _options;
    private readonly ITrainableModel _model;
    private readonly CompiledProgram _program;
    private readonly DataLoader _train;
    private readonly DataLoader? _validation;
    private readonly OptimizerState _optimizer;
    private readonly StepSignature _trainingStep;
    private readonly int[] _trainMetricIndices;
    private readonly Callback[] _callbacks;
    private readonly MetricLogger[] _loggers;
    private readonly MetricMeans _epochMeans = new();
    private readonly int _trainBatches, _valBatches, _valEvery, _maxEpochs;
    private readonly List<KeyValuePair<string, double>> _progressMetrics = new();
    private readonly double[] _stepMetrics;
    private TrainingProgress? _progress;

    // Data-parallel training across an mpirun job (null when training alone) and its gradient hook.
    private readonly DataParallel? _ddp;
    private readonly AllReduceGradientHook? _allReduce;

    // Whether rank 0's buffers are broadcast (DDP with buffers to send and BroadcastBuffers on), and
    // whether a training step has changed them since the last broadcast.
    private readonly bool _syncsBuffers;
    private bool _buffersStale;

    // Gradient accumulation: the running sum of 1/N-scaled gradients and how many batches it holds.
    private readonly float[]? _accumulated, _batchGradients;
    private int _accumulatedBatches;

    private int _batchInEpoch;
    private int _completedEpochs;
    private int _progressStart;

    public FitLoop(Trainer trainer, ITrainableModel model, CompiledProgram program, DataLoader train, DataLoader? validation)
    {
        _trainer = trainer;
        _options = trainer.Options;
        _model = model;
        _program = program;
        ValidateOptions(_options);
        _ddp = DataParallel.For(_options);
        // A loader runs one epoch at a time (it reuses its batch), so validating on the training
        // loader itself, mid-epoch, needs a second loader over the same data.
        _validation = ReferenceEquals(validation, train)
            ? new DataLoader(train.Dataset, train.BatchSize, train.Shuffle, train.DropLast, train.Seed)
            : validation;
        _train = train;
        if (_ddp is not null)
        {
            // Each rank trains and validates on its share, as Lightning's automatic DistributedSampler.
            var sampler = new DistributedSampler(_ddp.World.Rank, _ddp.World.Size);
            _train = train.WithSampler(sampler);
            _validation = _validation?.WithSampler(sampler);
            _allReduce = new AllReduceGradientHook(_ddp.World, _options.GradientHook);
            program.GradientHook = _allReduce;
            _syncsBuffers = _options.BroadcastBuffers && model.Parameters.TrainableCount < model.Parameters.Count;
        }

        program.GradientBucketCapBytes = _ddp is null ? 0 : (long)(_options.GradientBucketCapMegabytes * 1024 * 1024);
        PlaceOptimizerState(program);

        _trainingStep = program.TrainingSignature
            ?? throw new NotSupportedException($"{model.Name} has no [TrainingStep] method, so the Trainer cannot fit it.");
        _optimizer = program.OptimizerState
            ?? throw new NotSupportedException($"{model.Name} has no [Optimizer] method; declare one (e.g. `[Optimizer] static Optimizer Optimizer() => new Adam(1e-3f);`) to fit it.");
        DataChecks.Match(_trainingStep, _train.Dataset, "training loader");
        if (_validation is not null)
        {
            StepSignature step = program.ValidationSignature
                ?? throw new NotSupportedException($"{model.Name} has no [ValidationStep] method, so it cannot use the validation loader given to Fit.");
            DataChecks.Match(step, _validation.Dataset, "validation loader");
        }

        if (_options.GradientClipNorm is float clip)
            _optimizer.Optimizer.ClipGradNorm = clip;
        _trainMetricIndices = _trainingStep.Metrics.Select(program.Metrics.IndexOf).ToArray();

        bool fastDevRun = _options.FastDevRun > 0;
        _trainBatches = fastDevRun ? Math.Min(_options.FastDevRun, _train.BatchCount) : _options.LimitTrainBatches.Resolve(_train.BatchCount);
        if (_trainBatches < 1)
            throw new ArgumentException($"LimitTrainBatches = {_options.LimitTrainBatches} leaves no training batches of the loader's {_train.BatchCount}.", nameof(train));
        _valBatches = _validation is null ? 0
            : fastDevRun ? Math.Min(_options.FastDevRun, _validation.BatchCount)
            : _options.LimitValBatches.Resolve(_validation.BatchCount);
        _valEvery = Math.Max(1, _options.ValCheckInterval.Resolve(_trainBatches));
        _maxEpochs = fastDevRun ? 1 : _options.MaxEpochs;
        // Checkpoints run last, as in Lightning, so that the state they save includes what the
        // other callbacks did at the same point (an early-stopping check, a logged value).
        _callbacks = _options.Callbacks.Where(c => !fastDevRun || c.RunsInFastDevRun).OrderBy(c => c is ModelCheckpoint).ToArray();
        // Under DDP only rank 0 writes logs (and checkpoints, and draws progress).
        _loggers = fastDevRun || !IsGlobalZero ? Array.Empty<MetricLogger>() : _options.Loggers.ToArray();

        _stepMetrics = new double[_trainMetricIndices.Length + 1];
        if (_options.AccumulateGradBatches > 1)
        {
            // Gradients exist for the trainable parameters only, not the buffers after them.
            _accumulated = new float[model.Parameters.TrainableCount];
            _batchGradients = new float[model.Parameters.TrainableCount];
        }
    }

    /// <summary>Whether this process writes files and draws progress: always when training alone, rank 0 under DDP.</summary>
    public bool IsGlobalZero => _ddp?.IsGlobalZero ?? true;

    /// <summary>Runs the loop to its end and reports how it ended.</summary>
    public FitResult Run(string? resumeFrom)
    {
        var clock = Stopwatch.StartNew();
        _trainer.ShouldStop = false;
        _trainer.ClearCallbackMetrics();
        _trainer.SetKnownMetrics(KnownMetricNames());
        int startEpoch = 0, skip = 0;
        // Collective checks that fail on every rank alike, before the first step.
        _ddp?.CheckSameModel(_model);
        if (resumeFrom is not null)
            (startEpoch, skip) = Resume(resumeFrom);
        _ddp?.BroadcastParameters(_model.Parameters);

        _progress = _options.EnableProgressBar && IsGlobalZero ? TrainingProgress.Create(_options.ProgressOutput) : null;
        StopReason reason = StopReason.MaxEpochs;
        try
        {
            LogHyperparameters();
            foreach (Callback callback in _callbacks)
                callback.OnFitStart(_trainer, _model);
            _model.OnFitStart(_trainer);

            for (int epoch = startEpoch; epoch < _maxEpochs && !_trainer.ShouldStop; epoch++, skip = 0)
            {
                reason = TrainEpoch(epoch, skip);
                if (reason != StopReason.MaxEpochs)
                    break;
            }

            if (_options.FastDevRun > 0)
                reason = StopReason.FastDevRun;
            else if (_trainer.ShouldStop && reason == StopReason.MaxEpochs && _completedEpochs < _maxEpochs)
                reason = StopReason.Requested;

            SyncBuffers();
            foreach (Callback callback in _callbacks)
                callback.OnFitEnd(_trainer, _model);
            _model.OnFitEnd(_trainer);
            FlushLoggers();
        }
        catch (Exception e)
        {
            Exception thrown = Explain(e);
            foreach (Callback callback in _callbacks)
                callback.OnException(_trainer, _model, thrown);
            _progress?.Message(thrown.Message);
            FlushLoggers();
            if (_ddp is not null)
                AbortJob(thrown);
            if (ReferenceEquals(thrown, e))
                throw;
            throw thrown;
        }
        finally
        {
            _progress?.Dispose();
            _progress = null;
        }

        string? best = _callbacks.OfType<ModelCheckpoint>().FirstOrDefault()?.BestModelPath;
        return new FitResult(_completedEpochs, _optimizer.Step, reason, _trainer.CallbackMetrics, clock.Elapsed, best);
    }

    /// <summary>Writes a checkpoint of the loop as it stands now.</summary>
    /// <remarks>
    /// Under DDP only rank 0 writes (every rank holds the same state). Under ZeRO-1 every rank calls
    /// this (as callbacks do): the optimizer's shards are first gathered on rank 0.
    /// </remarks>
    public void SaveCheckpoint(string path, bool weightsOnly)
    {
        var sharded = weightsOnly ? null : _optimizer as ShardedOptimizerState;
        sharded?.GatherForCheckpoint();
        try
        {
            if (IsGlobalZero)
                TrainerCheckpoint.Save(path, _model, weightsOnly ? null : CurrentState());
        }
        finally
        {
            sharded?.ReleaseWhole();
        }
    }

    /// <summary>Loads a checkpoint and returns the epoch and batch to continue from.</summary>
    private (int Epoch, int Skip) Resume(string path)
    {
        TrainerCheckpoint.Resumed resumed;
        try
        {
            resumed = TrainerCheckpoint.Restore(path, _model, CurrentState());
        }
        finally
        {
            // Every rank read the whole state; each keeps its own shard of it.
            (_optimizer as ShardedOptimizerState)?.KeepOwnShard();
        }
        _accumulatedBatches = resumed.AccumulatedBatches;
        foreach (var (name, value) in resumed.Metrics)
            _trainer.SetCallbackMetric(name, value);
        _trainer.NoteCheckpoint(path);
        if (resumed.BatchInEpoch >= _trainBatches)
        {
            _completedEpochs = resumed.Epoch + 1;
            return (resumed.Epoch + 1, 0);
        }

        _completedEpochs = resumed.Epoch;
        return (resumed.Epoch, resumed.BatchInEpoch);
    }

    private TrainerCheckpoint.State CurrentState() => new(
        _trainer.CurrentEpoch, _batchInEpoch, _optimizer, _callbacks, _epochMeans, _accumulated, _accumulatedBatches,
        _options.AccumulateGradBatches, _trainer.CallbackMetrics, _options.Seed, _train, _ddp?.World.Size ?? 1);

    /// <summary>Trains one epoch from batch <paramref name="skip"/>; returns why it ended early, or MaxEpochs when it ran to its end.</summary>
    private StopReason TrainEpoch(int epoch, int skip)
    {
        _trainer.CurrentEpoch = epoch;
        _trainer.IsAtEpochEnd = false;
        _optimizer.Epoch = epoch;
        if (skip == 0)
            _epochMeans.Clear();
        foreach (Callback callback in _callbacks)
            callback.OnTrainEpochStart(_trainer, _model);
        _model.OnTrainEpochStart(_trainer);
        bool validates = _validation is not null && _valBatches > 0 && (epoch + 1) % _options.CheckValEveryNEpochs == 0;
        _progressStart = skip;
        _progress?.StartEpoch(epoch, _options.FastDevRun > 0 ? null : _maxEpochs, _trainBatches - skip);

        _batchInEpoch = skip;
        foreach (Batch batch in _train.Epoch(epoch, skip))
        {
            if (_batchInEpoch >= _trainBatches)
                break;
            bool last = _batchInEpoch + 1 == _trainBatches;
            if (_allReduce is not null)
                _allReduce.Step = _optimizer.Step;
            SyncBuffers();
            float loss = TrainOn(batch, last);
            _buffersStale = _syncsBuffers;
            _batchInEpoch++;
            _trainer.IsAtEpochEnd = last;
            AfterTrainingBatch(batch, loss);

            if (validates && (_batchInEpoch % _valEvery == 0 || last))
                Validate();
            AgreeOnStopping();
            if (_options.MaxSteps >= 0 && _optimizer.Step >= _options.MaxSteps)
            {
                _trainer.ShouldStop = true;
                EndEpoch(epoch, completed: last);
                return StopReason.MaxSteps;
            }
            if (_trainer.ShouldStop)
                break;
        }

        bool finished = _batchInEpoch >= _trainBatches;
        EndEpoch(epoch, finished);
        AgreeOnStopping();
        return finished ? StopReason.MaxEpochs : StopReason.Requested;
    }

    /// <summary>One batch: a fused train step, or with accumulation a gradient added to the running sum and an update every N batches.</summary>
    private float TrainOn(Batch batch, bool lastOfEpoch)
    {
        try
        {
            if (_accumulated is null)
                return _program.TrainStep(batch);

            float loss = _program.ValueAndGrad(batch, _batchGradients);
            if (!float.IsFinite(loss))
                throw new NonFiniteLossException("TrainStep", loss);
            // Lightning divides each batch's loss by N, so the update sees the mean gradient.
            TensorPrimitives.MultiplyAdd(_batchGradients, 1f / _options.AccumulateGradBatches, _accumulated, _accumulated);
            if (++_accumulatedBatches == _options.AccumulateGradBatches || lastOfEpoch)
            {
                _program.GradientHook?.RunOver(_program.GradientBuckets, _accumulated);
                _optimizer.Update(_model.Parameters.Buffer.AsSpan(0, _model.Parameters.TrainableCount), _accumulated);
                Array.Clear(_accumulated);
                _accumulatedBatches = 0;
            }

            return loss;
        }
        catch (InvalidInputException e)
        {
            throw Evaluation.Locate(_train.Dataset, batch, e);
        }
    }

    private void AfterTrainingBatch(Batch batch, float loss)
    {
        Span<double> values = _stepMetrics;
        int weight = ReduceStepMetrics(values, batch.Count);
        for (int i = 0; i < _trainMetricIndices.Length; i++)
        {
            string name = _trainingStep.Metrics[i];
            _epochMeans.Add(name, values[i], weight);
            _trainer.SetCallbackMetric(name, values[i]);
        }

        // Log after an update only: with accumulation, the batches in between share its step.
        _trainer.IsLoggingStep = _optimizer.Step % _options.LogEveryNSteps == 0 && _accumulatedBatches == 0;
        if (_trainer.IsLoggingStep)
        {
            for (int i = 0; i < _trainMetricIndices.Length; i++)
                _trainer.Log(_trainingStep.Metrics[i], values[i]);
            _trainer.Log("epoch", _trainer.CurrentEpoch);
        }

        foreach (Callback callback in _callbacks)
            callback.OnTrainBatchEnd(_trainer, _model, loss);
        _model.OnTrainBatchEnd(_trainer, loss);
        WriteStepLog();
        _progress?.Update(_batchInEpoch - _progressStart, ProgressMetrics());
    }

    /// <summary>Runs the validation step over the validation loader and publishes the means.</summary>
    private void Validate()
    {
        SyncBuffers();
        MetricMeans means = Evaluation.Run(_program, _program.ValidationSignature!, _validation!, _valBatches);
        if (_ddp is not null)
            means.Reduce(_ddp);
        foreach (var (name, value) in means.Means())
            _trainer.Log(name, value);
        _trainer.Log("epoch", _trainer.CurrentEpoch);
        WriteStepLog();
        foreach (Callback callback in _callbacks)
            callback.OnValidationEnd(_trainer, _model);
        _model.OnValidationEpochEnd(_trainer);
        _progress?.Update(_batchInEpoch - _progressStart, ProgressMetrics());
    }

    private void EndEpoch(int epoch, bool completed)
    {
        foreach (var (name, value) in _epochMeans.Means())
            _trainer.Log(name + "_epoch", value);
        _trainer.Log("epoch", epoch);
        if (completed)
            _completedEpochs = epoch + 1;
        foreach (Callback callback in _callbacks)
            callback.OnTrainEpochEnd(_trainer, _model);
        _model.OnTrainEpochEnd(_trainer);
        WriteStepLog();
        FlushLoggers();
        _progress?.EndEpoch(ProgressMetrics());
    }

    private IEnumerable<string> KnownMetricNames()
    {
        IEnumerable<string> validation = _validation is null ? Array.Empty<string>() : _program.ValidationSignature!.Metrics;
        return _trainingStep.Metrics
            .Concat(_trainingStep.Metrics.Select(m => m + "_epoch"))
            .Concat(validation)
            .Append("epoch")
            .Append("step");
    }

    /// <summary>Turns a diverged loss into the trainer's message; other exceptions pass through.</summary>
    private Exception Explain(Exception e)
    {
        if (e is not NonFiniteLossException nonFinite)
            return e;
        string kept = _trainer.LastCheckpointPath is { } path
            ? $"The last checkpoint written, {path}, is intact."
            : "No checkpoint had been written in this run.";
        string message =
            $"Training stopped: the loss of epoch {_trainer.CurrentEpoch}, batch {_batchInEpoch} (after optimizer step {_optimizer.Step}) is {nonFinite.Loss}. " +
            $"That batch changed no parameter. {kept} Lower the learning rate, clip gradients (TrainerOptions.GradientClipNorm) or check the data.";
        return new TrainingDivergedException(message, _trainer.LastCheckpointPath, e);
    }
}
