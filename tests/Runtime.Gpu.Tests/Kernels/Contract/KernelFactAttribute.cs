using System;
using System.Collections.Generic;
using Dsl.Testing;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Dsl.Tests.Kernels.Contract;

/// <summary>
/// A kernel-contract test, declared once in a family's abstract class and run by every backend's
/// derived class; in an <see cref="IOpenClKernelTests"/> class it is skipped (not passed) when no
/// OpenCL platform exists, as <see cref="OpenClFactAttribute"/> does, and in an
/// <see cref="ICudaKernelTests"/> class when no CUDA device exists, as <see cref="CudaFactAttribute"/> does.
/// </summary>
[XunitTestCaseDiscoverer("Dsl.Tests.Kernels.Contract.KernelFactDiscoverer", "Runtime.Gpu.Tests")]
public sealed class KernelFactAttribute : FactAttribute
{
}

/// <summary>Marks the derived test classes that run the OpenCL library.</summary>
public interface IOpenClKernelTests
{
}

/// <summary>Marks the derived test classes that run the ILGPU library on a CUDA device.</summary>
public interface ICudaKernelTests
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
        Type type = testMethod.TestClass.Class.ToRuntimeType();
        string? reason = typeof(IOpenClKernelTests).IsAssignableFrom(type) ? OpenClTestEnvironment.SkipReason
            : typeof(ICudaKernelTests).IsAssignableFrom(type) ? CudaTestEnvironment.SkipReason
            : null;
        if (reason is not null)
        {
            yield return new XunitSkippedDataRowTestCase(
                _sink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
            yield break;
        }

        yield return new XunitTestCase(_sink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
    }
}
