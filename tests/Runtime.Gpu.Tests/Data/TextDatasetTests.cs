using System;
using System.IO;
using System.Linq;
using Xunit;

namespace Dsl.Tests.Data;

public sealed class TextDatasetTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("input.txt")]
    [InlineData("input.txt.gz")]
    public void LoadsTheBytesOfAFile(string name)
    {
        TextCorpus corpus = TextCorpus.Load(_directory.WriteText(name, "héllo"));
        Assert.Equal(6, corpus.Length); // é is two UTF-8 bytes
        Assert.Equal(256, corpus.VocabularySize);
        Assert.Equal(name, corpus.Source);
        Assert.Equal("héllo", corpus.Decode(corpus.Bytes.ToArray().Select(b => (int)b).ToArray()));
    }

    [Fact]
    public void AnEmptyFileIsReported()
    {
        var e = Assert.Throws<InvalidDataException>(() => TextCorpus.Load(_directory.WriteText("empty.txt", "")));
        Assert.Equal("empty.txt is empty.", e.Message);
    }

    [Fact]
    public void EncodeAndDecodeRoundTripAndInvalidBytesBecomeReplacementCharacters()
    {
        int[] tokens = TextCorpus.Encode("a→b");
        Assert.Equal(new[] { 97, 0xE2, 0x86, 0x92, 98 }, tokens);
        TextCorpus corpus = TextCorpus.FromText("x");
        Assert.Equal("a→b", corpus.Decode(tokens));
        Assert.Equal("a\uFFFDb", corpus.Decode([97, 0xE2, 98]));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => corpus.Decode([97, 256]));
        Assert.StartsWith("Token 1 is 256; a byte-level vocabulary has tokens 0 to 255.", e.Message);
    }

    [Fact]
    public void WindowsAreTokensAndTheNextBytes()
    {
        var data = new TextDataset(TextCorpus.FromText("abcdefg", "t.txt"), contextLength: 3);
        Assert.Equal(4, data.Count); // starts 0..3: the last window's target is 'g'
        Assert.Equal(new ColumnInfo("tokens", ColumnType.Int32, [3]), data.Columns[0]);
        Assert.Equal(new ColumnInfo("targets", ColumnType.Int32, [3]), data.Columns[1]);
        var batch = new Batch(data.Columns, 2);
        data.Fill([3, 0], batch);
        Assert.Equal("defabc", new string(batch.Ints(0).ToArray().Select(t => (char)t).ToArray()));
        Assert.Equal("efgbcd", new string(batch.Ints(1).ToArray().Select(t => (char)t).ToArray()));
        Assert.Equal("t.txt, bytes [3, 6)", data.DescribeExample(3));
    }

    [Fact]
    public void AStrideSpacesTheWindows()
    {
        var data = new TextDataset(TextCorpus.FromText("abcdefghij"), contextLength: 3, stride: 3);
        Assert.Equal(3, data.Count); // starts 0, 3, 6; start 9 would need bytes up to 12
        var batch = new Batch(data.Columns, 1);
        data.Fill([2], batch);
        Assert.Equal(new int[] { 'g', 'h', 'i' }, batch.Ints(0).ToArray());
        Assert.Equal(new int[] { 'h', 'i', 'j' }, batch.Ints(1).ToArray());
    }

    [Fact]
    public void ACorpusShorterThanAWindowAndItsTargetIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new TextDataset(TextCorpus.FromText("abc", "t.txt"), 3));
        Assert.StartsWith("t.txt holds 3 bytes; a window of 3 tokens and its targets need at least 4.", e.Message);
    }

    [Fact]
    public void SplitIsContiguousAndKeepsFileOffsets()
    {
        TextCorpus corpus = TextCorpus.Load(_directory.WriteText("input.txt", "0123456789"));
        var (train, validation) = corpus.Split(0.9);
        Assert.Equal("012345678", System.Text.Encoding.ASCII.GetString(train.Bytes));
        Assert.Equal("9", System.Text.Encoding.ASCII.GetString(validation.Bytes));
        Assert.Equal(9, validation.Offset);
        var (first, second) = corpus.Split(0.3);
        Assert.Equal("input.txt, bytes [4, 6)", new TextDataset(second, 2).DescribeExample(1));
        Assert.Equal(3, first.Length);
    }

    [Fact]
    public void SplitRejectsAnEmptyPart()
    {
        var e = Assert.Throws<ArgumentException>(() => TextCorpus.FromText("0123456789").Split(0.99));
        Assert.StartsWith("Splitting the 10 bytes of in-memory text at 0.99 leaves the second part empty.", e.Message);
    }

    [Fact]
    public void AShuffledLoaderVisitsEveryWindowOnce()
    {
        var data = new TextDataset(TextCorpus.FromText(new string('a', 40)), 8);
        var loader = new DataLoader(data, 5, shuffle: true, seed: 2);
        int[] seen = loader.Epoch(0).SelectMany(b => b.ExampleIndices.ToArray()).ToArray();
        Assert.Equal(Enumerable.Range(0, 32), seen.Order());
    }

    [Fact]
    public void AHeldOutTailSharesNoByteWithTrainingWindowsAndShuffledStepsReadStartsFromAllOverTheText()
    {
        // The GPT sample's layout: stride-1 training windows over the first 95%, disjoint
        // validation windows over the contiguous last 5%, training drawn a few batches at a time.
        TextCorpus corpus = TextCorpus.FromText(new string('x', 20_000), "corpus.txt");
        var (train, held) = corpus.Split(0.95);
        var training = new TextDataset(train, 16);
        var validation = new TextDataset(held, 16, stride: 16);
        Assert.Equal("corpus.txt, bytes [18983, 18999)", training.DescribeExample(training.Count - 1));   // its target is byte 18999
        Assert.Equal("corpus.txt, bytes [19000, 19016)", validation.DescribeExample(0));
        Assert.Equal(1000 / 16, validation.Count);

        var loader = new DataLoader(training, 8, shuffle: true, dropLast: true, seed: 5);
        int[] starts = loader.Epoch(0).Take(4).SelectMany(b => b.ExampleIndices.ToArray()).ToArray();
        Assert.Equal(32, starts.Distinct().Count());
        Assert.True(starts.Max() - starts.Min() > training.Count / 2, $"32 shuffled starts span only [{starts.Min()}, {starts.Max()}]");
    }
}
