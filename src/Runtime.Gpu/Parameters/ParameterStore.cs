using System;
using System.Collections.Generic;

namespace Dsl;

/// <summary>
/// All parameters of a model in one flat <see cref="float"/> buffer, with named views in the
/// manner of PyTorch's <c>state_dict</c>. One buffer means one optimizer pass, one checkpoint
/// write and one device copy for the whole model.
/// </summary>
/// <remarks>
/// Initialisation is deterministic: element <c>e</c> of parameter <c>p</c> is a function of
/// (seed, p, e) only, computed with <see cref="Philox"/>, so the same seed gives the same model on
/// every machine and backend, whatever the thread count.
/// </remarks>
public sealed class ParameterStore
{
    private readonly ParameterInfo[] _parameters;
    private readonly ParameterInit[] _inits;
    private readonly Dictionary<string, int> _indexByName;
    private readonly float[] _buffer;

    /// <summary>Lays the parameters out back to back in declaration order and initialises them.</summary>
    /// <param name="specs">The parameters, in the order the generator declares them.</param>
    /// <param name="seed">The seed of every initial value.</param>
    /// <exception cref="ArgumentException">A name is repeated or empty, a dimension is not positive, a fan-in is not positive, a trainable parameter follows a buffer, or the total exceeds the largest array.</exception>
    public ParameterStore(IReadOnlyList<ParameterSpec> specs, int seed)
    {
        ArgumentNullException.ThrowIfNull(specs);
        _parameters = new ParameterInfo[specs.Count];
        _inits = new ParameterInit[specs.Count];
        _indexByName = new Dictionary<string, int>(specs.Count, StringComparer.Ordinal);
        long offset = 0;
        long trainable = -1;
        for (int p = 0; p < specs.Count; p++)
        {
            ParameterSpec spec = specs[p] ?? throw new ArgumentException($"Parameter spec {p} is null.", nameof(specs));
            int length = Validate(spec);
            // Buffers come last, so the trainable parameters are one prefix that the optimizer and
            // the gradients cover, and the buffers ride along wherever the whole store goes.
            if (spec.Role != ParameterRole.Parameter && trainable < 0)
                trainable = offset;
            else if (spec.Role == ParameterRole.Parameter && trainable >= 0)
                throw new ArgumentException($"Parameter '{spec.Name}' follows a buffer; buffers come after every trainable parameter.", nameof(specs));
            if (!_indexByName.TryAdd(spec.Name, p))
                throw new ArgumentException($"Parameter '{spec.Name}' is declared more than once.", nameof(specs));
            if (offset + length > Array.MaxLength)
                throw new ArgumentException($"The parameters need more than {Array.MaxLength} floats.", nameof(specs));
            _parameters[p] = new ParameterInfo(spec.Name, (int[])spec.Shape.Clone(), (int)offset, length) { Role = spec.Role };
            _inits[p] = spec.Init;
            offset += length;
        }

        _buffer = new float[offset];
        TrainableCount = (int)(trainable < 0 ? offset : trainable);
        Seed = seed;
        for (int p = 0; p < _parameters.Length; p++)
            Initialize(p, specs[p].FanIn);
    }

    /// <summary>The seed the parameters were initialised from.</summary>
    public int Seed { get; }

    /// <summary>Every parameter's name, shape and place in <see cref="Buffer"/>, in declaration order.</summary>
    public IReadOnlyList<ParameterInfo> Parameters => _parameters;

    /// <summary>The total number of floats over all parameters and buffers.</summary>
    public int Count => _buffer.Length;

    /// <summary>
    /// The number of trainable floats: the prefix of <see cref="Buffer"/> that the optimizer updates
    /// and the gradients cover. The buffers (<see cref="ParameterRole.Buffer"/>) follow it.
    /// </summary>
    public int TrainableCount { get; }

    /// <summary>
    /// The flat buffer itself, not a copy: writes here change the model. Handing it out counts as a
    /// host write: it first takes the newest values from a device that trained the model, and the
    /// next device call uploads it. Take it again after device calls rather than keeping it: a
    /// device program trains its own copy, which this array sees only at the next access.
    /// </summary>
    public float[] Buffer
    {
        get
        {
            Residency.HostWrites();
            return _buffer;
        }
    }

    /// <summary>The flat parameters for reading (checkpoints, comparisons): the newest values, downloaded once if a device trained them, and no upload after.</summary>
    public ReadOnlySpan<float> Values
    {
        get
        {
            Residency.SyncHost();
            return _buffer;
        }
    }

    /// <summary>Which copy of the parameters is newest, the host's or a device program's; device programs keep theirs resident through it.</summary>
    public HostDeviceState Residency { get; } = new();

    /// <summary>The host's array without syncing, for the device copies that sync it.</summary>
    internal float[] HostArray => _buffer;

    /// <summary>A writable view of one parameter's floats (row-major in its shape).</summary>
    /// <param name="name">The parameter's dotted name.</param>
    /// <exception cref="KeyNotFoundException">No parameter has that name; the message lists the names there are.</exception>
    public Span<float> this[string name]
    {
        get
        {
            ParameterInfo info = Info(name);
            // A writable view: a host write, as Buffer is.
            return Buffer.AsSpan(info.Offset, info.Length);
        }
    }

