using System;

namespace Dsl;

public static partial class EagerLayers
{
    /// <summary>
    /// Multi-head self-attention, as <c>torch.nn.MultiheadAttention(d, heads)</c> in eval mode
    /// called on <c>(x, x, x)</c> with <c>need_weights=False</c> (and, when causal, the mask
    /// <c>triu(ones(T, T), 1)</c>): <c>[q | k | v] = x·in_weightᵀ + in_bias</c>, per head h of width
    /// dh = d / heads the weights <c>softmax(q_h·k_hᵀ / √dh)</c> (row i over keys j ≤ i when causal),
    /// their average of v_h, the heads side by side, then <c>·out_weightᵀ + out_bias</c>.
    /// Shapes: <c>x [T, d]</c>, <c>in_weight [3d, d]</c>, <c>in_bias [3d]</c>, <c>out_weight [d, d]</c>,
    /// <c>out_bias [d]</c> → <c>[T, d]</c>.
    /// </summary>
    /// <param name="x">The sequence, <c>[T, d]</c>.</param>
    /// <param name="inWeight">The fused q, k, v projection, <c>[3d, d]</c>.</param>
    /// <param name="inBias">Its bias, <c>[3d]</c>.</param>
    /// <param name="outWeight">The output projection, <c>[d, d]</c>.</param>
    /// <param name="outBias">Its bias, <c>[d]</c>.</param>
    /// <param name="heads">The number of heads, dividing d.</param>
    /// <param name="causal">Whether position i attends to positions j ≤ i only.</param>
    /// <returns>The attended sequence, <c>[T, d]</c>.</returns>
    /// <exception cref="ArgumentException">A shape does not fit, or heads does not divide d.</exception>
    public static Tensor MultiHeadAttention(Tensor x, Tensor inWeight, Tensor inBias, Tensor outWeight, Tensor outBias, int heads, bool causal)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(inWeight);
        ArgumentNullException.ThrowIfNull(inBias);
        ArgumentNullException.ThrowIfNull(outWeight);
        ArgumentNullException.ThrowIfNull(outBias);
        int d = x.Rank == 2 ? x.ShapeArray[1] : -1;
        if (d < 1 || heads < 1 || d % heads != 0)
        {
            throw new ArgumentException($"MultiHeadAttention: input {x.ShapeText} must be [T, d] with d divisible by {heads} heads.", nameof(x));
        }

        Tensor qkv = Dense(x, inWeight, inBias); // checks [3d, d] and [3d]
        if (qkv.ShapeArray[1] != 3 * d)
        {
            throw new ArgumentException($"MultiHeadAttention: in_proj_weight {inWeight.ShapeText} must be [{3 * d}, {d}].", nameof(inWeight));
        }

        int length = x.ShapeArray[0], dh = d / heads;
        double scale = 1.0 / Math.Sqrt(dh);
        var merged = new double[length * d];
        var weights = new double[length];
        for (int h = 0; h < heads; h++)
        {
            for (int i = 0; i < length; i++)
            {
                int visible = causal ? i + 1 : length;
                double max = double.NegativeInfinity;
                for (int j = 0; j < visible; j++)
                {
                    double score = 0.0;
                    for (int c = 0; c < dh; c++)
                    {
                        score += qkv[i * 3 * d + h * dh + c] * scale * qkv[j * 3 * d + d + h * dh + c];
                    }

                    weights[j] = score;
                    max = Math.Max(max, score);
                }

                double total = 0.0;
                for (int j = 0; j < visible; j++)
                {
                    weights[j] = Math.Exp(weights[j] - max);
                    total += weights[j];
                }

                for (int j = 0; j < visible; j++)
                {
                    for (int c = 0; c < dh; c++)
                    {
                        merged[i * d + h * dh + c] += weights[j] / total * qkv[j * 3 * d + 2 * d + h * dh + c];
                    }
                }
            }
        }

        return Dense(Tensor.Create(new[] { length, d }, merged), outWeight, outBias);
    }
}
