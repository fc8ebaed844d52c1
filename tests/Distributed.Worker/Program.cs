// Trains SmallMlp with the Trainer (Strategy.Auto: DDP under mpirun with more than one rank) and
// writes, per rank, <out>/initial-rank<r>.bin and <out>/params-rank<r>.bin (the raw float32
// parameters before and after the fit) and <out>/stats-rank<r>.txt
// (world size, optimizer steps, float bytes all-reduced, parameter count, final train loss, bytes of
// optimizer state this rank holds, gradient buckets, peak working set).
//
//   dotnet Distributed.Worker.dll --out DIR --batch B [--steps 20] [--seed S] [--model-seed S]
//       [--die-rank R --die-step S]    rank R kills itself in the middle of step S (in its gradient hook)
//       [--hang-rank R --hang-step S]  rank R sleeps 60 s in the middle of step S
//       [--timeout SECONDS]            TrainerOptions.DistributedTimeout
//       [--wide-rank R]                rank R builds WideMlp instead (a model that differs)
//       [--clip NORM]                  TrainerOptions.GradientClipNorm
//       [--save PATH]                  write a checkpoint after the fit (rank 0 writes it)
//       [--resume PATH]                resume the fit from a checkpoint
//       [--model mlp784]               train 784-1024-1024-10 on random data instead (step-time figures)
//       [--model mlp784adam]           the same with Adam (optimizer state for the ZeRO-1 memory figures)
//       [--model adam]                 train SmallAdamMlp (SmallMlp with Adam: optimizer state to shard)
//       [--model batchnorm]            train BatchNormMlp (buffers: BatchNorm's running statistics)
//       [--broadcast-buffers 0]        TrainerOptions.BroadcastBuffers = false
//       [--shuffle 0]                  visit the examples in order (the loader shuffles by default)
//       [--accumulate N]               TrainerOptions.AccumulateGradBatches
//       [--deal W]                     reorder the data so that a process at batch B visits, batch after
//                                      batch, what W ranks at batch B take of each unshuffled global
//                                      batch (rank 0's share, rank 1's, ...): with --accumulate W, one
//                                      process takes DDP's steps with each rank's own BatchNorm statistics
//       [--strategy ddp|sharded]       Strategy.Ddp or Strategy.ShardedOptimizer (ZeRO-1) instead of Auto
//       [--bucket-mb MIB]              TrainerOptions.GradientBucketCapMegabytes (0: one bucket per parameter)
//       [--device opencl]              train on the first OpenCL device (the gradient hook's device path)
//       [--alone 1]                    Strategy.SingleProcess even under mpirun (step time without communication)

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Dsl;
using Dsl.Distributed.Worker;

var arguments = new Dictionary<string, string>();
for (int i = 0; i + 1 < args.Length; i += 2)
    arguments[args[i].TrimStart('-')] = args[i + 1];
