using System;
using System.Linq;

namespace Dsl;

/// <summary>The checks of <see cref="TrainerOptions"/> that run before anything is trained.</summary>
internal sealed partial class FitLoop
{
    private static void ValidateOptions(TrainerOptions options)
    {
        if (options.MaxEpochs < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxEpochs, "TrainerOptions.MaxEpochs must be at least 0.");
        if (options.MaxSteps < -1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxSteps, "TrainerOptions.MaxSteps must be -1 (no limit) or at least 0.");
        if (options.AccumulateGradBatches < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.AccumulateGradBatches, "TrainerOptions.AccumulateGradBatches must be at least 1.");
        if (options.CheckValEveryNEpochs < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.CheckValEveryNEpochs, "TrainerOptions.CheckValEveryNEpochs must be at least 1.");
        if (options.LogEveryNSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.LogEveryNSteps, "TrainerOptions.LogEveryNSteps must be at least 1.");
        if (options.FastDevRun < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.FastDevRun, "TrainerOptions.FastDevRun must be 0 (off) or a number of batches.");
        var keys = options.Callbacks.GroupBy(c => c.StateKey).FirstOrDefault(g => g.Count() > 1);
        if (keys is not null)
            throw new ArgumentException($"Two callbacks share the state key '{keys.Key}'; give them different monitors or state keys so a checkpoint can tell their state apart.", nameof(options));
    }
}
