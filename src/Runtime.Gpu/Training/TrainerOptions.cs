using System.Collections.Generic;
using System.IO;

namespace Dsl;

/// <summary>
/// How a <see cref="Trainer"/> runs, named after PyTorch Lightning's <c>Trainer</c> arguments.
/// Every property has Lightning's default unless noted.
/// </summary>
public sealed class TrainerOptions
{
    /// <summary>Stop after this many epochs (Lightning's <c>max_epochs</c>; default 1000, as Lightning's when neither limit is set).</summary>
    public int MaxEpochs { get; set; } = 1000;

    /// <summary>Stop after this many optimizer steps; -1 (the default) for no limit.</summary>
    public long MaxSteps { get; set; } = -1;

    /// <summary>The device to compile the model for; null (the default) means <see cref="Device.Default"/>.</summary>
    public Device? Device { get; set; }

    /// <summary>
    /// The run's seed, stored in checkpoints and logged with the hyper-parameters. Parameters are
    /// seeded by the model's constructor and shuffling by each <see cref="DataLoader"/>'s seed; this
    /// one keys the [Dropout] masks (<see cref="CompiledProgram.DropoutSeed"/>), drawn by Philox of
    /// it and the optimizer's step, so a resumed run with the same seed draws the same masks.
    /// </summary>
    public int Seed { get; set; }

    /// <summary>Clip gradients to this global L2 norm before each update (Lightning's <c>gradient_clip_val</c> with the norm algorithm); null never clips.</summary>
    public float? GradientClipNorm { get; set; }

    /// <summary>Sum the gradients of this many batches (each scaled by 1/N) per optimizer step.</summary>
    public int AccumulateGradBatches { get; set; } = 1;

    /// <summary>Validate after every N-th training epoch.</summary>
    public int CheckValEveryNEpochs { get; set; } = 1;

    /// <summary>
    /// How often to validate within an epoch: a fraction (<c>0.25</c> = four times per epoch) or a
    /// count of training batches (<c>100</c>). The default, the whole epoch, validates at its end.
    /// </summary>
    public Batches ValCheckInterval { get; set; } = Batches.All;

    /// <summary>Training batches per epoch: a count or a fraction of the loader's.</summary>
    public Batches LimitTrainBatches { get; set; } = Batches.All;

    /// <summary>Validation batches per validation pass: a count or a fraction of the loader's.</summary>
    public Batches LimitValBatches { get; set; } = Batches.All;

    /// <summary>Batches per <see cref="Trainer.Test"/>: a count or a fraction of the loader's.</summary>
    public Batches LimitTestBatches { get; set; } = Batches.All;

    /// <summary>
    /// When N &gt; 0, run N training and N validation batches for one epoch without loggers,
    /// checkpoints or early stopping, to check that everything runs (Lightning's <c>fast_dev_run</c>).
    /// </summary>
    public int FastDevRun { get; set; }

    /// <summary>
    /// Require bit-reproducible runs. The CPU backend always is (fixed work splits, no atomics);
    /// a device that cannot promise it makes <see cref="Trainer.Fit"/> throw rather than run.
    /// </summary>
    public bool Deterministic { get; set; } = true;

    /// <summary>Send training-step metrics to the loggers every N optimizer steps.</summary>
    public int LogEveryNSteps { get; set; } = 50;

    /// <summary>Show a progress bar (one line per epoch when output is not a terminal).</summary>
    public bool EnableProgressBar { get; set; } = true;

    /// <summary>Where the progress display writes; null (the default) means the console.</summary>
    public TextWriter? ProgressOutput { get; set; }

    /// <summary>Whether a training step averages the per-example losses (the default) or sums them.</summary>
    public LossReduction LossReduction { get; set; } = LossReduction.Mean;

    /// <summary>
    /// Runs between each step's backward pass and its update, per gradient bucket (see
    /// <see cref="Dsl.GradientHook"/>); null (the default) for none. With <see cref="AccumulateGradBatches"/>
    /// above 1 it runs once per update, on the accumulated gradient. Under <see cref="Strategy.Ddp"/>
    /// it sees each bucket once its all-reduce has completed, on the averaged gradients.
    /// </summary>
    public GradientHook? GradientHook { get; set; }

    /// <summary>
    /// Whether to train alone or data-parallel across the ranks of an <c>mpirun</c> job
    /// (Lightning's <c>strategy</c>); <see cref="Strategy.Auto"/>, the default, picks
    /// <see cref="Strategy.Ddp"/> under <c>mpirun</c> with more than one rank.
    /// </summary>
    public Strategy Strategy { get; set; } = Strategy.Auto;

    /// <summary>
    /// Under <see cref="Strategy.Ddp"/> and <see cref="Strategy.ShardedOptimizer"/>, the size of the
    /// gradient buckets each all-reduce carries, in MiB (PyTorch DDP's <c>bucket_cap_mb</c>, default
    /// 25): neighbouring parameters are merged, in reverse order, while a bucket stays within it, and
    /// each bucket's all-reduce starts as soon as its gradients are final, overlapping the rest of
    /// the backward pass. 0 keeps one bucket per parameter tensor and lets the CPU program update
    /// each parameter as soon as its bucket is all-reduced (less memory, no overlap).
    /// </summary>
    /// <exception cref="System.ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double GradientBucketCapMegabytes
    {
        get => _bucketCapMegabytes;
        set => _bucketCapMegabytes = double.IsFinite(value) && value >= 0
            ? value
            : throw new System.ArgumentOutOfRangeException(nameof(value), value, "GradientBucketCapMegabytes must be 0 or more.");
    }

    private double _bucketCapMegabytes = 25;

    /// <summary>
    /// Under <see cref="Strategy.Ddp"/> and <see cref="Strategy.ShardedOptimizer"/>, whether every
    /// rank takes rank 0's buffers (BatchNorm's <c>running_mean</c>, <c>running_var</c>,
    /// <c>num_batches_tracked</c>) before each training batch's forward pass, as PyTorch DDP's
    /// <c>broadcast_buffers</c> (default true). The Trainer also broadcasts them before a validation
    /// pass and at the end of the fit, so every rank validates and ends with rank 0's model. Each
    /// rank still normalises with its own batch's statistics (DDP without <c>SyncBatchNorm</c>).
    /// False leaves each rank's buffers to follow its own batches after the start-up broadcast.
    /// A model without buffers communicates nothing either way.
    /// </summary>
    public bool BroadcastBuffers { get; set; } = true;

    /// <summary>
    /// Under <see cref="Strategy.Ddp"/>, how long a rank waits for its peers in one collective
    /// (a bucket's all-reduce, a metric's reduction) before it fails the job, naming itself: a dead
    /// or hung peer becomes an error, never a hang. Default 5 minutes.
    /// </summary>
    public System.TimeSpan DistributedTimeout { get; set; } = System.TimeSpan.FromMinutes(5);

    /// <summary>Callbacks, called in order: <see cref="ModelCheckpoint"/>, <see cref="EarlyStopping"/>, <see cref="LearningRateMonitor"/>, or your own.</summary>
    public IList<Callback> Callbacks { get; } = new List<Callback>();

    /// <summary>Loggers that receive every logged metric: <see cref="CsvLogger"/>, <see cref="TensorBoardLogger"/>, or your own.</summary>
    public IList<MetricLogger> Loggers { get; } = new List<MetricLogger>();
}
