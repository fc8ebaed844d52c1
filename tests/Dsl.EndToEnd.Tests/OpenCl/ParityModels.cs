using System;
using System.Collections.Generic;
using System.Linq;
using Digits;
using Dsl.EndToEnd.Tests.Models;
using QuickStart;

namespace Dsl.EndToEnd.Tests.OpenCl;

// The runtime's Batch, not the end-to-end tests' own record of that name.
using Batch = Dsl.Batch;

/// <summary>Every model of the test suite and of the samples, made from a seed, for the backend parity tests.</summary>
public static class ParityModels
{
    private static readonly Dictionary<string, Func<int, ITrainableModel>> s_models = new()
    {
        [nameof(Classifier)] = seed => new Classifier(seed),                   // samples/QuickStart
        [nameof(DigitsClassifier)] = seed => new DigitsClassifier(seed),       // samples/Digits
        [nameof(Regressor)] = seed => new Regressor(seed),
        [nameof(Attentive)] = seed => new Attentive(seed),
        [nameof(MomentumClassifier)] = seed => new MomentumClassifier(seed),
        [nameof(ScheduledClassifier)] = seed => new ScheduledClassifier(seed),
        [nameof(BagLm)] = seed => new BagLm(seed),                             // token ids, [T, d] sequences
        [nameof(Tagger)] = seed => new Tagger(seed),                           // float sequences, Tokens targets
        [nameof(Dropper)] = seed => new Dropper(seed),                         // [Dropout]: the same masks on both devices
        [nameof(TinyAttention)] = seed => new TinyAttention(seed),             // causal [MultiHeadAttention]: batched GEMMs, heads
        [nameof(AttentionDropper)] = seed => new AttentionDropper(seed),       // unmasked attention, dropout on its weights
        [nameof(ResidualMlp)] = seed => new ResidualMlp(seed),                 // [Module] children and a [Repeat(3)] stack
        [nameof(Stacked)] = seed => new Stacked(seed),                         // a [Repeat(2)] stack of sequence blocks with dropout
        [nameof(HandAttention)] = seed => new HandAttention(seed),             // the general tensor ops and MatMul
        [nameof(TensorZoo)] = seed => new TensorZoo(seed),                     // rank-3 movement, axis reductions, broadcasts
        [nameof(Shaper)] = seed => new Shaper(seed),                           // Sqrt, Rsqrt, Abs, Pow, Maximum, Minimum, Clamp
        [nameof(Reducer)] = seed => new Reducer(seed),                         // Sum, Max, Min, ArgMax, LogSumExp, Softmax over an axis
        [nameof(Broadcaster)] = seed => new Broadcaster(seed),                 // NumPy broadcasting: [3, 1] against [1, 4], Where of three shapes
        [nameof(Unrolled)] = seed => new Unrolled(seed),                       // for loops over a stack, constant branches, folded constants
        [nameof(TwoHeads)] = seed => new TwoHeads(seed),                       // a tuple [Forward], a module method besides [Forward], [Shape()] inputs
        [nameof(TinyCnn)] = seed => new TinyCnn(seed),                         // Conv2d, Conv1d, MaxPool2d, AvgPool2d, Flatten
        [nameof(Cnn.CnnClassifier)] = seed => new Cnn.CnnClassifier(seed),     // samples/Cnn (conv-BatchNorm2d-ReLU twice)
        [nameof(GroupedCnn)] = seed => new GroupedCnn(seed),                   // Conv groups (depthwise too), non-square windows, AdaptiveAvgPool2d
        // BatchNorm (issue 19)
        [nameof(TinyBatchNorm)] = seed => new TinyBatchNorm(seed),             // BatchNorm2d, BatchNorm1d over [C, L] and [C]: buffers updated on the device
        // BatchNorm arguments and uneven adaptive pooling (issue 19)
        [nameof(BatchNormOptions)] = seed => new BatchNormOptions(seed),       // Momentum, Eps, Affine = false; TrackRunningStats = false (batch statistics in Predict)
        [nameof(UnevenPool)] = seed => new UnevenPool(seed),                   // AdaptiveAvgPool2d with PyTorch's uneven windows: one direct op
        // BatchNorm's momentum=None (issue 19)
        [nameof(CumulativeBatchNorm)] = seed => new CumulativeBatchNorm(seed), // CumulativeAverage = true: the factor 1/num_batches_tracked computed on the device
        // 1-D and adaptive pooling (issue 19)
        [nameof(SequencePool)] = seed => new SequencePool(seed),               // MaxPool1d (dilated), AvgPool1d, AdaptiveMaxPool1d/AdaptiveAvgPool1d over uneven windows
        [nameof(UnevenMaxPool)] = seed => new UnevenMaxPool(seed),             // AdaptiveMaxPool2d: uneven windows, more outputs than pixels, global, divided
    };

    public static IEnumerable<object[]> Names => s_models.Keys.Select(name => new object[] { name });

    public static ITrainableModel Create(string name, int seed) => s_models[name](seed);

    /// <summary>A batch of <paramref name="size"/> random examples for a step: floats in [-1, 1), labels in [0, classes).</summary>
    public static Batch RandomBatch(StepSignature signature, int size, int seed)
    {
        var random = new Random(seed);
        var columns = signature.Inputs.Select(i => new ColumnInfo(i.Name, i.Type, i.ExampleShape)).ToArray();
        var batch = new Batch(columns, size);
        for (int c = 0; c < columns.Length; c++)
        {
            StepInput input = signature.Inputs[c];
            if (input.Type == ColumnType.Int32)
            {
                Span<int> labels = batch.IntBuffer(c);
                for (int i = 0; i < labels.Length; i++)
                    labels[i] = random.Next(input.Classes);
            }
            else
            {
                Span<float> values = batch.FloatBuffer(c);
                for (int i = 0; i < values.Length; i++)
                    values[i] = (float)(random.NextDouble() * 2 - 1);
            }
        }
        batch.SetExamples(Enumerable.Range(0, size).ToArray());
        return batch;
    }
}
