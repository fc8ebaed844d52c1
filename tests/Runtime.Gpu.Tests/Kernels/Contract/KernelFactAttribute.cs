using System.Collections.Generic;
using Dsl.Testing;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// A kernel-contract test, declared once in a family's abstract class and run by every backend's
/// derived class; in an <see cref="IOpenClKernelTests"/> class it is skipped (not passed) when no
/// OpenCL platform exists, as <see cref="OpenClFactAttribute"/> does.
/// </summary>
[XunitTestCaseDiscoverer("Dsl.Tests.Kernels.Contract.KernelFactDiscoverer", "Runtime.Gpu.Tests")]
public sealed class KernelFactAttribute : FactAttribute
{
}

/// <summary>Marks the derived test classes that run the OpenCL library.</summary>
public interface IOpenClKernelTests
{
}

/// <summary>Discovers a <see cref="KernelFactAttribute"/> test per derived class, skipped where its device is missing.</summary>
public sealed class KernelFactDiscoverer : IXunitTestCaseDiscoverer
{
    private readonly IMessageSink _sink;

    /// <summary>Created by xUnit.</summary>
    public KernelFactDiscoverer(IMessageSink diagnosticMessageSink)
    {
        _sink = diagnosticMessageSink;
    }

    /// <inheritdoc/>
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        // The class is the derived one: an inherited test is discovered once per class that inherits it.
        bool openCl = typeof(IOpenClKernelTests).IsAssignableFrom(testMethod.TestClass.Class.ToRuntimeType());
        if (openCl && OpenClTestEnvironment.SkipReason is { } reason)
        {
            yield return new XunitSkippedDataRowTestCase(
                _sink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
            yield break;
        }

        yield return new XunitTestCase(_sink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }
}
