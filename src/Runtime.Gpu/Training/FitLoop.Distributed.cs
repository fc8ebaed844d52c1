using System;
using System.Collections.Generic;

namespace Dsl;

/// <summary>The loop's data-parallel steps: values reduced across ranks, agreement on stopping, failing the job.</summary>
internal sealed partial class FitLoop
{
    /// <summary>
    /// Fills <paramref name="values"/> with the training step's metrics, under DDP the mean over
    /// every rank's batch weighted by its examples (so epoch means and monitors see the whole
    /// global batch), and returns the examples they cover.
    /// </summary>
    private int ReduceStepMetrics(Span<double> values, int examples)
    {
        MetricSet metrics = _program.Metrics;
        int n = _trainMetricIndices.Length;
        for (int i = 0; i < n; i++)
            values[i] = metrics[_trainMetricIndices[i]];
        if (_ddp is null)
            return examples;
        for (int i = 0; i < n; i++)
            values[i] *= examples;
        values[n] = examples;
        _ddp.Sum(values, "the reduction of the training step's metrics");
        for (int i = 0; i < n; i++)
            values[i] /= values[n];
        return (int)values[n];
    }

    /// <summary>
    /// Under DDP with <see cref="TrainerOptions.BroadcastBuffers"/>, gives every rank rank 0's buffers
    /// if a training step changed them since the last broadcast: before each training forward (as
    /// PyTorch DDP), before validation and at the end of the fit, so every rank reads rank 0's model.
    /// </summary>
    private void SyncBuffers()
    {
        if (!_buffersStale)
            return;
        _buffersStale = false;
        _ddp!.BroadcastBuffers(_model.Parameters);
    }

    /// <summary>Makes <see cref="Trainer.ShouldStop"/> the same on every rank: any rank's stop stops all.</summary>
    private void AgreeOnStopping()
    {
        if (_ddp is not null)
            _trainer.ShouldStop = _ddp.AnyStops(_trainer.ShouldStop);
    }

    /// <summary>Under DDP, replaces a logged row's values with their mean over the ranks (every rank logs the same names at the same points).</summary>
    private void ReduceRow(Dictionary<string, double> row)
    {
        if (_ddp is null)
            return;
        var names = new List<string>(row.Keys);
        names.Sort(StringComparer.Ordinal);
        var values = new double[names.Count + 1];
        for (int i = 0; i < names.Count; i++)
            values[i] = row[names[i]];
        // The count of names rides along: ranks that logged different rows are found out.
        values[names.Count] = names.Count;
        _ddp.Sum(values, "the reduction of logged values (" + string.Join(", ", names) + ")");
        if (values[names.Count] != names.Count * (double)_ddp.World.Size)
            throw new InvalidOperationException($"Rank {_ddp.World.Rank}: the ranks logged different values at step {_optimizer.Step} (this rank: {string.Join(", ", names)}); under DDP every rank logs the same names at the same points.");
        for (int i = 0; i < names.Count; i++)
        {
            double mean = values[i] / _ddp.World.Size;
            row[names[i]] = mean;
            _trainer.SetCallbackMetric(names[i], mean);
        }
    }

    /// <summary>
    /// A rank that fails ends the whole job: its message goes to standard error naming the rank,
    /// and <c>MPI_Abort</c> makes <c>mpirun</c> stop the other ranks at once rather than leave them
    /// waiting in the next all-reduce.
    /// </summary>
    private void AbortJob(Exception e)
    {
        MpiWorld world = _ddp!.World;
        Console.Error.WriteLine($"Rank {world.Rank} of {world.Size} failed at epoch {_trainer.CurrentEpoch}, step {_optimizer.Step}: {e.GetType().Name}: {e.Message}");
        Console.Error.Flush();
        world.Abort(1);
    }

    /// <summary>
    /// Under ZeRO-1, puts a sharded optimizer state in place of the program's own (once: a program
    /// reused by a later fit keeps it); a program that had one and now trains otherwise gets a whole state again.
    /// </summary>
    private void PlaceOptimizerState(CompiledProgram program)
    {
        if (program.OptimizerState is not { } state)
            return;
        bool sharded = state is ShardedOptimizerState;
        if (_ddp is { ShardsOptimizer: true } && !sharded)
            program.ReplaceOptimizerState(new ShardedOptimizerState(state.Optimizer, state.ParameterCount, _ddp.World));
        else if (_ddp is not { ShardsOptimizer: true } && sharded)
            program.ReplaceOptimizerState(state.Optimizer.CreateState(state.ParameterCount));
    }
}
