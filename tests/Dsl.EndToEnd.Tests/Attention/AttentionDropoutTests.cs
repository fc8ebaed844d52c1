using System;
using System.Linq;
using Dsl.EndToEnd.Tests.Models;
using Dsl.Kernels;
using Xunit;

namespace Dsl.EndToEnd.Tests.Attention;

/// <summary>
/// [MultiHeadAttention(Dropout = p)] in the compiled training step: nn.MultiheadAttention's dropout
/// on the attention weights (after the softmax, before they average v), the same counter-based
/// masks as [Dropout]; Predict is eval mode.
/// </summary>
public sealed class AttentionDropoutTests
{
    private const int T = AttentionDropper.Context, D = AttentionDropper.Width, H = 4, Dh = D / H, V = AttentionDropper.Vocab;
    private const float P = 0.25f;

    /// <summary>
    /// AttentionDropper's loss for example b written out: weights element (h, i, j) of example b is
    /// stream position b·H·T·T + (h·T + i)·T + j of dropout site 0; with <paramref name="train"/> false, none.
    /// </summary>
    private static double ByHand(AttentionDropper model, int[] ids, int[] next, int b, bool train, int seed)
    {
        float[] table = model.Parameters["token_embedding.weight"].ToArray();
        float[] inW = model.Parameters["attention.in_proj_weight"].ToArray(), inB = model.Parameters["attention.in_proj_bias"].ToArray();
        float[] outW = model.Parameters["attention.out_proj.weight"].ToArray(), outB = model.Parameters["attention.out_proj.bias"].ToArray();
        float[] headW = model.Parameters["head.weight"].ToArray(), headB = model.Parameters["head.bias"].ToArray();
        uint threshold = DropoutKernels.Threshold(P);
        double scale = DropoutKernels.Scale(P);

        double[,] x = new double[T, D], qkv = new double[T, 3 * D], merged = new double[T, D];
        for (int t = 0; t < T; t++)
            for (int c = 0; c < D; c++) x[t, c] = table[ids[b * T + t] * D + c];
        for (int t = 0; t < T; t++)
            for (int o = 0; o < 3 * D; o++)
            {
                double sum = inB[o];
                for (int c = 0; c < D; c++) sum += inW[o * D + c] * x[t, c];
                qkv[t, o] = sum;
            }
        for (int h = 0; h < H; h++)
            for (int i = 0; i < T; i++)
            {
                double[] w = new double[T];
                for (int j = 0; j < T; j++)
                    for (int c = 0; c < Dh; c++) w[j] += qkv[i, h * Dh + c] * qkv[j, D + h * Dh + c] / Math.Sqrt(Dh);
                double max = w.Max(), total = w.Sum(s => Math.Exp(s - max));
                for (int j = 0; j < T; j++)
                {
                    double weight = Math.Exp(w[j] - max) / total;
                    if (train)
                        weight = DropoutKernels.Keeps((uint)seed, 0, 0, (ulong)(b * H * T * T + (h * T + i) * T + j), threshold) ? weight * scale : 0;
                    for (int c = 0; c < Dh; c++) merged[i, h * Dh + c] += weight * qkv[j, 2 * D + h * Dh + c];
                }
            }
        double loss = 0;
        for (int t = 0; t < T; t++)
        {
            var y = new double[D];
            for (int o = 0; o < D; o++)
            {
                y[o] = x[t, o] + outB[o];
                for (int c = 0; c < D; c++) y[o] += outW[o * D + c] * merged[t, c];
            }
            var logits = new double[V];
            for (int o = 0; o < V; o++)
            {
                logits[o] = headB[o];
                for (int c = 0; c < D; c++) logits[o] += headW[o * D + c] * y[c];
            }
            double max = logits.Max();
            loss += max + Math.Log(logits.Sum(l => Math.Exp(l - max))) - logits[next[b * T + t]];
        }
        return loss / T;
    }

    [Fact]
    public void TheTrainingLossDropsAttentionWeightsAndPredictDoesNot()
    {
        const int batch = 3;
        var random = new Random(21);
        int[] ids = Enumerable.Range(0, batch * T).Select(_ => random.Next(V)).ToArray();
        int[] next = Enumerable.Range(0, batch * T).Select(_ => random.Next(V)).ToArray();
        var model = new AttentionDropper(seed: 4);
        using AttentionDropper.Program program = model.Compile(Device.Cpu, maxBatch: 4);
        program.DropoutSeed = 5;
        float loss = program.ValueAndGrad(ids, next, new float[AttentionDropper.ParameterCount]);

        float[] losses = program.ExampleLosses.ToArray();
        for (int b = 0; b < batch; b++)
            Assert.Equal(ByHand(model, ids, next, b, train: true, seed: 5), losses[b], 4);
        double eval = Enumerable.Range(0, batch).Average(b => ByHand(model, ids, next, b, train: false, seed: 5));
        Assert.True(Math.Abs(eval - loss) > 1e-3, $"training loss {loss} should differ from the eval loss {eval}");

        // Predict and the eager reference are eval mode: no weight is dropped.
        var logits = new float[batch * T * V];
        program.Predict(ids, logits);
        double[] eager = model.Forward(new Tokens(ids.AsSpan(0, T).ToArray())).Data.ToArray();
        for (int j = 0; j < eager.Length; j++)
            Assert.True(Math.Abs(logits[j] - eager[j]) <= 1e-4 * Math.Max(1, Math.Abs(eager[j])), $"logit {j}: compiled {logits[j]}, eager {eager[j]}");
    }
}
