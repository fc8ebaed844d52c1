using System;
using System.Text.Json.Nodes;

namespace Dsl;

/// <summary>
/// Code that runs at fixed points of <see cref="Trainer.Fit"/>, as Lightning's <c>Callback</c>:
/// override the hooks you need. A callback with state that must survive a resume (a best score,
/// a patience counter) returns it from <see cref="SaveState"/>; checkpoints store it under
/// <see cref="StateKey"/>; on resume <see cref="ValidateState"/> checks it and <see cref="LoadState"/> gets it back.
/// </summary>
public abstract class Callback
{
    /// <summary>The key of this callback's state in a checkpoint; unique among a run's callbacks.</summary>
    public virtual string StateKey => GetType().Name;

    /// <summary>Whether the callback runs during a <see cref="TrainerOptions.FastDevRun"/> (checkpointing and early stopping do not).</summary>
    public virtual bool RunsInFastDevRun => true;

    /// <summary>Called when Fit starts, after a resumed checkpoint's state is loaded.</summary>
    /// <param name="trainer">The trainer.</param>
    /// <param name="model">The model being trained.</param>
    public virtual void OnFitStart(Trainer trainer, ITrainableModel model)
    {
    }

    /// <summary>Called when Fit ends normally or stops early (not when it throws).</summary>
    /// <param name="trainer">The trainer.</param>
    /// <param name="model">The model.</param>
    public virtual void OnFitEnd(Trainer trainer, ITrainableModel model)
    {
    }

    /// <summary>Called before each training epoch.</summary>
    /// <param name="trainer">The trainer.</param>
    /// <param name="model">The model.</param>
    public virtual void OnTrainEpochStart(Trainer trainer, ITrainableModel model)
    {
    }

    /// <summary>Called after each training batch; <see cref="Trainer.Log"/> adds to that step's logged metrics.</summary>
    /// <param name="trainer">The trainer.</param>
    /// <param name="model">The model.</param>
    /// <param name="loss">The batch loss.</param>
    public virtual void OnTrainBatchEnd(Trainer trainer, ITrainableModel model, float loss)
    {
    }

    /// <summary>Called after each validation pass, with its metrics in <see cref="Trainer.CallbackMetrics"/>.</summary>
    /// <param name="trainer">The trainer.</param>
    /// <param name="model">The model.</param>
    public virtual void OnValidationEnd(Trainer trainer, ITrainableModel model)
    {
    }

    /// <summary>Called after each training epoch (after its end-of-epoch validation), with the epoch's metrics in <see cref="Trainer.CallbackMetrics"/>.</summary>
    /// <param name="trainer">The trainer.</param>
    /// <param name="model">The model.</param>
    public virtual void OnTrainEpochEnd(Trainer trainer, ITrainableModel model)
    {
    }

    /// <summary>Called when Fit is about to throw (a diverged loss, bad data), before loggers are closed.</summary>
    /// <param name="trainer">The trainer.</param>
    /// <param name="model">The model.</param>
    /// <param name="exception">What went wrong.</param>
    public virtual void OnException(Trainer trainer, ITrainableModel model, Exception exception)
    {
    }

    /// <summary>The state to store in a checkpoint, or null for none.</summary>
    public virtual JsonObject? SaveState() => null;

    /// <summary>
    /// Checks a state read back from a checkpoint without changing anything. A checkpoint is a
    /// file, so its state may be malformed or hostile: <see cref="Trainer.Fit"/> calls this on
    /// every callback, and checks the rest of the file, before it loads any state or parameter,
    /// so that a bad file changes nothing. The default accepts any state.
    /// </summary>
    /// <param name="state">The stored state, as the file has it.</param>
    /// <exception cref="System.IO.InvalidDataException">The state is malformed; the message names the field and what was expected. Fit reports it, with the file, as an <see cref="InvalidCheckpointException"/>.</exception>
    public virtual void ValidateState(JsonObject state)
    {
    }

    /// <summary>
    /// Restores what <see cref="SaveState"/> returned, when resuming. Fit calls it only with a
    /// state <see cref="ValidateState"/> accepted, so it should not throw.
    /// </summary>
    /// <param name="state">The stored state.</param>
    /// <exception cref="System.IO.InvalidDataException">The state is malformed (when called without <see cref="ValidateState"/>).</exception>
    public virtual void LoadState(JsonObject state)
    {
    }
}
