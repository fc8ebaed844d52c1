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
}
