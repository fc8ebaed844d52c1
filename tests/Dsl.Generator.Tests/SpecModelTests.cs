using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Dsl.Generator.Pipeline;
using Dsl.Generator.Specs;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>
/// The pipeline's models hold nothing from the compilation and compare by value, so the
/// incremental driver can cache them (System.Text.Json's
/// <c>SourceGenModelDoesNotEncapsulateSymbolsOrCompilationData</c>, and the Roslyn cookbook's
/// "Pipeline model design").
/// </summary>
public class SpecModelTests
{
    private static readonly string s_classifier =
        File.ReadAllText(Path.Combine(SnapshotTests.RepositoryRoot(), "samples", "QuickStart", "Classifier.cs"));

    /// <summary>A model with errors, so the walk also meets diagnostics and their locations.</summary>
    private const string BrokenModel = MarkedSource.Usings + """
        [Model]
        public partial class Broken
        {
            [Dense(0)] private partial Tensor Hidden(Tensor x);
            [Dense(2)] private partial Tensor Output(Tensor x);

            [Forward]
            public Tensor Forward([Shape(10)] Tensor x) => Output(x) + System.Math.Abs(1.0);

            [TrainingStep]
            public Tensor TrainingStep(Tensor x, Label y)
            {
                var loss = CrossEntropy(Forward(x), y);
                Log("loss", loss);
                return loss;
            }
        }
        """;

