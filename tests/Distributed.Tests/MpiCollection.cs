using Xunit;

namespace Dsl.Distributed.Tests;

/// <summary>
/// The mpirun tests run one after another: each starts two ranks that poll while they wait, so
/// two jobs at once on a small machine would share its cores four ways and stretch the time
/// limits the tests set on a job.
/// </summary>
[CollectionDefinition(Name)]
public sealed class MpiCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "mpirun jobs";
}
