using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Digits;
using Dsl;

namespace DigitsWeb;

/// <summary>
/// The model the app serves and trains, shared by every request.
/// </summary>
/// <remarks>
/// A compiled program runs one call at a time, and programs compiled from one model share its
/// parameters, so serving and training are kept apart:
/// <list type="bullet">
/// <item>One <em>learner</em> model with one training program. Corrections and saves take
/// <c>_learning</c>, so training is serialized; the learner's parameters are never read by a
/// prediction.</item>
/// <item>After a correction the learner's parameters are copied into a new, immutable
/// <see cref="Snapshot"/> with the next version and published by one reference write. A
/// prediction reads the reference once, so it sees one whole version, old or new, never a
/// parameter buffer mid-update.</item>
/// <item>Predictions run on a pool of <see cref="Predictor"/>s, each its own model (own
/// parameter buffer) with its own predict program, used by one request at a time. A predictor
/// whose copy is older than the published snapshot copies it in before predicting.</item>
/// </list>
/// </remarks>
public sealed class DigitsModelHost : IDisposable
{
    private const int TrainBatch = 32;

    // The corrected drawing fills this many rows of each training batch and the replay examples
    // the rest: enough weight that a few steps move the answer, little enough that the replay
    // keeps the other digits where they were.
    private const int CorrectionRows = 4;

    private readonly DigitsClassifier _learner;
    private readonly DigitsClassifier.Program _training;
    private readonly object _learning = new();
    private readonly Task<ReplaySet> _replay;
    private readonly Random _replayOrder = new(0);
    private readonly ConcurrentBag<Predictor> _idle = new();
    private readonly SemaphoreSlim _slots;
    private readonly int _steps;
    private Snapshot _published;
    private int _predictors;
    private bool _disposed;

    private DigitsModelHost(DigitsWebOptions options, DigitsClassifier learner, Task<ReplaySet> replay)
    {
        Options = options;
        _learner = learner;
        _replay = replay;
        _steps = options.StepsPerCorrection;
        _slots = new SemaphoreSlim(options.Predictors, options.Predictors);
        _training = learner.Compile(Device.Cpu, maxBatch: TrainBatch);
        _published = new Snapshot(0, Copy(learner.Parameters));
    }

    /// <summary>The options the host was loaded with.</summary>
    public DigitsWebOptions Options { get; }

    /// <summary>The version predictions use now: 0 as loaded, one more per correction.</summary>
    public long Version => Volatile.Read(ref _published).Version;

    /// <summary>The predict programs compiled so far.</summary>
    public int Predictors => Volatile.Read(ref _predictors);

    /// <summary>Loads the checkpoint and the replay set and compiles the training program.</summary>
    /// <param name="options">What to load.</param>
    /// <returns>The host, at version 0.</returns>
    /// <exception cref="FileNotFoundException">The checkpoint or the data is missing; the message names the file and how to make it.</exception>
    /// <exception cref="InvalidDataException">The checkpoint is not a Digits checkpoint.</exception>
    public static DigitsModelHost Load(DigitsWebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(options.CheckpointPath))
        {
            throw new FileNotFoundException(
                $"No checkpoint at '{options.CheckpointPath}'. Make one with the Digits sample: " +
                "`dotnet run --project samples/Digits -- --output DIR`, then start this app with " +
                "`--checkpoint DIR/checkpoints/last.safetensors` (or copy that file to the path above).",
                options.CheckpointPath);
        }

        if (!File.Exists(options.DataPath))
        {
            throw new FileNotFoundException(
                $"No digits data at '{options.DataPath}' (the replay examples corrections train beside); " +
                "pass --data PATH to samples/Digits/data/digits.csv.gz.", options.DataPath);
        }

