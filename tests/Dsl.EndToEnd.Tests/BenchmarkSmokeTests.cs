extern alias Bench;

using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Dsl.Testing;
using Xunit;
using BenchAssembly = Bench::Dsl.Benchmarks.Program;
using BenchModelCase = Bench::Dsl.Benchmarks.ModelCase;
using GemmCase = Bench::Dsl.Benchmarks.GemmCase;

namespace Dsl.EndToEnd.Tests;

/// <summary>
/// Each case of each suite in bench/Dsl.Benchmarks runs once, as BenchmarkDotNet would run it
/// (global set-up, the benchmark method, global clean-up), so the suites cannot rot between the
/// runs that fill bench/RESULTS.md. Nothing is timed here. GEMM shapes are capped at 256 per
/// dimension (transposes kept): this suite runs unoptimised Debug kernels, where a 2048³ product
/// alone takes seconds; the kernels' results on every shape are GemmTests' business.
/// </summary>
public class BenchmarkSmokeTests
{
    public static TheoryData<string> Suites() => SuitesWhere(type => !NeedsOpenCl(type));

    public static TheoryData<string> OpenClSuites() => SuitesWhere(NeedsOpenCl);

    [Theory]
    [MemberData(nameof(Suites))]
    public void EveryCaseOfTheSuiteRunsOnce(string suite) => RunEveryCase(suite);

    /// <summary>The suites that open an OpenCL device run where OpenCL does, and skip with the reason elsewhere.</summary>
    [OpenClTheory]
    [MemberData(nameof(OpenClSuites))]
    public void EveryCaseOfTheOpenClSuiteRunsOnce(string suite) => RunEveryCase(suite);

    private static void RunEveryCase(string suite)
    {
        Type type = BenchmarkTypes().Single(t => t.Name == suite);
        MethodInfo[] benchmarks = [.. type.GetMethods().Where(m => m.IsDefined(typeof(BenchmarkAttribute)))];
        int cases = 0;
        foreach (Dictionary<PropertyInfo, object?> parameters in ParameterCombinations(type))
        {
            object instance = Activator.CreateInstance(type)!;
            foreach (var (property, value) in parameters)
                property.SetValue(instance, value);
            Invoke<GlobalSetupAttribute>(instance);
            try
            {
                foreach (MethodInfo benchmark in benchmarks)
                {
                    object? result = benchmark.Invoke(instance, null);
                    if (result is float loss)
                        Assert.True(float.IsFinite(loss), $"{suite}.{benchmark.Name} with {Describe(parameters)} returned {loss}.");
                    cases++;
                }
            }
            finally
            {
                Invoke<GlobalCleanupAttribute>(instance);
            }
        }

        Assert.True(cases > 0, $"{suite} has no benchmark cases.");
    }

    [Fact]
    public void AnUnknownModelCaseIsNamedWithTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => BenchModelCase.Create("seed/7"));
        Assert.Contains("'seed/7'", error.Message);
        Assert.Contains("mnist1024/256", error.Message);
    }

    private static TheoryData<string> SuitesWhere(Func<Type, bool> predicate)
    {
        var data = new TheoryData<string>();
        foreach (Type type in BenchmarkTypes().Where(predicate))
            data.Add(type.Name);
        return data;
    }

    /// <summary>The suites that call Device.OpenCL: the OpenCL GEMM and the CPU-against-OpenCL train step.</summary>
    private static bool NeedsOpenCl(Type type) =>
        type.Name.Contains("OpenCl", StringComparison.Ordinal) || type.Name.StartsWith("Device", StringComparison.Ordinal);

    private static IEnumerable<Type> BenchmarkTypes() =>
        typeof(BenchAssembly).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkAttribute))))
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    /// <summary>The cross product of every [Params] and [ParamsSource] property's values.</summary>
    private static IEnumerable<Dictionary<PropertyInfo, object?>> ParameterCombinations(Type type)
    {
        IEnumerable<Dictionary<PropertyInfo, object?>> combinations = [new Dictionary<PropertyInfo, object?>()];
        foreach (PropertyInfo property in type.GetProperties())
        {
            object?[] values;
            if (property.GetCustomAttribute<ParamsAttribute>() is { } fixedValues)
                values = fixedValues.Values;
            else if (property.GetCustomAttribute<ParamsSourceAttribute>() is { } source)
                values = [.. SourceValues(type, source.Name).Cast<object?>()];
            else
                continue;
            values = [.. values.Select(v => v is GemmCase g ? Capped(g) : v)];
            combinations = [.. combinations.SelectMany(c => values.Select(v => new Dictionary<PropertyInfo, object?>(c) { [property] = v }))];
        }

        return combinations;
    }

    /// <summary>A [ParamsSource]'s values: BenchmarkDotNet accepts a public static property or method.</summary>
    private static IEnumerable SourceValues(Type type, string name)
    {
        const BindingFlags Static = BindingFlags.Public | BindingFlags.Static;
        object? values = type.GetProperty(name, Static) is { } property
            ? property.GetValue(null)
            : type.GetMethod(name, Static, Type.EmptyTypes)?.Invoke(null, null);
        return values as IEnumerable
            ?? throw new InvalidOperationException($"{type.Name}: [ParamsSource(\"{name}\")] names no public static property or method returning values.");
    }

    private static GemmCase Capped(GemmCase g) =>
        g with { M = Math.Min(g.M, MaxGemmDimension), N = Math.Min(g.N, MaxGemmDimension), K = Math.Min(g.K, MaxGemmDimension) };

    private const int MaxGemmDimension = 256;

    private static void Invoke<TAttribute>(object instance)
        where TAttribute : Attribute
    {
        foreach (MethodInfo method in instance.GetType().GetMethods().Where(m => m.IsDefined(typeof(TAttribute))))
            method.Invoke(instance, null);
    }

    private static string Describe(Dictionary<PropertyInfo, object?> parameters) =>
        string.Join(", ", parameters.Select(p => $"{p.Key.Name}={p.Value}"));
}