int Int(string name, int fallback) => arguments.TryGetValue(name, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

string output = arguments["out"];
int batch = Int("batch", 32), steps = Int("steps", 20), dieRank = Int("die-rank", -1), dieStep = Int("die-step", -1);
int hangRank = Int("hang-rank", -1), hangStep = Int("hang-step", -1), wideRank = Int("wide-rank", -1);
int rank = int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_RANK"), out int r) ? r : 0;
Directory.CreateDirectory(output);

string modelName = arguments.GetValueOrDefault("model") ?? "";
bool large = modelName.StartsWith("mlp784", StringComparison.Ordinal);
// 256 examples of 20 features, 4 classes from a fixed linear rule: the same data on every rank
// (for mlp784, 1024 examples of 784 features and 10 classes, labelled by the same kind of rule).
int Count = large ? 1024 : 256, Features = large ? 784 : 20, Classes = large ? 10 : 4;
var features = new float[Count * Features];
var labels = new int[Count];
var random = new Random(12345);
for (int i = 0; i < Count; i++)
{
    double best = double.NegativeInfinity;
    for (int f = 0; f < Features; f++)
        features[i * Features + f] = (float)(random.NextDouble() * 2 - 1);
    for (int c = 0; c < Classes; c++)
    {
        double score = 0;
        for (int f = 0; f < Features; f++)
            score += features[i * Features + f] * Math.Sin(1 + c * Features + f);
        if (score > best)
            (best, labels[i]) = (score, c);
    }
}

int deal = Int("deal", 1);
if (deal > 1)
    (features, labels) = Deal(features, labels, Features, batch, deal);
var data = ArrayDataset.FromFeatures(features, Features, labels);
var loader = new DataLoader(data, batch, shuffle: Int("shuffle", 1) != 0, seed: 7);
int modelSeed = Int("model-seed", 1) + rank;
ITrainableModel model = modelName switch
{
    "mlp784adam" => new Mlp784Adam(seed: 1),
    "mlp784" => new Mlp784(seed: 1),
    "adam" => new SmallAdamMlp(seed: modelSeed),
    "batchnorm" => new BatchNormMlp(seed: modelSeed),
    _ when rank == wideRank => new WideMlp(seed: modelSeed),
    _ => new SmallMlp(seed: modelSeed),
};
var options = new TrainerOptions
{
    MaxSteps = steps,
    EnableProgressBar = false,
    LogEveryNSteps = 5,
    DistributedTimeout = TimeSpan.FromSeconds(Int("timeout", 60)),
    GradientHook = new FaultHook(rank, dieRank, dieStep, hangRank, hangStep),
    Strategy = arguments.ContainsKey("alone") ? Strategy.SingleProcess : arguments.GetValueOrDefault("strategy") switch
    {
        "ddp" => Strategy.Ddp,
        "sharded" => Strategy.ShardedOptimizer,
        _ => Strategy.Auto,
    },
};
if (arguments.TryGetValue("bucket-mb", out string? bucketMegabytes))
    options.GradientBucketCapMegabytes = double.Parse(bucketMegabytes, CultureInfo.InvariantCulture);
if (arguments.TryGetValue("broadcast-buffers", out string? broadcastBuffers))
    options.BroadcastBuffers = broadcastBuffers != "0";
if (arguments.TryGetValue("accumulate", out string? accumulate))
    options.AccumulateGradBatches = int.Parse(accumulate, CultureInfo.InvariantCulture);
if (arguments.TryGetValue("clip", out string? clip))
    options.GradientClipNorm = float.Parse(clip, CultureInfo.InvariantCulture);

using Device? openCl = arguments.GetValueOrDefault("device") == "opencl" ? Device.OpenCL() : null;
if (openCl is not null)
{
    options.Device = openCl;
    options.Deterministic = false;
}

File.WriteAllBytes(Path.Combine(output, $"initial-rank{rank}.bin"), MemoryMarshal.AsBytes(model.Parameters.Values).ToArray());
using var trainer = new Trainer(options);
FaultHook.Trainer = trainer;
bool communicates = options.Strategy != Strategy.SingleProcess && MpiWorld.LaunchedSize > 1;
if (communicates)
    FaultHook.Waiting = () => MpiWorld.Initialize().TimeWaiting;
FitResult result;
try
{
    result = trainer.Fit(model, loader, resumeFrom: arguments.GetValueOrDefault("resume"));
}
catch (InvalidCheckpointException e)
{
    // Every rank reads the same file, so every rank refuses it: the tests read these lines.
    Console.Error.WriteLine($"rank {rank}: {e.Message}");
    return 3;
}
if (arguments.TryGetValue("save", out string? save))
    trainer.SaveCheckpoint(save);

int world = options.Strategy == Strategy.SingleProcess ? 1 : MpiWorld.LaunchedSize;
long bytes = world > 1 ? MpiWorld.Initialize().BytesAllReduced : 0;
long broadcast = world > 1 ? MpiWorld.Initialize().BytesBroadcast : 0;
File.WriteAllBytes(Path.Combine(output, $"params-rank{rank}.bin"), MemoryMarshal.AsBytes(model.Parameters.Values).ToArray());
File.WriteAllText(Path.Combine(output, $"stats-rank{rank}.txt"), string.Create(CultureInfo.InvariantCulture,
    $"world {world}\nsteps {result.GlobalStep}\nstep_seconds {FaultHook.SecondsPerStepAfterWarmUp(result.GlobalStep):R}\nwait_seconds {FaultHook.WaitingPerStepAfterWarmUp(result.GlobalStep):R}\nbytes {bytes}\nparameters {model.Parameters.Count}\ntrainable {model.Parameters.TrainableCount}\nbytes_broadcast {broadcast}\nloss_epoch {result.Metrics.GetValueOrDefault("train_loss_epoch", double.NaN):R}\nloss {result.Metrics["train_loss"]:R}\nglobal_zero {trainer.IsGlobalZero}\noptimizer_bytes {trainer.OptimizerState!.StateBytes}\nbuckets {FaultHook.Buckets}\npeak_working_set {Process.GetCurrentProcess().PeakWorkingSet64}\n"));
return 0;

// Each global batch of deal × batch examples, regrouped rank by rank as the DistributedSampler
// deals an unshuffled order (rank r takes positions r, r + deal, ...): rank 0's batch, then rank 1's, ...
static (float[] Features, int[] Labels) Deal(float[] features, int[] labels, int width, int batch, int deal)
{
    var dealtFeatures = new float[features.Length];
    var dealtLabels = new int[labels.Length];
    int global = batch * deal;
    for (int to = 0; to < labels.Length; to++)
    {
        int start = to / global * global, within = to % global;
        int from = start + within % batch * deal + within / batch;
        dealtLabels[to] = labels[from];
        features.AsSpan(from * width, width).CopyTo(dealtFeatures.AsSpan(to * width, width));
    }
    return (dealtFeatures, dealtLabels);
}

/// <summary>Kills or stalls one rank in the middle of one step, for the failure tests.</summary>
internal sealed class FaultHook(int rank, int dieRank, int dieStep, int hangRank, int hangStep) : GradientHook
{
    public static Trainer? Trainer { get; set; }

    // Step time from step 10 on (JIT and first-touch costs excluded): from the first bucket of step 10 to the end of the fit.
    private static long s_warm;
    private static TimeSpan s_waitingAtWarm;

    /// <summary>The job's time spent waiting in collectives so far (MpiWorld.TimeWaiting); null without communication.</summary>
    public static Func<TimeSpan>? Waiting { get; set; }

    public static double SecondsPerStepAfterWarmUp(long steps) =>
        s_warm == 0 || steps <= 10 ? double.NaN : Stopwatch.GetElapsedTime(s_warm).TotalSeconds / (steps - 10);

    /// <summary>Seconds per step spent waiting for collectives from step 10 on: the communication nothing overlapped.</summary>
    public static double WaitingPerStepAfterWarmUp(long steps) =>
        Waiting is null ? 0 : s_warm == 0 || steps <= 10 ? double.NaN : (Waiting() - s_waitingAtWarm).TotalSeconds / (steps - 10);

    /// <summary>How many gradient buckets a step hands over (the largest index seen, plus one).</summary>
    public static int Buckets { get; private set; }

    public override void OnBucketReady(GradientBucket bucket, BucketGradients gradients)
    {
        Buckets = Math.Max(Buckets, bucket.Index + 1);
        long step = Trainer?.GlobalStep ?? 0;
        if (step == 10 && s_warm == 0)
        {
            s_warm = Stopwatch.GetTimestamp();
            s_waitingAtWarm = Waiting?.Invoke() ?? TimeSpan.Zero;
        }
        if (rank == dieRank && step == dieStep)
            Process.GetCurrentProcess().Kill();
        if (rank == hangRank && step == hangStep)
            Thread.Sleep(TimeSpan.FromSeconds(60));
    }
}
