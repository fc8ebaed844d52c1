namespace Dsl;

/// <summary>How a compiled training step reduces the per-example losses of a batch (PyTorch's <c>reduction</c>).</summary>
public enum LossReduction
{
    /// <summary>The mean over the batch: gradients do not grow with the batch size.</summary>
    Mean,

    /// <summary>The sum over the batch.</summary>
    Sum,
}
