using System;
using System.Linq;
using Dsl.Kernels;
using Xunit;

namespace Dsl.Tests.Kernels;

public sealed class SequencesTests
{
    [Fact]
    public void ExpandLastRepeatsEachValueAlongItsRow()
    {
        float[] y = new float[8];
        Sequences.ExpandLast([1f, -2f, 9f], y, 2, 3);   // the third value is past the rows and ignored
        Assert.Equal(new[] { 1f, 1f, 1f, -2f, -2f, -2f, 0f, 0f }, y);
    }

    [Fact]
    public void TileCopiesTheVectorIntoEveryRow()
    {
        float[] y = new float[6];
        Sequences.Tile([1f, 2f], y, 3, 2);
        Assert.Equal(new[] { 1f, 2f, 1f, 2f, 1f, 2f }, y);
        Assert.Throws<ArgumentException>(() => Sequences.Tile([1f], y, 3, 2));
    }

    [Fact]
    public void GatherReadsRowsAndScatterAddIsItsTranspose()
    {
        // table [3, 2]; ids (2, 0, 2): rows 2, 0, 2.
        float[] table = [0f, 1f, 10f, 11f, 20f, 21f];
        int[] ids = [2, 0, 2];
        float[] y = new float[6];
        Sequences.Gather(table, ids, y, 3, 2, 3);
        Assert.Equal(new[] { 20f, 21f, 0f, 1f, 20f, 21f }, y);

        // <Gather(W), G> = <W, ScatterAdd(G)> for any W and G.
        var random = new Random(1);
        float[] g = Enumerable.Range(0, 6).Select(_ => (float)random.NextDouble()).ToArray();
        float[] gradient = Enumerable.Repeat(99f, 6).ToArray();   // overwritten, not accumulated
        Sequences.ScatterAdd(ids, g, gradient, 3, 2, 3);
        Assert.Equal(new[] { g[2], g[3], 0f, 0f, g[0] + g[4], g[1] + g[5] }, gradient);
        double left = y.Zip(g, (a, b) => (double)a * b).Sum(), right = table.Zip(gradient, (a, b) => (double)a * b).Sum();
        Assert.Equal(left, right, 4);
    }

    [Fact]
    public void AnIdOutsideTheTableIsAnErrorNamingItAndItsRow()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Sequences.Gather(new float[6], [0, 3], new float[4], 2, 2, 3));
        Assert.Contains("Token id 3 at row 1", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sequences.ScatterAdd([-1], new float[2], new float[6], 1, 2, 3));
    }

    [Fact]
    public void CopyTokensNamesTheValueTheExampleAndThePosition()
    {
        int[] destination = new int[6];
        InputGuard.CopyTokens([1, 2, 3, 4, 5, 6], destination, "ids", vocabulary: 7, length: 3);
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, destination);
        var error = Assert.Throws<InvalidInputException>(() => InputGuard.CopyTokens([1, 2, 3, 4, 9, 6], destination, "ids", vocabulary: 7, length: 3));
        Assert.Contains("token id 9 at example 1, position 1", error.Message);
        Assert.Contains("[0, 7)", error.Message);
    }
}
