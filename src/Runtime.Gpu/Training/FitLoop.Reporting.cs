using System;
using System.Collections.Generic;
using System.Globalization;

namespace Dsl;

/// <summary>What the loop reports: rows for the loggers, the progress line, the hyper-parameters.</summary>
internal sealed partial class FitLoop
{
    /// <summary>Sends what was logged since the last row to every logger, at the current step.</summary>
    private void WriteStepLog()
    {
        Dictionary<string, double>? row = _trainer.TakeStepLog();
        if (row is null)
            return;
        ReduceRow(row);
        _trainer.SetCallbackMetric("step", _optimizer.Step);
        foreach (MetricLogger logger in _loggers)
            logger.LogMetrics(row, _optimizer.Step);
    }

    private void FlushLoggers()
    {
        foreach (MetricLogger logger in _loggers)
            logger.Flush();
    }

    private IReadOnlyList<KeyValuePair<string, double>> ProgressMetrics()
    {
        _progressMetrics.Clear();
        foreach (string name in _trainingStep.Metrics)
            if (_trainer.TryGetMetric(name, out double value))
                _progressMetrics.Add(new(name, value));
        foreach (string name in _program.ValidationSignature?.Metrics ?? Array.Empty<string>())
            if (_trainer.TryGetMetric(name, out double value))
                _progressMetrics.Add(new(name, value));
        return _progressMetrics;
    }

    private void LogHyperparameters()
    {
        if (_loggers.Length == 0)
            return;
        var hyperparameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["model"] = _model.Name,
            ["parameters"] = _model.Parameters.TrainableCount.ToString(CultureInfo.InvariantCulture),
            ["optimizer"] = _optimizer.Optimizer.ToString() ?? "",
            ["schedule"] = _optimizer.Optimizer.Schedule?.ToString() ?? "none",
            ["batch_size"] = _train.BatchSize.ToString(CultureInfo.InvariantCulture),
            ["max_epochs"] = _options.MaxEpochs.ToString(CultureInfo.InvariantCulture),
            ["max_steps"] = _options.MaxSteps.ToString(CultureInfo.InvariantCulture),
            ["accumulate_grad_batches"] = _options.AccumulateGradBatches.ToString(CultureInfo.InvariantCulture),
            ["gradient_clip_norm"] = _options.GradientClipNorm?.ToString(CultureInfo.InvariantCulture) ?? "none",
            ["seed"] = _options.Seed.ToString(CultureInfo.InvariantCulture),
            ["world_size"] = (_ddp?.World.Size ?? 1).ToString(CultureInfo.InvariantCulture),
            ["device"] = _program.Device.Name,
        };
        foreach (MetricLogger logger in _loggers)
            logger.LogHyperparameters(hyperparameters);
    }
}
