using System;
using System.Collections.Generic;
using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Parsing;

/// <summary>The [Module] classes one model holds, each read once, in the order first reached.</summary>
/// <remarks>
/// Reading a module (binding its bodies) is most of a model's parse when the model is small beside
/// its modules, as the Gpt sample's is beside its block. A reading is kept across parses in
/// <see cref="Readings"/> (a <see cref="ParseCache{T}"/>: reused while the module's declarations
/// read the same) and replayed into the catalog as a fresh reading would have filled it.
/// </remarks>
internal sealed class ModuleCatalog
{
    private readonly Dictionary<string, ModuleSpec?> _modules = new();
    private readonly List<string> _skipped = new();

    /// <param name="readings">Readings of modules from earlier parses, or null to read every module.</param>
    public ModuleCatalog(ParseCache<Reading>? readings = null) => Readings = readings;

    /// <summary>Readings of modules from earlier parses, or null to read every module.</summary>
    public ParseCache<Reading>? Readings { get; }

    /// <summary>Whether a module the model holds has errors (its own pipeline reports them).</summary>
    public bool Failed { get; private set; }

    /// <summary>Every module read without errors.</summary>
    public EquatableArray<ModuleSpec> Parsed => _modules.Values.OfType<ModuleSpec>().ToEquatableArray();

    /// <summary>Claims <paramref name="key"/> for reading; false when it is read or being read already.</summary>
    public bool Reserve(string key)
    {
        if (_modules.ContainsKey(key))
        {
            _skipped.Add(key);
            return false;
        }
        _modules[key] = null;
        return true;
    }

    /// <summary>Stores the module read for <paramref name="key"/>, or null when it has errors.</summary>
    public void Complete(string key, ModuleSpec? module)
    {
        _modules[key] = module;
        if (module is null) Failed = true;
    }

    /// <summary>
    /// Reads the module reserved as <paramref name="key"/> with <paramref name="read"/>, completes
    /// it, and returns what the reading added to the catalog, for <see cref="Replay"/> in a later parse.
    /// </summary>
    public Reading Record(string key, Func<ModuleSpec?> read)
    {
        // The dictionary enumerates in insertion order (nothing is removed), the order Parsed keeps.
        int start = _modules.Count, skippedStart = _skipped.Count;
        ModuleSpec? module = read();
        Complete(key, module);
        return new Reading(module, _modules.Skip(start).Select(m => (m.Key, m.Value)).ToList(), _skipped.Skip(skippedStart).ToList());
    }

    /// <summary>
    /// Completes <paramref name="key"/> (reserved) and reserves and completes the modules it holds
    /// from an earlier <paramref name="reading"/>, in the order it reached them; false, changing
    /// nothing, where this catalog differs from the one it was read into in a way a fresh reading
    /// would feel (a module it found already read is not here yet, or one it read is).
    /// </summary>
    public bool Replay(string key, Reading reading)
    {
        if (!reading.Skipped.All(_modules.ContainsKey) || reading.Held.Any(m => _modules.ContainsKey(m.Key)))
            return false;
        foreach ((string held, ModuleSpec? module) in reading.Held)
            Reserve(held);
        foreach ((string held, ModuleSpec? module) in reading.Held)
            Complete(held, module);
        Complete(key, reading.Module);
        return true;
    }

    /// <summary>
    /// One module's reading: its spec (null when it has errors), the modules it held that the
    /// reading read, in order, and the keys it found already reserved.
    /// </summary>
    internal sealed record Reading(ModuleSpec? Module, List<(string Key, ModuleSpec? Module)> Held, List<string> Skipped);
}
