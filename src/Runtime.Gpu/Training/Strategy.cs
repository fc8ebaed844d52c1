namespace Dsl;

/// <summary>How a <see cref="Trainer"/> spreads training over processes (Lightning's <c>strategy</c>).</summary>
public enum Strategy
{
    /// <summary>
    /// <see cref="Ddp"/> when the process was launched by <c>mpirun</c> with more than one rank,
    /// otherwise <see cref="SingleProcess"/>.
    /// </summary>
    Auto,

    /// <summary>This process trains alone.</summary>
    SingleProcess,

    /// <summary>
    /// Distributed data parallel over Open MPI: every rank holds the whole model, trains on its
    /// share of each batch (a <see cref="DistributedSampler"/>), and averages the gradients with an
    /// all-reduce per gradient bucket before each update. Launch with <c>mpirun -np N dotnet ...</c>.
    /// </summary>
    Ddp,

    /// <summary>
    /// <see cref="Ddp"/> with the optimizer's state sharded across the ranks (ZeRO stage 1): each
    /// rank keeps the moments (Adam's <c>exp_avg</c> and <c>exp_avg_sq</c>, SGD's momentum) of its
    /// own 1/N of the parameters, updates that shard from the all-reduced gradient, and the
    /// parameters are all-gathered after each step. The parameters come out as under
    /// <see cref="Ddp"/>, bit for bit; checkpoints hold the whole state, gathered on rank 0. CPU
    /// programs only.
    /// </summary>
    ShardedOptimizer,
}
