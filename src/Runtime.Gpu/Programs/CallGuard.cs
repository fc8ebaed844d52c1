using System.Diagnostics.CodeAnalysis;
using System.Threading;

namespace Dsl;

/// <summary>
/// Lets one call at a time into an object whose calls share mutable state (a compiled program's
/// scratch buffers, a trainer's program and loop): a second call that overlaps the first is
/// refused rather than left to corrupt that state, and learns which call it ran into.
/// </summary>
/// <remarks>
/// Entering and leaving cost one interlocked compare-exchange and one volatile write, so every
/// entry point of a batch-1 <c>Predict</c> can afford it. It is not a lock: nothing waits, and
/// it is not reentrant (a call made from inside another on the same thread is refused too).
/// </remarks>
internal sealed class CallGuard
{
    // The name of the call inside, or null when none is.
    private string? _running;

    /// <summary>Lets <paramref name="call"/> in unless another call is inside.</summary>
    /// <param name="call">The name of the call asking to enter, e.g. <c>"Predict"</c>.</param>
    /// <param name="running">The name of the call already inside when this returns false; otherwise null.</param>
    /// <returns>True when <paramref name="call"/> entered and must <see cref="Exit"/>.</returns>
    public bool TryEnter(string call, [NotNullWhen(false)] out string? running)
    {
        running = Interlocked.CompareExchange(ref _running, call, null);
        return running is null;
    }

    /// <summary>Ends the call that entered, letting the next one in.</summary>
    public void Exit() => Volatile.Write(ref _running, null);
}
