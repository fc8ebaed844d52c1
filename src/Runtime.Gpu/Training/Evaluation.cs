using System.IO;

namespace Dsl;

/// <summary>
/// The validation loop shared by <see cref="Trainer.Fit"/>'s validation passes and
/// <see cref="Trainer.Validate"/>/<see cref="Trainer.Test"/>, and the one place where a refused
/// input is turned into an error naming the data set row it came from.
/// </summary>
internal static class Evaluation
{
    /// <summary>
    /// Runs the <c>[ValidationStep]</c> over the first <paramref name="batches"/> batches of
    /// <paramref name="loader"/> and returns each logged metric's mean, weighted by batch size.
    /// </summary>
    public static MetricMeans Run(CompiledProgram program, StepSignature step, DataLoader loader, int batches)
    {
        var indices = new int[step.Metrics.Count];
        for (int i = 0; i < indices.Length; i++)
            indices[i] = program.Metrics.IndexOf(step.Metrics[i]);
        var means = new MetricMeans();
        int done = 0;
        foreach (Batch batch in loader.Epoch(0))
        {
            if (done++ >= batches)
                break;
            try
            {
                program.EvalStep(batch);
            }
            catch (InvalidInputException e)
            {
                throw Locate(loader.Dataset, batch, e);
            }

            for (int i = 0; i < indices.Length; i++)
                means.Add(step.Metrics[i], program.Metrics[indices[i]], batch.Count);
        }

        return means;
    }

    /// <summary>The error for an input a step refused, naming the data set example it came from ("digits.csv line 19: ...").</summary>
    public static InvalidDataException Locate(Dataset dataset, Batch batch, InvalidInputException e)
    {
        string where = e.Example < batch.Count ? dataset.DescribeExample(batch.ExampleIndices[e.Example]) : dataset.Source;
        return new InvalidDataException($"{where}: {e.Description}", e);
    }
}