    /// <summary>Returns the layout record of the parameter called <paramref name="name"/>.</summary>
    /// <param name="name">The parameter's dotted name.</param>
    /// <exception cref="KeyNotFoundException">No parameter has that name; the message lists the names there are.</exception>
    public ParameterInfo Info(string name)
    {
        if (name is not null && _indexByName.TryGetValue(name, out int index))
            return _parameters[index];
        string available = _parameters.Length == 0 ? "(none)" : string.Join(", ", Array.ConvertAll(_parameters, p => p.Name));
        throw new KeyNotFoundException($"No parameter named '{name}'. Available: {available}.");
    }

    /// <summary>Copies one parameter into the eager reference <see cref="Tensor"/> (as double, with its shape).</summary>
    /// <param name="name">The parameter's dotted name.</param>
    /// <returns>A new tensor that does not share memory with the store.</returns>
    public Tensor ToTensor(string name)
    {
        ParameterInfo info = Info(name);
        var data = new double[info.Length];
        ReadOnlySpan<float> values = Values.Slice(info.Offset, info.Length);
        for (int i = 0; i < data.Length; i++)
            data[i] = values[i];
        return new Tensor(data, (int[])info.Shape.Clone());
    }

    /// <summary>Overwrites every parameter from a flat array laid out like <see cref="Buffer"/> (e.g. a checkpoint).</summary>
    /// <param name="values">Exactly <see cref="Count"/> floats.</param>
    /// <exception cref="ArgumentException">The length differs from <see cref="Count"/>.</exception>
    public void CopyFrom(ReadOnlySpan<float> values)
    {
        if (values.Length != _buffer.Length)
            throw new ArgumentException($"Expected {_buffer.Length} floats (the store's size) but got {values.Length}.", nameof(values));
        Residency.HostOverwrites(); // every value is replaced: nothing to download first
        values.CopyTo(_buffer);
    }

    /// <summary>Copies every parameter, laid out like <see cref="Buffer"/>, into <paramref name="destination"/>.</summary>
    /// <param name="destination">Exactly <see cref="Count"/> floats.</param>
    /// <exception cref="ArgumentException">The length differs from <see cref="Count"/>.</exception>
    public void CopyTo(Span<float> destination)
    {
        if (destination.Length != _buffer.Length)
            throw new ArgumentException($"Expected {_buffer.Length} floats (the store's size) but the destination has {destination.Length}.", nameof(destination));
        Values.CopyTo(destination);
    }

    private static int Validate(ParameterSpec spec)
    {
        if (string.IsNullOrEmpty(spec.Name))
            throw new ArgumentException("A parameter name is null or empty.", "specs");
        if (spec.Shape is null)
            throw new ArgumentException($"Parameter '{spec.Name}' has no shape.", "specs");
        long length = 1;
        foreach (int dimension in spec.Shape)
        {
            if (dimension < 1)
                throw new ArgumentException($"Parameter '{spec.Name}' has shape [{string.Join(", ", spec.Shape)}]; every dimension must be positive.", "specs");
            length *= dimension;
            if (length > Array.MaxLength)
                throw new ArgumentException($"Parameter '{spec.Name}' has more than {Array.MaxLength} elements.", "specs");
        }

        if (spec.Init == ParameterInit.XavierUniform && spec.Shape.Length < 2)
            throw new ArgumentException($"Parameter '{spec.Name}' has shape [{string.Join(", ", spec.Shape)}]; Xavier initialisation needs two axes or more.", "specs");
        if (spec.Init == ParameterInit.Uniform && spec.FanIn < 1)
            throw new ArgumentException($"Parameter '{spec.Name}' has fan-in {spec.FanIn}; it must be at least 1.", "specs");
        return (int)length;
    }

    private void Initialize(int index, int fanIn)
    {
        ParameterInfo info = _parameters[index];
        Span<float> values = _buffer.AsSpan(info.Offset, info.Length);
        // The seed is the Philox key and the parameter's index the stream, so each parameter's
        // values depend on (seed, index, element) alone, not on the other parameters' sizes.
        ulong key = unchecked((uint)Seed);
        ulong site = (ulong)index;
        switch (_inits[index])
        {
            case ParameterInit.Uniform:
                float bound = 1f / MathF.Sqrt(fanIn);
                Philox.FillUniform(key, site, 0, values, -bound, bound);
                break;
            case ParameterInit.XavierUniform:
                int receptive = info.Length / (info.Shape[0] * info.Shape[1]);
                float limit = MathF.Sqrt(6f / ((info.Shape[0] + info.Shape[1]) * receptive));
                Philox.FillUniform(key, site, 0, values, -limit, limit);
                break;
            case ParameterInit.Zeros:
                values.Clear();
                break;
            case ParameterInit.Ones:
                values.Fill(1f);
                break;
            case ParameterInit.Normal:
                Philox.FillNormal(key, site, 0, values);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(index), _inits[index], "Unknown initialisation.");
        }
    }
}
