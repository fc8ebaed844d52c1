namespace Dsl;

/// <summary>
/// A model the <see cref="Trainer"/> can fit: every <c>[Model]</c> class implements it through
/// the generator. Its hooks have empty default bodies; a model overrides one by declaring a
/// public method with the same signature (<c>public void OnTrainEpochEnd(Trainer trainer)</c>),
/// as a LightningModule overrides <c>on_train_epoch_end</c>.
/// </summary>
public interface ITrainableModel
{
    /// <summary>The model's class name, for logs and checkpoint metadata.</summary>
    string Name { get; }

    /// <summary>The compile-time summary of layers and shapes.</summary>
    string Summary { get; }

    /// <summary>The model's parameters, trained in place.</summary>
    ParameterStore Parameters { get; }

    /// <summary>Compiles the model for a device and a largest batch.</summary>
    /// <param name="device">The device.</param>
    /// <param name="maxBatch">The largest batch any call will pass.</param>
    /// <param name="lossReduction">Mean or sum of the per-example losses.</param>
    /// <returns>A program sharing the model's parameters; the caller disposes it.</returns>
    CompiledProgram Compile(Device device, int maxBatch, LossReduction lossReduction);

    /// <summary>Called once when <see cref="Trainer.Fit"/> starts, after a checkpoint to resume from is loaded.</summary>
    /// <param name="trainer">The trainer (epoch, step, metrics, <see cref="Trainer.ShouldStop"/>).</param>
    void OnFitStart(Trainer trainer) { }

    /// <summary>Called once when <see cref="Trainer.Fit"/> ends, also when it stops early.</summary>
    /// <param name="trainer">The trainer.</param>
    void OnFitEnd(Trainer trainer) { }

    /// <summary>Called before the first batch of each training epoch.</summary>
    /// <param name="trainer">The trainer.</param>
    void OnTrainEpochStart(Trainer trainer) { }

    /// <summary>Called after each training batch's update, with its loss.</summary>
    /// <param name="trainer">The trainer.</param>
    /// <param name="loss">The batch loss.</param>
    void OnTrainBatchEnd(Trainer trainer, float loss) { }

    /// <summary>Called after the last batch of each training epoch, after validation when it ran at the epoch's end.</summary>
    /// <param name="trainer">The trainer; <see cref="Trainer.CallbackMetrics"/> holds the epoch's metrics.</param>
    void OnTrainEpochEnd(Trainer trainer) { }

    /// <summary>Called after each validation pass.</summary>
    /// <param name="trainer">The trainer; <see cref="Trainer.CallbackMetrics"/> holds the validation metrics.</param>
    void OnValidationEpochEnd(Trainer trainer) { }
}
