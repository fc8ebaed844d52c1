using System;
using Dsl.Generator.Ir;
using Dsl.Generator.Ops;

namespace Dsl.Generator.Autodiff.Rules;

// Forward mode through a training step's fused attention (issue 20, item 3): the tangent one op at a
// time, from the weights recomputed by the ops the fused kernel replaces. Reverse mode needs no rule
// here: the VJP is the op AttentionBackward (OpTable.Attention.cs).
internal static partial class JvpRules
{
    /// <summary>
    /// y = merge(drop(P)·v), P = softmax(scale·q·kᵀ): ẏ = merge(drop(Ṗ)·v + drop(P)·v̇) with
    /// Ṗ = P ⊙ (Ṡ − Σ_row P⊙Ṡ) and Ṡ = scale·(q̇·kᵀ + q·k̇ᵀ); the dropout is the forward's mask (same site).
    /// </summary>
    internal static int? Attention(GraphBuilder g, Node y, int?[] t) => Map(t[0], tangent =>
    {
        int qkv = y.Inputs[0], heads = y.Attributes[0], length = g[qkv].Shape[0];
        bool causal = y.Attributes[1] != 0;
        int scale = g.Constant(1 / Math.Sqrt(g[qkv].Shape[1] / (3 * heads)));
        int Part(int x, int part) => g.SplitHeads(x, heads, part, 3);
        int Drop(int x) => y.Constant > 0 ? g.Dropout(x, y.Constant, OpTable.SiteOf(y)) : x;
        int q = g.Multiply(scale, Part(qkv, 0)), k = Part(qkv, 1), v = Part(qkv, 2);
        int scores = g.MatMul(q, k, transposeB: true);
        int p = causal ? g.CausalSoftmax(scores) : g.Softmax(scores);
        int scoresDot = g.Add(g.MatMul(g.Multiply(scale, Part(tangent, 0)), k, transposeB: true), g.MatMul(q, Part(tangent, 1), transposeB: true));
        int pDot = g.Multiply(p, g.Subtract(scoresDot, g.ExpandLast(g.SumLast(g.Multiply(p, scoresDot)), length)));
        return g.MergeHeads(g.Add(g.MatMul(Drop(pDot), v), g.MatMul(Drop(p), Part(tangent, 2))), 0, 1);
    });
}
