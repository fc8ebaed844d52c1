using System;
using System.Linq;

namespace Dsl;

/// <summary>Checks, before the first step, that a data set's columns feed a step's inputs.</summary>
internal static class DataChecks
{
    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming both sides unless column <c>i</c> of
    /// <paramref name="dataset"/> has input <c>i</c>'s element type and example size.
    /// </summary>
    public static void Match(StepSignature step, Dataset dataset, string what)
    {
        if (dataset.Columns.Count < step.Inputs.Count)
        {
            throw new ArgumentException(
                $"The {what} ({dataset.Source}) has {dataset.Columns.Count} column(s) [{string.Join(", ", dataset.Columns.Select(c => c.Name))}] " +
                $"but {step.Method} takes {step.Inputs.Count}: {string.Join(", ", step.Inputs)}.");
        }

        for (int i = 0; i < step.Inputs.Count; i++)
        {
            StepInput input = step.Inputs[i];
            ColumnInfo column = dataset.Columns[i];
            if (column.Type != input.Type || column.ExampleSize != input.ExampleSize)
            {
                throw new ArgumentException(
                    $"The {what} ({dataset.Source}) column {i} '{column.Name}' holds {column.Type} [{string.Join(", ", column.ExampleShape)}] per example, " +
                    $"but {step.Method} input {i} is {input}.");
            }
        }
    }
}
