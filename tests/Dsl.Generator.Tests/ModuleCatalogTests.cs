using System.Linq;
using Dsl.Generator.Common;
using Dsl.Generator.Parsing;
using Dsl.Generator.Specs;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// <see cref="ModuleCatalog"/>'s replay of an earlier parse's module reading (issue 21): it fills
/// the catalog as a fresh reading would, in the same order, and refuses where the catalog differs
/// from the one the reading was made in.
/// </summary>
public class ModuleCatalogTests
{
    [Fact]
    public void ReadingReplayedIntoAFreshCatalog_SameModulesInTheSameOrder()
    {
        var first = new ModuleCatalog();
        ModuleCatalog.Reading reading = ReadLayerHoldingMixer(first);

        var second = new ModuleCatalog();
        Assert.True(second.Reserve("Layer"));
        Assert.True(second.Replay("Layer", reading));

        Assert.Equal(Names(first), Names(second));
        Assert.Equal(new[] { "Layer", "Mixer" }, Names(second));
    }

    [Fact]
    public void ModuleTheReadingReadIsInTheCatalogAlready_ReplayRefused()
    {
        ModuleCatalog.Reading reading = ReadLayerHoldingMixer(new ModuleCatalog());
        var catalog = new ModuleCatalog();
        catalog.Reserve("Mixer");
        catalog.Complete("Mixer", Module("Mixer"));
        catalog.Reserve("Layer");

        Assert.False(catalog.Replay("Layer", reading)); // a fresh reading would skip Mixer, already read
        Assert.Equal(new[] { "Mixer" }, Names(catalog));
    }

    [Fact]
    public void ModuleTheReadingFoundReadIsNotInTheCatalog_ReplayRefused()
    {
        var first = new ModuleCatalog();
        first.Reserve("Mixer");
        first.Complete("Mixer", Module("Mixer"));
        ModuleCatalog.Reading reading = ReadLayerHoldingMixer(first); // finds Mixer read, so holds nothing of its own

        var second = new ModuleCatalog();
        second.Reserve("Layer");
        Assert.False(second.Replay("Layer", reading)); // a fresh reading would read Mixer here
    }

    [Fact]
    public void ReadingOfAModuleWithErrors_ReplayedAsFailed()
    {
        var first = new ModuleCatalog();
        first.Reserve("Layer");
        ModuleCatalog.Reading reading = first.Record("Layer", () => null);
        var catalog = new ModuleCatalog();
        catalog.Reserve("Layer");

        Assert.True(catalog.Replay("Layer", reading));
        Assert.True(catalog.Failed);
    }

    /// <summary>Reads "Layer", which holds "Mixer", into <paramref name="catalog"/> as the model parser does, recording it.</summary>
    private static ModuleCatalog.Reading ReadLayerHoldingMixer(ModuleCatalog catalog)
    {
        Assert.True(catalog.Reserve("Layer"));
        return catalog.Record("Layer", () =>
        {
            if (catalog.Reserve("Mixer"))
                catalog.Complete("Mixer", Module("Mixer"));
            return Module("Layer");
        });
    }

    private static string[] Names(ModuleCatalog catalog) => catalog.Parsed.Select(m => m.Name).ToArray();

    private static ModuleSpec Module(string name) => new()
    {
        TypeName = name,
        Name = name,
        Layers = EquatableArray<LayerSpec>.Empty,
        Children = EquatableArray<ChildSpec>.Empty,
        Members = EquatableArray<string>.Empty,
        Methods = EquatableArray<MethodSpec>.Empty,
        Location = null,
    };
}
