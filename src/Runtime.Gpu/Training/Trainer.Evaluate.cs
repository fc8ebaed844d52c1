using System;
using System.Collections.Generic;
using System.Linq;

namespace Dsl;

public sealed partial class Trainer
{
    /// <summary>
    /// Runs the model's <c>[ValidationStep]</c> over <paramref name="data"/> (up to
    /// <see cref="TrainerOptions.LimitValBatches"/>) and returns each logged metric's mean over
    /// the examples, as Lightning's <c>trainer.validate</c>.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="data">The batches; column <c>i</c> feeds the step's input <c>i</c>.</param>
    /// <returns>The metrics, e.g. <c>val_loss</c> and <c>val_acc</c>.</returns>
    /// <exception cref="InvalidOperationException">Another <c>Fit</c>, <c>Validate</c>, <c>Test</c> or <c>Predict</c> is running on this trainer.</exception>
    public MetricValues Validate(ITrainableModel model, DataLoader data) =>
        Evaluate(model, data, Options.LimitValBatches, nameof(Validate), rename: null, log: false);

    /// <summary>
    /// Evaluates on held-out test data: runs the <c>[ValidationStep]</c> over
    /// <paramref name="data"/> (up to <see cref="TrainerOptions.LimitTestBatches"/>) and returns
    /// the means with a <c>val_</c> prefix renamed <c>test_</c> (<c>test_loss</c>, <c>test_acc</c>),
    /// also sent to the loggers.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="data">The test batches.</param>
    /// <returns>The test metrics.</returns>
    /// <exception cref="InvalidOperationException">Another <c>Fit</c>, <c>Validate</c>, <c>Test</c> or <c>Predict</c> is running on this trainer.</exception>
    public MetricValues Test(ITrainableModel model, DataLoader data) =>
        Evaluate(model, data, Options.LimitTestBatches, nameof(Test), rename: name => name.StartsWith("val_", StringComparison.Ordinal) ? "test_" + name[4..] : name, log: true);

    /// <summary>
    /// Runs the model's <c>[Forward]</c> over every batch of <paramref name="data"/>, in the
    /// loader's order, as Lightning's <c>trainer.predict</c>.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="data">The batches; their first columns feed the forward pass's inputs.</param>
    /// <returns>One output per example, with the data set index of each.</returns>
    /// <exception cref="InvalidOperationException">Another <c>Fit</c>, <c>Validate</c>, <c>Test</c> or <c>Predict</c> is running on this trainer.</exception>
    public Predictions Predict(ITrainableModel model, DataLoader data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        BeginCall(nameof(Predict), model);
        try
        {
            return RunPredict(model, data);
        }
        finally
        {
            EndCall();
        }
    }

    private Predictions RunPredict(ITrainableModel model, DataLoader data)
    {
        CompiledProgram program = ProgramFor(model, data.BatchSize);
        StepSignature step = program.PredictSignature;
        DataChecks.Match(step, data.Dataset, "prediction loader");
        int examples = data.DropLast ? data.BatchCount * data.BatchSize : data.Dataset.Count;
        var values = new float[(long)examples * step.OutputSize];
        var indices = new int[examples];
        int done = 0;
        foreach (Batch batch in data.Epoch(0))
        {
            try
            {
                program.Predict(batch, values.AsSpan(done * step.OutputSize, batch.Count * step.OutputSize));
            }
            catch (InvalidInputException e)
            {
                throw Evaluation.Locate(data.Dataset, batch, e);
            }

            batch.ExampleIndices.CopyTo(indices.AsSpan(done));
            done += batch.Count;
        }

        return new Predictions(step.OutputShape!, values, indices);
    }

    private MetricValues Evaluate(ITrainableModel model, DataLoader data, Batches limit, string call, Func<string, string>? rename, bool log)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        BeginCall(call, model);
        try
        {
            return RunEvaluate(model, data, limit, call.ToLowerInvariant(), rename, log);
        }
        finally
        {
            EndCall();
        }
    }

    private MetricValues RunEvaluate(ITrainableModel model, DataLoader data, Batches limit, string what, Func<string, string>? rename, bool log)
    {
        CompiledProgram program = ProgramFor(model, data.BatchSize);
        StepSignature step = program.ValidationSignature
            ?? throw new NotSupportedException($"{model.Name} has no [ValidationStep] method, so the Trainer cannot {what} it.");
        DataChecks.Match(step, data.Dataset, what + " loader");
        MetricMeans means = Evaluation.Run(program, step, data, limit.Resolve(data.BatchCount));
        var result = new MetricValues(means.Means().Select(p => new KeyValuePair<string, double>(rename?.Invoke(p.Key) ?? p.Key, p.Value)));
        if (log)
        {
            foreach (MetricLogger logger in Options.Loggers)
            {
                logger.LogMetrics(result.ToDictionary(p => p.Key, p => p.Value), GlobalStep);
                logger.Flush();
            }
        }

        return result;
    }
}
