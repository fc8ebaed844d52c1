using System;

namespace Dsl;

/// <summary>
/// Declares a lookup table, like <c>torch.nn.Embedding(count, dimension)</c>: <c>y[t, :] = W[ids[t], :]</c>
/// for a <see cref="Tokens"/> input of length T, giving <c>[T, dimension]</c>. The weight <c>W</c>
/// has shape <c>[count, dimension]</c>, is named like PyTorch's (<c>token_embedding.weight</c>) and
/// starts from N(0, 1), as <c>nn.Embedding</c>'s does. Its gradient adds each position's
/// cotangent into the row of its id.
/// </summary>
/// <example>
/// <code>
/// [Embedding(256, 64)] private partial Tensor TokenEmbedding(Tokens ids);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class EmbeddingAttribute : Attribute
{
    /// <summary>Creates the attribute for a table of <paramref name="count"/> rows of <paramref name="dimension"/> values.</summary>
    /// <param name="count">The number of ids (rows of the weight); an id must lie in <c>0 .. count - 1</c>.</param>
    /// <param name="dimension">The length of each row.</param>
    public EmbeddingAttribute(int count, int dimension)
    {
        // Not validated here: the generator reports a non-positive size at the user's line.
        Count = count;
        Dimension = dimension;
    }

    /// <summary>The number of ids: the weight has shape <c>[Count, Dimension]</c>.</summary>
    public int Count { get; }

    /// <summary>The length of each embedding vector.</summary>
    public int Dimension { get; }
}
