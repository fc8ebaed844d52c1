using System.Collections.Generic;
using static Dsl.Interop.OpenCl.OpenClNative;

namespace Dsl;

/// <summary>
/// The buffers of one device, live and free. A disposed <see cref="OpenClBuffer"/> returns its
/// <c>cl_mem</c> here, keyed by its size in bytes, and the next request of that size takes it
/// instead of calling <c>clCreateBuffer</c> (a driver allocation, often with a page-zeroing cost).
/// Not thread-safe: the device locks around it.
/// </summary>
internal sealed class OpenClMemoryPool
{
    private readonly Dictionary<long, Stack<nint>> _free = new();
    private readonly HashSet<nint> _all = new();

    /// <summary>How many <c>cl_mem</c> objects were created (pool misses).</summary>
    public int Created { get; private set; }

    /// <summary>How many requests were served from the pool.</summary>
    public int Reused { get; private set; }

    /// <summary>The bytes held by free buffers.</summary>
    public long FreeBytes { get; private set; }

    public bool TryRent(long bytes, out nint memory)
    {
        if (_free.TryGetValue(bytes, out var stack) && stack.Count > 0)
        {
            memory = stack.Pop();
            FreeBytes -= bytes;
            Reused++;
            return true;
        }

        memory = 0;
        return false;
    }

    public void Add(nint memory)
    {
        _all.Add(memory);
        Created++;
    }

    public void Return(long bytes, nint memory)
    {
        if (!_free.TryGetValue(bytes, out var stack))
            _free[bytes] = stack = new Stack<nint>();
        stack.Push(memory);
        FreeBytes += bytes;
    }

    /// <summary>Releases every free buffer (live ones stay with their owners).</summary>
    public void Trim()
    {
        foreach (var stack in _free.Values)
        {
            while (stack.Count > 0)
            {
                nint memory = stack.Pop();
                _all.Remove(memory);
                clReleaseMemObject(memory);
            }
        }

        FreeBytes = 0;
    }

    /// <summary>Releases every buffer, free or live (the device is going away).</summary>
    public void ReleaseAll()
    {
        foreach (nint memory in _all)
            clReleaseMemObject(memory);
        _all.Clear();
        _free.Clear();
        FreeBytes = 0;
    }
}
