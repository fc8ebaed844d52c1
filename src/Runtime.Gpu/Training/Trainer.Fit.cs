using System;

namespace Dsl;

public sealed partial class Trainer
{
    private FitLoop? _fit;

    /// <summary>
    /// Whether this process is the one that writes checkpoints and logs and draws progress
    /// (Lightning's <c>is_global_zero</c>): true when training alone, and on rank 0 only under
    /// <see cref="Strategy.Ddp"/>.
    /// </summary>
    public bool IsGlobalZero => _fit?.IsGlobalZero ?? true;

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/>, validating on
    /// <paramref name="validation"/> as the options say, until <see cref="TrainerOptions.MaxEpochs"/>,
    /// <see cref="TrainerOptions.MaxSteps"/> or <see cref="ShouldStop"/>.
    /// </summary>
    /// <param name="model">A <c>[Model]</c> class with a <c>[TrainingStep]</c> and an <c>[Optimizer]</c>.</param>
    /// <param name="train">The training batches; its columns feed the training step's inputs in order.</param>
    /// <param name="validation">Optional validation batches for the <c>[ValidationStep]</c>.</param>
    /// <param name="resumeFrom">
    /// A checkpoint written by this trainer's <see cref="ModelCheckpoint"/> or <see cref="SaveCheckpoint"/>:
    /// parameters, optimizer state, epoch, step, position in the epoch and callback state are
    /// restored, so the run continues exactly where that one stopped.
    /// </param>
    /// <returns>How far training went and the final metrics.</returns>
    /// <exception cref="TrainingDivergedException">A batch's loss was NaN or infinite; the message names it and the last good checkpoint.</exception>
    /// <exception cref="InvalidCheckpointException">
    /// <paramref name="resumeFrom"/> is not a checkpoint this run can resume from: corrupt, from another
    /// model or optimizer, or a tensor, <c>dsl.*</c> field or callback state is malformed. The message
    /// names the file and the field; the model, the optimizer state and the callbacks are unchanged.
    /// </exception>
    /// <exception cref="System.IO.FileNotFoundException"><paramref name="resumeFrom"/> does not exist.</exception>
    /// <exception cref="System.IO.InvalidDataException">An example is invalid (a label out of range, a NaN feature), naming where it came from.</exception>
    /// <exception cref="ArgumentException">The loaders' columns do not match the model's steps.</exception>
    /// <exception cref="InvalidOperationException">Another <c>Fit</c>, <c>Validate</c>, <c>Test</c> or <c>Predict</c> is running on this trainer.</exception>
    public FitResult Fit(ITrainableModel model, DataLoader train, DataLoader? validation = null, string? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        BeginCall(nameof(Fit), model);
        try
        {
            CompiledProgram program = ProgramFor(model, Math.Max(train.BatchSize, validation?.BatchSize ?? 0));
            _fit = new FitLoop(this, model, program, train, validation);
            return _fit.Run(resumeFrom);
        }
        finally
        {
            EndCall();
        }
    }

    /// <summary>
    /// Writes a checkpoint of the run in progress (or the last one) to <paramref name="path"/>,
    /// atomically: the model's parameters under their <c>state_dict</c> names, and unless
    /// <paramref name="weightsOnly"/>, everything <see cref="Fit"/> needs to resume.
    /// </summary>
    /// <param name="path">The file, conventionally <c>*.safetensors</c>.</param>
    /// <param name="weightsOnly">Store only the parameters (a file for inference or for other frameworks).</param>
    /// <exception cref="InvalidOperationException">No <see cref="Fit"/> has run on this trainer.</exception>
    public void SaveCheckpoint(string path, bool weightsOnly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FitLoop fit = _fit ?? throw new InvalidOperationException("SaveCheckpoint needs a run: call Fit first (or save the parameters with model.Parameters.SaveSafeTensors).");
        fit.SaveCheckpoint(path, weightsOnly);
        NoteCheckpoint(path);
    }
}
