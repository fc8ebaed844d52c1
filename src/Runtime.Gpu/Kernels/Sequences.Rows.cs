using System;
using System.Runtime.Intrinsics;

namespace Dsl.Kernels;

// The row loops of the sequence kernels, as IRowKernel structs for RowSplit: each unit writes
// only its own rows (or, for ScatterAdd, its own columns).
public static unsafe partial class Sequences
{
    /// <summary>
    /// Copies short runs that never overlap (a head is dh floats, 32 in the GPT sample): whole
    /// vectors inline, as a call of Memmove per head cost more than the copy; the rest through it.
    /// </summary>
    private static void Copy(float* source, float* destination, int count)
    {
        int i = 0;
        for (; i + Vector512<float>.Count <= count; i += Vector512<float>.Count)
            Vector512.Store(Vector512.Load(source + i), destination + i);
        if (i < count)
            new ReadOnlySpan<float>(source + i, count - i).CopyTo(new Span<float>(destination + i, count - i));
    }

    private struct ExpandLastRows : IRowKernel
    {
        public float* X;
        public float* Y;
        public int Cols;

        public readonly void Execute(int start, int end)
        {
            for (int r = start; r < end; r++)
                new Span<float>(Y + (long)r * Cols, Cols).Fill(X[r]);
        }
    }

    private struct TileRows : IRowKernel
    {
        public float* X;
        public float* Y;
        public int Cols;

        public readonly void Execute(int start, int end)
        {
            for (int r = start; r < end; r++)
                Copy(X, Y + (long)r * Cols, Cols);
        }
    }

    private struct GatherRows : IRowKernel
    {
        public float* Table;
        public int* Ids;
        public float* Y;
        public int Cols;

        public readonly void Execute(int start, int end)
        {
            for (int r = start; r < end; r++)
                Copy(Table + (long)Ids[r] * Cols, Y + (long)r * Cols, Cols);
        }
    }

    /// <summary>Units are blocks of <see cref="Block"/> columns of the table (the last one shorter).</summary>
    private struct ScatterAddColumns : IRowKernel
    {
        /// <summary>Columns per unit: four cache lines of floats, so two threads never write one line and each row's add is a few full vectors.</summary>
        public const int Block = 64;

        public int* Ids;
        public float* X;
        public float* Table;
        public int Rows;
        public int Cols;
        public int Count;

        public readonly void Execute(int start, int end)
        {
            int first = start * Block, width = Math.Min(end * Block, Cols) - first;
            for (int c = 0; c < Count; c++)
                new Span<float>(Table + (long)c * Cols + first, width).Clear();
            for (int r = 0; r < Rows; r++)
            {
                var target = new Span<float>(Table + (long)Ids[r] * Cols + first, width);
                System.Numerics.Tensors.TensorPrimitives.Add(target, new ReadOnlySpan<float>(X + (long)r * Cols + first, width), target);
            }
        }
    }

    /// <summary>Units are the rows (e, t) of x: each row's heads go to their [e, h, t, :] places.</summary>
    private struct SplitHeadsRows : IRowKernel
    {
        public float* X;
        public float* Y;
        public int Length;
        public int Heads;
        public int HeadWidth;
        public int Part;
        public int Parts;

        public readonly void Execute(int start, int end)
        {
            int width = Parts * Heads * HeadWidth;
            for (int row = start; row < end; row++)
            {
                int e = row / Length, t = row % Length;
                float* source = X + (long)row * width + Part * Heads * HeadWidth;
                float* target = Y + ((long)e * Heads * Length + t) * HeadWidth;
                for (int h = 0; h < Heads; h++)
                    Copy(source + h * HeadWidth, target + (long)h * Length * HeadWidth, HeadWidth);
            }
        }
    }

    /// <summary>Units are the rows (e, t) of y: each is written whole, its heads from [e, h, t, :] and zero in the other parts.</summary>
    private struct MergeHeadsRows : IRowKernel
    {
        public float* X;
        public float* Y;
        public int Length;
        public int Heads;
        public int HeadWidth;
        public int Part;
        public int Parts;

        public readonly void Execute(int start, int end)
        {
            int partWidth = Heads * HeadWidth, width = Parts * partWidth;
            for (int row = start; row < end; row++)
            {
                int e = row / Length, t = row % Length;
                float* target = Y + (long)row * width;
                new Span<float>(target, Part * partWidth).Clear();
                new Span<float>(target + (Part + 1) * partWidth, (Parts - Part - 1) * partWidth).Clear();
                float* source = X + ((long)e * Heads * Length + t) * HeadWidth;
                for (int h = 0; h < Heads; h++)
                    Copy(source + (long)h * Length * HeadWidth, target + Part * partWidth + h * HeadWidth, HeadWidth);
            }
        }
    }
}