    /// <summary>Types from these namespaces must not appear anywhere in a pipeline model.</summary>
    private static readonly Type[] s_forbidden =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SemanticModel), typeof(Compilation), typeof(Location), typeof(SyntaxTree),
        typeof(SyntaxToken), typeof(SyntaxTrivia), typeof(AttributeData), typeof(TypedConstant), typeof(SyntaxReference), typeof(IOperation),
    };

    public static IEnumerable<object[]> Models() => new[]
    {
        new object[] { "Classifier" },
        new object[] { "Broken" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void SourceGenModelDoesNotEncapsulateSymbolsOrCompilationData(string model)
    {
        GeneratorRunResult result = Run(model == "Classifier" ? s_classifier : BrokenModel);

        var parse = (ParseResult)Output(result, DslGenerator.Steps.Parse);
        Assert.NotNull(parse.Model);
        if (model == "Broken")
            Assert.NotEmpty(parse.Diagnostics);

        var visited = new List<Type>();
        foreach (string step in new[] { DslGenerator.Steps.Parse, DslGenerator.Steps.Compile, DslGenerator.Steps.Sources, DslGenerator.Steps.Diagnostics })
            WalkObjectGraph(Output(result, step), step, visited);

        // The walk did reach the nested records, so the absence of symbols means something.
        Assert.Contains(typeof(ModelSpec), visited);
        Assert.Contains(typeof(LayerSpec), visited);
        Assert.Contains(typeof(MethodSpec), visited);
        Assert.Contains(typeof(Dsl.Generator.Specs.ParameterSpec), visited);
        Assert.Contains(typeof(CallExpression), visited);
        Assert.Contains(typeof(Dsl.Generator.Common.LocationInfo), visited);
        if (model == "Broken")
            Assert.Contains(typeof(Dsl.Generator.Diagnostics.DiagnosticInfo), visited);
    }

    /// <summary>
    /// The same check on types rather than values: every field type reachable from the step
    /// outputs (through generic arguments, arrays and every subtype of an abstract record) is free
    /// of Roslyn types, so a member that happens to be null in the samples cannot hide one.
    /// </summary>
    [Fact]
    public void PipelineModelTypesReferenceNoRoslynTypes()
    {
        Assembly generator = typeof(DslGenerator).Assembly;
        var seen = new HashSet<Type>();
        var problems = new List<string>();
        var pending = new Stack<(Type Type, string Path)>();
        pending.Push((typeof(ParseResult), nameof(ParseResult)));
        pending.Push((typeof(CompileResult), nameof(CompileResult)));

        while (pending.Count > 0)
        {
            var (type, path) = pending.Pop();
            if (!seen.Add(type))
                continue;
            if (IsForbidden(type) || type.Assembly.GetName().Name!.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
            {
                problems.Add($"{path}: {type.FullName}");
                continue;
            }
            if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal))
                continue;
            if (type.IsArray)
            {
                pending.Push((type.GetElementType()!, path + "[]"));
                continue;
            }
            foreach (Type argument in type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes)
                pending.Push((argument, $"{path}<{argument.Name}>"));
            if (type.Assembly != generator)
                continue; // BCL containers (ImmutableArray<T>, Nullable<T>): their arguments are what matters.
            if (type.IsAbstract)
                foreach (Type subtype in generator.GetTypes().Where(t => t != type && type.IsAssignableFrom(t)))
                    pending.Push((subtype, $"{path}:{subtype.Name}"));
            for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
                foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    pending.Push((field.FieldType, path + "." + field.Name));
        }

        Assert.True(problems.Count == 0, "Pipeline models reference Roslyn types:\n" + string.Join("\n", problems));
        Assert.Contains(typeof(ModelSpec), seen);
        Assert.Contains(typeof(NegateExpression), seen);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ParsingTheSameSourceTwice_GivesEqualResults(string model)
    {
        string source = model == "Classifier" ? s_classifier : BrokenModel;

        // Two separate compilations: nothing is shared but the text.
        GeneratorRunResult first = Run(source), second = Run(source);

        foreach (string step in new[] { DslGenerator.Steps.Parse, DslGenerator.Steps.Compile, DslGenerator.Steps.Sources, DslGenerator.Steps.Diagnostics })
        {
            object a = Output(first, step), b = Output(second, step);
            Assert.NotSame(a, b);
            Assert.Equal(a, b);
            Assert.Equal(a.GetHashCode(), b.GetHashCode());
        }
    }

    [Fact]
    public void ParsingADifferentModel_GivesUnequalResults()
    {
        var a = (ParseResult)Output(Run(s_classifier), DslGenerator.Steps.Parse);
        var b = (ParseResult)Output(Run(s_classifier.Replace("[Dense(16)]", "[Dense(17)]", StringComparison.Ordinal)), DslGenerator.Steps.Parse);

        Assert.NotEqual(a, b);
        Assert.Equal(a.Model!.Methods, b.Model!.Methods);
        Assert.NotEqual(a.Model.Layers, b.Model.Layers);
    }

    /// <summary>The walk itself: a Roslyn object two levels down is found.</summary>
    [Fact]
    public void WalkObjectGraph_FindsARoslynObject()
    {
        var holder = new { Model = new { Where = Location.None } };

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => WalkObjectGraph(holder, "holder", new List<Type>()));
    }

    // ---- Helpers ----

    private static GeneratorRunResult Run(string source)
    {
        var (run, _) = GeneratorHarness.Run(source, "Model.cs");
        GeneratorRunResult result = run.Results.Single();
        Assert.Null(result.Exception);
        return result;
    }

    /// <summary>The single output value of a tracked step, as the driver cached it.</summary>
    private static object Output(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].Single().Outputs.Single().Value;

    private static bool IsForbidden(Type type) => s_forbidden.Any(f => f.IsAssignableFrom(type));

    /// <summary>
    /// Visits every field of every object reachable from <paramref name="root"/> (records' backing
    /// fields, <c>EquatableArray</c>'s <c>ImmutableArray</c> and its array, array elements) and fails
    /// on a Roslyn object. Each
    /// model type met on the way must also have value equality.
    /// </summary>
    private static void WalkObjectGraph(object root, string rootName, List<Type> visitedTypes)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Visit(root, rootName);

        void Visit(object? node, string path)
        {
            if (node is null)
                return;
            Type type = node.GetType();
            Assert.False(IsForbidden(type) || type.Assembly.GetName().Name!.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal),
                $"{path} holds a {type.FullName}: pipeline models must not hold symbols, syntax or compilation data.");
            if (type.IsPrimitive || type.IsEnum || node is string or decimal)
                return;
            if (!type.IsValueType && !visited.Add(node))
                return;
            visitedTypes.Add(type);

            if (type.Assembly == typeof(DslGenerator).Assembly && !type.IsArray)
                Assert.True(typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type),
                    $"{path} is a {type.Name}, which has no value equality (IEquatable<{type.Name}>).");

            if (node is Array array)
            {
                for (int i = 0; i < array.Length; i++)
                    Visit(array.GetValue(i), $"{path}[{i}]");
                return;
            }
            for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
                foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    Visit(field.GetValue(node), path + "." + field.Name.Replace("k__BackingField", "").Trim('<', '>'));
        }
    }
}
