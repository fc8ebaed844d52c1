using System;
using System.Globalization;
using System.Linq;

namespace Dsl;

/// <summary>
/// What <see cref="Strategy.Ddp"/> (and <see cref="Strategy.ShardedOptimizer"/>) adds to a fit: the
/// start-up checks (same model on every rank, rank 0's parameters everywhere), the gradient
/// all-reduce, the per-step broadcast of rank 0's buffers, the reduction of logged values and the agreement on stopping. Every method is collective: all ranks call it at the same point.
/// </summary>
internal sealed class DataParallel
{
    private readonly double[] _flag = new double[1];

    private DataParallel(MpiWorld world, bool shardsOptimizer)
    {
        World = world;
        ShardsOptimizer = shardsOptimizer;
    }

    /// <summary>The job.</summary>
    public MpiWorld World { get; }

    /// <summary>Whether the optimizer's state is sharded across the ranks (<see cref="Strategy.ShardedOptimizer"/>, ZeRO-1).</summary>
    public bool ShardsOptimizer { get; }

    /// <summary>Whether this rank is rank 0, the one that writes files and draws progress.</summary>
    public bool IsGlobalZero => World.Rank == 0;

    /// <summary>The data-parallel context the options ask for, or null to train alone.</summary>
    /// <exception cref="MpiUnavailableException">DDP was asked for and Open MPI is not installed.</exception>
    public static DataParallel? For(TrainerOptions options)
    {
        bool ddp = options.Strategy switch
        {
            Strategy.Ddp or Strategy.ShardedOptimizer => true,
            Strategy.Auto => MpiWorld.LaunchedSize > 1,
            _ => false,
        };
        if (!ddp)
            return null;
        MpiWorld world = MpiWorld.Initialize();
        world.Timeout = options.DistributedTimeout;
        return new DataParallel(world, options.Strategy == Strategy.ShardedOptimizer);
    }

    /// <summary>
    /// Fails on every rank, before any step, when the ranks hold different models: the parameter
    /// count and a hash of the model's name and parameter names and shapes are gathered and compared.
    /// </summary>
    /// <exception cref="InvalidOperationException">The models differ; the message lists each rank's.</exception>
    public void CheckSameModel(ITrainableModel model)
    {
        long count = model.Parameters.Count;
        long architecture = ArchitectureHash(model);
        long[] all = new long[2 * World.Size];
        World.AllGather([count, architecture], all, "the model check");
        for (int r = 0; r < World.Size; r++)
        {
            if (all[2 * r] == count && all[2 * r + 1] == architecture)
                continue;
            string ranks = string.Join("; ", Enumerable.Range(0, World.Size).Select(i =>
                $"rank {i}: {all[2 * i]} parameters, architecture {all[2 * i + 1]:x16}"));
            throw new InvalidOperationException(
                $"Rank {World.Rank}: the ranks hold different models ({ranks}); every rank of a DDP job must build the same model ({model.Name} here).");
        }
    }

    /// <summary>
    /// Gives every rank rank 0's parameters and checks, by a checksum gathered from every rank, that
    /// they arrived intact. The buffers (BatchNorm's running statistics) are in the same flat store,
    /// after the parameters, so they are broadcast from rank 0 too, as DDP does at its start.
    /// </summary>
    /// <exception cref="InvalidOperationException">A rank's checksum differs after the broadcast.</exception>
    public void BroadcastParameters(ParameterStore parameters)
    {
        World.Broadcast(parameters.Buffer, 0, "the broadcast of rank 0's parameters");
        long checksum = Checksum(parameters.Values);
        Span<long> all = new long[World.Size];
        World.AllGather([checksum], all, "the parameter checksum");
        for (int r = 0; r < World.Size; r++)
            if (all[r] != all[0])
                throw new InvalidOperationException($"Rank {World.Rank}: after the broadcast, rank {r}'s parameters have checksum {all[r]:x16} and rank 0's {all[0]:x16}.");
    }

    /// <summary>
    /// Gives every rank rank 0's buffers, the suffix of the store after
    /// <see cref="ParameterStore.TrainableCount"/> (PyTorch DDP's per-forward buffer broadcast); a
    /// store without buffers sends nothing. A device program's store is downloaded and uploaded
    /// whole for it (the store syncs as one array), so a device model with buffers pays that per step.
    /// </summary>
    public void BroadcastBuffers(ParameterStore parameters)
    {
        int trainable = parameters.TrainableCount;
        if (trainable == parameters.Count)
            return;
        World.Broadcast(parameters.Buffer.AsSpan(trainable), 0, "the broadcast of rank 0's buffers");
    }

    /// <summary>Sums <paramref name="values"/> over the ranks, in place (weighted metric sums and their weights).</summary>
    public void Sum(Span<double> values, string what) => World.AllReduceSum(values, what);

    /// <summary>True on every rank when any rank asked to stop (an EarlyStopping on one rank stops all).</summary>
    public bool AnyStops(bool stop)
    {
        _flag[0] = stop ? 1 : 0;
        World.AllReduceSum(_flag, "the agreement on stopping");
        return _flag[0] > 0;
    }

    /// <summary>The bits of every float, FNV-1a hashed: equal parameters give equal sums on every rank.</summary>
    public static long Checksum(ReadOnlySpan<float> values)
    {
        ulong hash = 14695981039346656037UL;
        foreach (float value in values)
            hash = (hash ^ BitConverter.SingleToUInt32Bits(value)) * 1099511628211UL;
        return unchecked((long)hash);
    }

    private static long ArchitectureHash(ITrainableModel model)
    {
        string text = model.Name + "|" + string.Join("|", model.Parameters.Parameters.Select(p =>
            p.Name + "[" + string.Join(",", p.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]"));
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
            hash = (hash ^ c) * 1099511628211UL;
        return unchecked((long)hash);
    }
}