        var learner = new DigitsClassifier(seed: 0);
        learner.Parameters.LoadSafeTensors(options.CheckpointPath);
        // The replay set is only needed by the first correction: reading it beside the server's
        // start keeps the start short (the app is to be up in well under 100 ms as NativeAOT).
        // A bad file fails each correction instead (HTTP 500; the server logs the loader's message,
        // which names the file and line); predictions do not need it and keep working.
        Task<ReplaySet> replay = Task.Run(() => ReplaySet.LoadTrainingSplit(options.DataPath));
        return new DigitsModelHost(options, learner, replay);
    }

    /// <summary>Classifies 64 features (block counts / 16) with the published parameters.</summary>
    /// <param name="features">64 values in [0, 1].</param>
    /// <param name="cancellation">Cancels waiting for a free predictor.</param>
    /// <returns>The 10 probabilities and the version they were computed with.</returns>
    public async ValueTask<(float[] Probabilities, long Version)> PredictAsync(float[] features, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(features);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            // A slot guarantees an idle predictor or room to compile one.
            if (!_idle.TryTake(out Predictor? predictor))
            {
                predictor = new Predictor();
                Interlocked.Increment(ref _predictors);
            }

            try
            {
                return predictor.Predict(Volatile.Read(ref _published), features);
            }
            finally
            {
                _idle.Add(predictor);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// Learns that the drawing is <paramref name="label"/>: <see cref="DigitsWebOptions.StepsPerCorrection"/>
    /// Adam steps on batches of the drawing and replay examples, then publishes the parameters as
    /// the next version. Corrections run one at a time; predictions keep running meanwhile on
    /// the previous version.
    /// </summary>
    /// <param name="features">64 values in [0, 1].</param>
    /// <param name="label">The true digit, 0-9.</param>
    /// <returns>The last step's loss and the published version.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is not 0-9.</exception>
    public (float Loss, long Version) Correct(ReadOnlySpan<float> features, int label)
    {
        if (features.Length != Drawing.FeatureCount)
            throw new ArgumentException($"Expected {Drawing.FeatureCount} features, got {features.Length}.", nameof(features));
        if ((uint)label > 9)
            throw new ArgumentOutOfRangeException(nameof(label), label, "A digit is 0-9.");
        ObjectDisposedException.ThrowIf(_disposed, this);

        ReplaySet replay = _replay.GetAwaiter().GetResult();
        float[] x = new float[TrainBatch * Drawing.FeatureCount];
        int[] y = new int[TrainBatch];
        lock (_learning)
        {
            float loss = 0;
            try
            {
                for (int step = 0; step < _steps; step++)
                {
                    for (int row = 0; row < TrainBatch; row++)
                    {
                        if (row < CorrectionRows)
                        {
                            features.CopyTo(x.AsSpan(row * Drawing.FeatureCount));
                            y[row] = label;
                        }
                        else
                        {
                            replay.CopyTo(_replayOrder.Next(replay.Count), x, y, row);
                        }
                    }

                    loss = _training.TrainStep(x, y);
                }
            }
            catch
            {
                // A failed step (a non-finite loss) leaves the learner where predictions are not:
                // put it back to the published version so the two never drift apart.
                _learner.Parameters.CopyFrom(_published.Parameters);
                throw;
            }

            var next = new Snapshot(_published.Version + 1, Copy(_learner.Parameters));
            Volatile.Write(ref _published, next);
            return (loss, next.Version);
        }
    }

    /// <summary>
    /// Writes the published parameters to <see cref="DigitsWebOptions.SavePath"/> (or
    /// <paramref name="path"/>) as safetensors, atomically: a save that fails part-way leaves the
    /// previous file whole. Waits for a running correction.
    /// </summary>
    /// <param name="path">Where to write; null for the configured path.</param>
    /// <param name="wrap">For tests: wraps the file stream (e.g. to fail part-way); null in the app.</param>
    /// <returns>The file and the version written.</returns>
    public (string Path, long Version) Save(string? path = null, Func<Stream, Stream>? wrap = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        string target = Path.GetFullPath(path ?? Options.SavePath);
        lock (_learning)
        {
            // Under the lock the learner's parameters are exactly the published version.
            Snapshot saved = _published;
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["format"] = "pt",
                ["digitsweb.version"] = saved.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["digitsweb.loaded_from"] = Options.CheckpointPath,
            };
            IReadOnlyList<SafeTensor> tensors = _learner.Parameters.ToSafeTensors();
            AtomicFile.Write(target, stream => SafeTensors.Write(wrap is null ? stream : wrap(stream), tensors, metadata));
            return (target, saved.Version);
        }
    }

    /// <summary>Releases the programs. Call once requests have stopped.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        lock (_learning)
            _training.Dispose();
        while (_idle.TryTake(out Predictor? predictor))
            predictor.Dispose();
    }

    // A copy of the parameters through CopyTo, a read: Buffer would count as a host write.
    private static float[] Copy(ParameterStore parameters)
    {
        float[] values = new float[parameters.Count];
        parameters.CopyTo(values);
        return values;
    }

    /// <summary>One published version of the parameters; never written after it is made.</summary>
    private sealed record Snapshot(long Version, float[] Parameters);

    /// <summary>A model of its own and its predict program; one request uses it at a time.</summary>
    private sealed class Predictor : IDisposable
    {
        private readonly DigitsClassifier _model = new(seed: 0);
        private readonly DigitsClassifier.Program _program;
        private readonly float[] _logits = new float[10];
        private long _version = -1;

        public Predictor() => _program = _model.Compile(Device.Cpu, maxBatch: 1);

        public (float[] Probabilities, long Version) Predict(Snapshot snapshot, float[] features)
        {
            if (_version != snapshot.Version)
            {
                _model.Parameters.CopyFrom(snapshot.Parameters);
                _version = snapshot.Version;
            }

            _program.Predict(features, _logits);
            return (Softmax(_logits), _version);
        }

        public void Dispose() => _program.Dispose();

        private static float[] Softmax(ReadOnlySpan<float> logits)
        {
            float max = float.NegativeInfinity;
            foreach (float l in logits)
                max = Math.Max(max, l);
            float[] p = new float[logits.Length];
            float sum = 0;
            for (int i = 0; i < p.Length; i++)
                sum += p[i] = MathF.Exp(logits[i] - max);
            for (int i = 0; i < p.Length; i++)
                p[i] /= sum;
            return p;
        }
    }
}
