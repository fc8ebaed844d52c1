using System;
using System.Collections.Generic;
using System.Linq;

namespace Dsl;

/// <summary>
/// ZeRO-1's optimizer state (<see cref="Strategy.ShardedOptimizer"/>): each rank keeps the moments
/// of its own contiguous shard of the parameters only (a state of the shard's length made by the
/// same <see cref="Dsl.Optimizer"/>), updates that shard from the all-reduced gradient, and the
/// parameters are then all-gathered, so every rank ends the step with the same whole model.
/// </summary>
/// <remarks>
/// The update is element-wise, so a shard's elements come out bit for bit as under
/// <see cref="Strategy.Ddp"/>, where every rank updates every element. The gradient norm (and so
/// clipping) is measured over the whole all-reduced gradient, which every rank holds.
/// <see cref="OptimizerState.Buffers"/> are whole-length copies made for checkpoints:
/// <see cref="GatherForCheckpoint"/> fills them on rank 0 from every rank's shard, and after a
/// checkpoint is restored into them <see cref="KeepOwnShard"/> takes each rank's range back.
/// </remarks>
internal sealed class ShardedOptimizerState : OptimizerState
{
    private readonly MpiWorld _world;
    private readonly ShardLayout _shards;
    private readonly OptimizerState _shard;
    private OptimizerBuffer[]? _whole;

    /// <summary>Makes this rank's shard of the state for a flat buffer of <paramref name="parameterCount"/> parameters.</summary>
    public ShardedOptimizerState(Optimizer optimizer, int parameterCount, MpiWorld world)
        : base(optimizer, parameterCount)
    {
        _world = world;
        _shards = new ShardLayout(parameterCount, world.Size);
        _shard = optimizer.CreateState(ShardLength);
    }

    /// <summary>Where this rank's shard starts in the flat parameter buffer.</summary>
    public int ShardOffset => _shards.Offsets[_world.Rank];

    /// <summary>How many parameters this rank updates.</summary>
    public int ShardLength => _shards.Counts[_world.Rank];

    /// <summary>Bytes of optimizer state this rank keeps between steps: its shard's moments only (the whole-length copies exist only around a checkpoint).</summary>
    public override long StateBytes => _shard.StateBytes;

    /// <summary>The whole-length copies of the buffers, made on first use with this rank's shard in place (see the remarks).</summary>
    protected override IReadOnlyList<OptimizerBuffer> StateBuffers => _whole ??= MakeWhole();

    protected override void UpdateCore(Span<float> parameters, ReadOnlySpan<float> gradients, float gradientScale)
    {
        // The base class has counted the step and measured the whole gradient's norm; the shard's
        // state takes the same step number, epoch (for a schedule) and norm (for clipping).
        _shard.Step = Step - 1;
        _shard.Epoch = Epoch;
        _shard.UpdateShard(parameters.Slice(ShardOffset, ShardLength), gradients.Slice(ShardOffset, ShardLength), LastGradientNorm);
        _world.AllGatherInPlace(parameters, _shards, $"the all-gather of the parameters after step {Step}");
    }

    /// <summary>Collective: fills the whole-length buffers on rank 0 with every rank's shard, for a checkpoint that rank 0 writes.</summary>
    public void GatherForCheckpoint()
    {
        IReadOnlyList<OptimizerBuffer> whole = StateBuffers;
        IReadOnlyList<OptimizerBuffer> mine = _shard.HostBuffers;
        for (int i = 0; i < mine.Count; i++)
            _world.Gather(mine[i].Values.Span, whole[i].Values.Span, _shards, 0, $"the gather of the optimizer's {mine[i].Name} for a checkpoint");
    }

    /// <summary>After a checkpoint was restored into the whole-length buffers (on every rank), keeps this rank's range and drops the copies.</summary>
    public void KeepOwnShard()
    {
        if (_whole is null)
            return;
        IReadOnlyList<OptimizerBuffer> mine = _shard.HostBuffers;
        for (int i = 0; i < mine.Count; i++)
            _whole[i].Values.Span.Slice(ShardOffset, ShardLength).CopyTo(mine[i].Values.Span);
        _shard.Step = Step;
        ReleaseWhole();
    }

    /// <summary>Drops the whole-length copies (after a checkpoint is written): between checkpoints a rank holds its shard only.</summary>
    public void ReleaseWhole() => _whole = null;

    private OptimizerBuffer[] MakeWhole() => _shard.HostBuffers.Select(b =>
    {
        var values = new float[ParameterCount];
        b.Values.Span.CopyTo(values.AsSpan(ShardOffset, ShardLength));
        return new OptimizerBuffer(b.Name, values);
    }).ToArray();
}
