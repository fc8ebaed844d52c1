using System;
using System.Collections;
using System.Collections.Generic;

namespace Dsl;

/// <summary>
/// The batches of one epoch of a <see cref="DataLoader"/>, as returned by
/// <see cref="DataLoader.Epoch"/>. A struct with a struct enumerator, so that <c>foreach</c>
/// allocates nothing; it is still an <see cref="IEnumerable{T}"/> for LINQ and the like (which
/// box it once per epoch).
/// </summary>
public readonly struct EpochBatches : IEnumerable<Batch>
{
    private readonly DataLoader _loader;
    private readonly int _epoch;
    private readonly int _skipBatches;

    internal EpochBatches(DataLoader loader, int epoch, int skipBatches)
    {
        _loader = loader;
        _epoch = epoch;
        _skipBatches = skipBatches;
    }

    /// <summary>The number of batches this enumeration yields: the loader's BatchCount less the skipped ones.</summary>
    public int Count => _loader is null ? 0 : _loader.BatchCount - _skipBatches;

    /// <summary>Starts the epoch: computes its order (ending any other enumeration of the loader).</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(_loader, _epoch, _skipBatches);

    IEnumerator<Batch> IEnumerable<Batch>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Walks the batches of one epoch, refilling the loader's one batch at each step.</summary>
    public struct Enumerator : IEnumerator<Batch>
    {
        private readonly DataLoader _loader;
        private readonly int _generation;
        private int _next;
        private Batch? _current;

        internal Enumerator(DataLoader loader, int epoch, int skipBatches)
        {
            ArgumentNullException.ThrowIfNull(loader, nameof(loader));
            _loader = loader;
            _generation = loader.Begin(epoch);
            _next = skipBatches;
            _current = null;
        }

        /// <summary>The batch just filled.</summary>
        public readonly Batch Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

        readonly object IEnumerator.Current => Current;

        /// <summary>Fills the batch with the next examples.</summary>
        /// <returns><see langword="false"/> after the epoch's last batch.</returns>
        /// <exception cref="InvalidOperationException">Another epoch of the same loader has started since.</exception>
        public bool MoveNext()
        {
            if (_next >= _loader.BatchCount)
            {
                _current = null;
                return false;
            }

            _current = _loader.Load(_generation, _next++);
            return true;
        }

        /// <summary>Not supported: call <see cref="DataLoader.Epoch"/> again.</summary>
        /// <exception cref="NotSupportedException">Always.</exception>
        public readonly void Reset() => throw new NotSupportedException("Call DataLoader.Epoch again to restart an epoch.");

        /// <summary>Does nothing: the loader keeps its buffers for the next epoch.</summary>
        public readonly void Dispose()
        {
        }
    }
}
