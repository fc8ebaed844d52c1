using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;

namespace Dsl;

/// <summary>
/// Saves checkpoints during <see cref="Trainer.Fit"/>, as Lightning's <c>ModelCheckpoint</c>:
/// after each epoch (and each mid-epoch validation), keeps the <see cref="SaveTopK"/> best by
/// <see cref="Monitor"/>, deleting those that fall out, and optionally <c>last.safetensors</c>.
/// Files are safetensors (parameters under PyTorch <c>state_dict</c> names, plus the trainer
/// state needed to resume), written atomically: a crash mid-write leaves the previous files intact.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    /// <summary>The file extension of checkpoints.</summary>
    public const string Extension = ".safetensors";

    private const string LastFileName = "last" + Extension;

    private readonly CheckpointFileName _fileName;
    private readonly Dictionary<string, double> _bestK = new(StringComparer.Ordinal);
    private long _lastSavedStep = -1;

    /// <summary>Creates the callback.</summary>
    /// <param name="directory">Where checkpoints go; created if missing.</param>
    /// <param name="monitor">The metric that ranks checkpoints (<c>"val_loss"</c>); null keeps the most recent ones.</param>
    /// <param name="mode">Whether lower (<see cref="MonitorMode.Min"/>) or higher is better.</param>
    /// <param name="saveTopK">How many to keep: k best (or k most recent without a monitor); -1 keeps all; 0 none but <c>last</c>.</param>
    /// <param name="saveLast">Also write <c>last.safetensors</c> at every save point.</param>
    /// <param name="fileName">A template such as <c>"{epoch}-{val_loss:F3}"</c>; the default is <c>"epoch={epoch}-step={step}"</c>.</param>
    /// <param name="saveWeightsOnly">Store only the parameters, not the state needed to resume.</param>
    /// <param name="everyNEpochs">Save at the end of every N-th epoch.</param>
    public ModelCheckpoint(
        string directory, string? monitor = null, MonitorMode mode = MonitorMode.Min, int saveTopK = 1, bool saveLast = false,
        string? fileName = null, bool saveWeightsOnly = false, int everyNEpochs = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (monitor is not null)
            ArgumentException.ThrowIfNullOrEmpty(monitor);
        ArgumentOutOfRangeException.ThrowIfLessThan(saveTopK, -1);
        ArgumentOutOfRangeException.ThrowIfLessThan(everyNEpochs, 1);
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Expected MonitorMode.Min or MonitorMode.Max.");
        Directory = Path.GetFullPath(directory);
        Monitor = monitor;
        Mode = mode;
        SaveTopK = saveTopK;
        SaveLast = saveLast;
        SaveWeightsOnly = saveWeightsOnly;
        EveryNEpochs = everyNEpochs;
        _fileName = new CheckpointFileName(fileName ?? "{epoch}-{step}");
    }

    /// <summary>Where checkpoints are written.</summary>
    public string Directory { get; }

    /// <summary>The metric that ranks checkpoints, or null to keep the most recent.</summary>
    public string? Monitor { get; }

    /// <summary>Whether lower or higher is better.</summary>
    public MonitorMode Mode { get; }

    /// <summary>How many checkpoints to keep (-1: all).</summary>
    public int SaveTopK { get; }

    /// <summary>Whether <c>last.safetensors</c> is written too.</summary>
    public bool SaveLast { get; }

    /// <summary>Whether checkpoints hold only the parameters.</summary>
    public bool SaveWeightsOnly { get; }

    /// <summary>Save every N-th epoch.</summary>
    public int EveryNEpochs { get; }

    /// <summary>The best checkpoint so far, or null.</summary>
    public string? BestModelPath { get; private set; }

    /// <summary>The monitored value of <see cref="BestModelPath"/>, or null.</summary>
    public double? BestModelScore { get; private set; }

    /// <summary>The most recent checkpoint written, or null; <c>last</c> when it is written, as it holds the same state as a top-k file written at the same point.</summary>
    public string? LastModelPath { get; private set; }

    /// <summary>The kept checkpoints and their monitored values (their step when there is no monitor).</summary>
    public IReadOnlyDictionary<string, double> BestKModels => _bestK;

    /// <inheritdoc/>
    public override string StateKey => $"ModelCheckpoint{{monitor={Monitor}, mode={Mode}, directory={Directory}}}";

    /// <inheritdoc/>
    public override bool RunsInFastDevRun => false;

    /// <inheritdoc/>
    public override void OnFitStart(Trainer trainer, ITrainableModel model)
    {
        var known = trainer.KnownMetricNames;
        string? unknown = (Monitor is null ? _fileName.Names : _fileName.Names.Append(Monitor)).FirstOrDefault(n => !known.Contains(n));
        if (unknown is not null)
            throw new ArgumentException($"ModelCheckpoint uses '{unknown}' (as its monitor or in its file name), which this run never logs. It logs: {string.Join(", ", known)}.");
        // A run killed while writing a checkpoint leaves a full-size temp file; this is the next
        // run in the folder, so it removes them (only AtomicFile's own, never another writer's).
        if (trainer.IsGlobalZero)
            AtomicFile.DeleteAbandonedTempFiles(Directory);
    }

    /// <inheritdoc/>
    public override void OnValidationEnd(Trainer trainer, ITrainableModel model)
    {
        if (!trainer.IsAtEpochEnd)
            SaveIfDue(trainer);
    }

    /// <inheritdoc/>
    public override void OnTrainEpochEnd(Trainer trainer, ITrainableModel model)
    {
        if ((trainer.CurrentEpoch + 1) % EveryNEpochs == 0)
            SaveIfDue(trainer);
    }

    /// <summary>
    /// Decides whether a checkpoint scored <paramref name="score"/> enters the top k, and which
    /// kept file it pushes out; exposed for tests of the ranking alone.
    /// </summary>
    /// <param name="score">The monitored value (NaN ranks worst), or the step when there is no monitor.</param>
    /// <param name="evicted">The kept file to delete, if any.</param>
    /// <returns>True when the checkpoint should be written.</returns>
    public bool ShouldKeep(double score, out string? evicted)
    {
        evicted = null;
        if (SaveTopK == 0)
            return false;
        if (SaveTopK == -1 || _bestK.Count < SaveTopK)
            return true;
        var worst = _bestK.OrderBy(p => Rank(p.Value)).ThenBy(p => p.Key, StringComparer.Ordinal).Last();
        if (!(Rank(score) < Rank(worst.Value)))
            return false;
        evicted = worst.Key;
        return true;
    }

    /// <inheritdoc/>
    public override JsonObject SaveState()
    {
        var best = new JsonObject();
        foreach (var (path, score) in _bestK)
            best[path] = score.ToString("R", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["best_k_models"] = best,
            ["best_model_path"] = BestModelPath,
            ["last_model_path"] = LastModelPath,
        };
    }

    /// <inheritdoc/>
    public override void ValidateState(JsonObject state) => Parse(state);

    /// <inheritdoc/>
    public override void LoadState(JsonObject state)
    {
        SavedState saved = Parse(state);
        _bestK.Clear();
        foreach (var (path, score) in saved.BestK)
            _bestK[path] = score;
        LastModelPath = saved.LastModelPath;
        UpdateBest();
    }

    /// <summary>
    /// Reads what <see cref="SaveState"/> wrote. The kept files are deleted when they fall out of
    /// the top k, so a path from the file is data, not authority: each must name a file this
    /// callback writes (directly in <see cref="Directory"/>, named by its template). The best
    /// path is not read back: it follows from the kept files and their scores.
    /// </summary>
    private SavedState Parse(JsonObject state)
    {
        var bestK = new List<KeyValuePair<string, double>>();
        foreach (var (path, score) in StateFields.ObjectOrAbsent(state, "best_k_models") ?? new JsonObject())
        {
            if (!IsTopKFile(path))
                throw new System.IO.InvalidDataException($"'best_k_models' lists '{path}', which is not a checkpoint this ModelCheckpoint writes: expected a file in {Directory} named by the template, ending in {Extension}. Files outside that pattern are never deleted.");
            bestK.Add(new(path, StateFields.DoubleText(score, $"best_k_models[\"{path}\"]", allowNaN: true)));
        }

        StateFields.StringOrNull(state, "best_model_path");
        string? last = StateFields.StringOrNull(state, "last_model_path");
        if (last is not null && !IsTopKFile(last) && last != LastPath)
            throw new System.IO.InvalidDataException($"'last_model_path' is '{last}', which is not a checkpoint this ModelCheckpoint writes (in {Directory}).");
        return new SavedState(bestK, last);
    }

    /// <summary>
    /// True when <paramref name="path"/> is a top-k file this callback could have written: a full,
    /// normalised path (no <c>..</c>) directly in <see cref="Directory"/>, named by the template.
    /// </summary>
    private bool IsTopKFile(string path)
    {
        if (!System.IO.Path.IsPathFullyQualified(path) || System.IO.Path.GetFullPath(path) != path)
            return false;
        string? folder = System.IO.Path.GetDirectoryName(path);
        string name = System.IO.Path.GetFileName(path);
        return folder is not null
            && System.IO.Path.TrimEndingDirectorySeparator(folder) == System.IO.Path.TrimEndingDirectorySeparator(Directory)
            && name.EndsWith(Extension, StringComparison.Ordinal)
            && _fileName.CouldHaveFormatted(name[..^Extension.Length]);
    }

    private string LastPath => System.IO.Path.Combine(Directory, LastFileName);

    private void SaveIfDue(Trainer trainer)
    {
        if (trainer.GlobalStep == _lastSavedStep)
            return;
        double? score = null;
        if (Monitor is not null)
        {
            if (!trainer.TryGetMetric(Monitor, out double value))
                return;
            score = value;
        }

        _lastSavedStep = trainer.GlobalStep;
        double ranked = score ?? trainer.GlobalStep;
        // `last` is written first: a crash (a kill) between the two writes then leaves `last`
        // newer than the newest top-k file, never older, so resuming from `last` never loses
        // work that a top-k file holds. Written second, a crash would leave `last` a save behind.
        if (SaveLast)
            trainer.SaveCheckpoint(LastPath, SaveWeightsOnly);
        if (ShouldKeep(ranked, out string? evicted))
        {
            string path = System.IO.Path.Combine(Directory, _fileName.Format(name => Value(trainer, name)) + Extension);
            trainer.SaveCheckpoint(path, SaveWeightsOnly);
            LastModelPath = path;
            _bestK[path] = ranked;
            // Delete only after the new file is safely in place.
            if (evicted is not null && evicted != path)
            {
                _bestK.Remove(evicted);
                if (trainer.IsGlobalZero)
                    File.Delete(evicted);
            }
            UpdateBest();
        }

        if (SaveLast)
        {
            // Both files hold the same state; `last` is the one to name (and resume from).
            LastModelPath = LastPath;
            trainer.NoteCheckpoint(LastPath);
        }
    }

    private void UpdateBest()
    {
        if (_bestK.Count == 0)
        {
            BestModelPath = null;
            BestModelScore = null;
            return;
        }

        var best = _bestK.OrderBy(p => Rank(p.Value)).ThenBy(p => p.Key, StringComparer.Ordinal).First();
        BestModelPath = best.Key;
        BestModelScore = Monitor is null ? null : best.Value;
    }

    /// <summary>
    /// Lower is better after this: the monitored value in its mode, or the newest step without a
    /// monitor. NaN ranks after everything, as Lightning treats it as the worst value.
    /// </summary>
    private double Rank(double score) =>
        double.IsNaN(score) ? double.PositiveInfinity : Monitor is null || Mode == MonitorMode.Max ? -score : score;

    private sealed record SavedState(List<KeyValuePair<string, double>> BestK, string? LastModelPath);

    private static double? Value(Trainer trainer, string name) => name switch
    {
        "epoch" => trainer.CurrentEpoch,
        "step" => trainer.GlobalStep,
        _ => trainer.TryGetMetric(name, out double value) ? value : null,
    };
}
