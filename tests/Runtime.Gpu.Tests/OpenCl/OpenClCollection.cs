using Xunit;

namespace Dsl.Tests.OpenCl;

/// <summary>
/// The OpenCL tests run one class at a time: PoCL spreads each kernel over every core, so running
/// them side by side only makes each slower.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OpenClCollection
{
    public const string Name = "OpenCl";
}
