using System;
using System.Collections.Generic;
using Dsl.Generator.Parsing;

namespace Dsl.Generator.Layers;

/// <summary>
/// Every layer attribute the DSL knows, with the kind that parses it: the parser tries each in
/// this order, and nothing else in the generator lists the layer kinds.
/// </summary>
internal static class LayerCatalogue
{
    /// <summary>A layer attribute: its metadata name, whether it reads Tokens, and its kind's parser (null after a reported error).</summary>
    internal sealed record Entry(string AttributeName, bool TakesTokens, Func<LayerAttributeReader, LayerKind?> Parse);

    public static IReadOnlyList<Entry> Entries { get; } = new Entry[]
    {
        new(KnownNames.DenseAttribute, false, DenseLayer.Parse),
        new(KnownNames.EmbeddingAttribute, true, EmbeddingLayer.Parse),
        new(KnownNames.LayerNormAttribute, false, LayerNormLayer.Parse),
        new(KnownNames.DropoutAttribute, false, DropoutLayer.Parse),
        new(KnownNames.MultiHeadAttentionAttribute, false, MultiHeadAttentionLayer.Parse),
        new(KnownNames.Conv2dAttribute, false, ConvolutionLayer.ParseConv2d),
        new(KnownNames.Conv1dAttribute, false, ConvolutionLayer.ParseConv1d),
        new(KnownNames.MaxPool2dAttribute, false, PoolingLayer.ParseMax),
        new(KnownNames.AvgPool2dAttribute, false, PoolingLayer.ParseAverage),
        new(KnownNames.FlattenAttribute, false, FlattenLayer.Parse),
        new(KnownNames.AdaptiveAvgPool2dAttribute, false, AdaptivePoolingLayer.Parse),
        // BatchNorm (issue 19)
        new(KnownNames.BatchNorm2dAttribute, false, BatchNormLayer.Parse2d),
        new(KnownNames.BatchNorm1dAttribute, false, BatchNormLayer.Parse1d),
        // 1-D and adaptive pooling (issue 19)
        new(KnownNames.MaxPool1dAttribute, false, PoolingLayer.ParseMax1d),
        new(KnownNames.AvgPool1dAttribute, false, PoolingLayer.ParseAverage1d),
        new(KnownNames.AdaptiveAvgPool1dAttribute, false, AdaptivePoolingLayer.ParseAverage1d),
        new(KnownNames.AdaptiveMaxPool1dAttribute, false, AdaptivePoolingLayer.ParseMax1d),
        new(KnownNames.AdaptiveMaxPool2dAttribute, false, AdaptivePoolingLayer.ParseMax2d),
    };
}
