using System;
using System.Linq;
using Xunit;

namespace Dsl.Tests.Optimizers;

/// <summary>
/// A step applied one part at a time (BeginStepInParts, UpdatePart per part, EndStepInParts) must
/// leave parameters and optimizer state bit for bit as one Update over the whole buffer does.
/// </summary>
public sealed class UpdateInPartsTests
{
    public static TheoryData<string> Optimizers => new() { "sgd", "sgd-momentum-nesterov-decay", "adam", "adam-decay", "adamw" };

    private static Optimizer Create(string name) => name switch
    {
        "sgd" => new Sgd(0.1f),
        "sgd-momentum-nesterov-decay" => new Sgd(0.05f, momentum: 0.9f, nesterov: true, weightDecay: 0.01f),
        "adam" => new Adam(1e-2f),
        "adam-decay" => new Adam(1e-2f, 0.8f, 0.99f, 1e-6f, 0.1f),
        "adamw" => new AdamW(1e-2f, weightDecay: 0.1f),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void PartsInAnyOrderGiveTheWholeUpdateBitForBit(string name)
    {
        // Parts of ragged lengths (vector tails inside the buffer) and one above the parallel
        // threshold, updated last part first as a backward pass does.
        int[] lengths = [37, 5, 100_003, 1, 16_400];
        int count = lengths.Sum();
        int[] offsets = lengths.Select((_, i) => lengths.Take(i).Sum()).ToArray();
        var random = new Random(3);
        float[] whole = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] inParts = (float[])whole.Clone();
        OptimizerState wholeState = Create(name).CreateState(count), partsState = Create(name).CreateState(count);

        for (int step = 1; step <= 4; step++)
        {
            float[] gradients = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            wholeState.Update(whole, gradients);

            Assert.True(partsState.CanUpdateInParts);
            partsState.BeginStepInParts();
            double sumOfSquares = 0;
            for (int part = lengths.Length - 1; part >= 0; part--)
            {
                // Each part's gradient in its own array, as a slot holds it.
                float[] gradient = gradients.AsSpan(offsets[part], lengths[part]).ToArray();
                partsState.UpdatePart(inParts.AsSpan(offsets[part], lengths[part]), offsets[part], gradient);
                sumOfSquares += new GradientNorm(lengths[part]).SumOfSquares(gradient);
            }
            partsState.EndStepInParts();

            // The update sums each block's squares in its own pass over the block; the result is
            // that of a separate norm pass over each part, to the bit.
            Assert.Equal((float)Math.Sqrt(sumOfSquares), partsState.LastGradientNorm);

            Assert.Equal(step, partsState.Step);
            Assert.Equal(whole, inParts);
            for (int b = 0; b < wholeState.Buffers.Count; b++)
                Assert.Equal(wholeState.Buffers[b].Values.ToArray(), partsState.Buffers[b].Values.ToArray());
            Assert.Equal(wholeState.LastGradientNorm, partsState.LastGradientNorm, wholeState.LastGradientNorm * 1e-6);
        }
    }

    [Fact]
    public void ClippingNeedsTheWholeGradient()
    {
        var optimizer = new Adam(1e-2f) { ClipGradNorm = 1f };
        OptimizerState state = optimizer.CreateState(4);
        Assert.False(state.CanUpdateInParts);
        var error = Assert.Throws<InvalidOperationException>(state.BeginStepInParts);
        Assert.Contains("ClipGradNorm", error.Message);
        Assert.Equal(0, state.Step);

        optimizer.ClipGradNorm = null;
        Assert.True(state.CanUpdateInParts);
    }

    [Fact]
    public void PartsMustCoverEveryParameterInsideAnOpenStep()
    {
        OptimizerState state = new Sgd(0.1f).CreateState(4);
        float[] p = [1, 2, 3, 4], g = [1, 1, 1, 1];
        Assert.Throws<InvalidOperationException>(() => state.UpdatePart(p.AsSpan(0, 2), 0, g.AsSpan(0, 2)));

        state.BeginStepInParts();
        Assert.Throws<InvalidOperationException>(state.BeginStepInParts);
        Assert.Throws<ArgumentException>(() => state.UpdatePart(p.AsSpan(2, 2), 3, g.AsSpan(0, 2)));
        Assert.Throws<ArgumentException>(() => state.UpdatePart(p.AsSpan(0, 2), 0, g.AsSpan(0, 1)));
        state.UpdatePart(p.AsSpan(0, 2), 0, g.AsSpan(0, 2));
        var error = Assert.Throws<InvalidOperationException>(state.EndStepInParts);
        Assert.Contains("updated 2 floats, not the 4", error.Message);
        Assert.Equal(new[] { 0.9f, 1.9f, 3f, 4f }, p);
    }
}
