using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Dsl.Generator.Parsing;

/// <summary>
/// The last parse of each [Model] or [Module] declaration, reused while nothing it could depend
/// on changed. Roslyn's <c>ForAttributeWithMetadataName</c> calls the parse again for every
/// marked declaration on every compilation change, unchanged files included (the result is then
/// compared and found equal), so without this an edit anywhere re-binds every model's bodies.
/// </summary>
/// <remarks>
/// A parse is reused for a new compilation when its declaration is the same syntax node (its
/// file is unchanged), the references and options are the same objects, the files are the same
/// but for edited ones, no edited file is one the parse read (<see cref="TreesRead"/>), and no
/// name an edit re-declared (<see cref="DeclarationDiff"/>) is spelled in a file the parse read,
/// or is one C# binds without spelling it (foreach's <c>GetEnumerator</c>, ...). One cache per
/// generator instance; entries live as long as their declaration's syntax tree.
/// </remarks>
internal sealed class ParseCache<T> where T : class
{
    /// <summary>Members C# finds by name without the code spelling the name.</summary>
    private static readonly HashSet<string> s_namesBoundUnspelled = new()
    {
        "GetEnumerator", "GetAsyncEnumerator", "MoveNext", "MoveNextAsync", "Current", "Dispose", "DisposeAsync",
        "GetAwaiter", "GetResult", "IsCompleted", "OnCompleted", "Deconstruct", "Add", "Length", "Count", "Slice",
        "Item", "GetPinnableReference", "Invoke", "Create", "Equals", "GetHashCode", "ToString",
    };

    /// <summary>The identifiers each read file spells, found once per file version.</summary>
    private static readonly ConditionalWeakTable<SyntaxTree, HashSet<string>> s_identifiers = new();

    private readonly ConditionalWeakTable<SyntaxNode, Entry> _entries = new();
    private readonly ConditionalWeakTable<Compilation, Snapshot> _snapshots = new();

    /// <summary>The cached parse of <paramref name="context"/>'s declaration if it still holds, else <paramref name="parse"/>'s.</summary>
    public T Get(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken, Func<GeneratorAttributeSyntaxContext, CancellationToken, T> parse) =>
        Get(context.TargetNode, context.TargetSymbol, context.SemanticModel.Compilation, () => parse(context, cancellationToken), cancellationToken);

    /// <summary>The cached parse of <paramref name="declaration"/> (declaring <paramref name="symbol"/> in <paramref name="compilation"/>) if it still holds, else <paramref name="parse"/>'s.</summary>
    public T Get(SyntaxNode declaration, ISymbol symbol, Compilation compilation, Func<T> parse, CancellationToken cancellationToken)
    {
        Snapshot snapshot = _snapshots.GetValue(compilation, c => new Snapshot(c));
        if (_entries.TryGetValue(declaration, out Entry? entry) && Holds(entry, snapshot, cancellationToken))
        {
            Store(declaration, new Entry(entry.Result, snapshot, entry.Read));
            return entry.Result;
        }
        (T result, HashSet<SyntaxTree> read) = TreesRead.During(parse);
        read.Add(declaration.SyntaxTree);
        foreach (SyntaxReference part in symbol.DeclaringSyntaxReferences)
            read.Add(part.SyntaxTree);
        Store(declaration, new Entry(result, snapshot, read));
        return result;
    }

    private void Store(SyntaxNode node, Entry entry)
    {
        lock (_entries)
        {
            _entries.Remove(node);
            _entries.Add(node, entry);
        }
    }

    private static bool Holds(Entry entry, Snapshot now, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(entry.Snapshot, now))
            return true;
        try
        {
            if (now.ChangesSince(entry.Snapshot, cancellationToken) is not { } edits)
                return false;
            foreach ((SyntaxTree before, HashSet<string> names) in edits)
            {
                if (entry.Read.Contains(before) || names.Overlaps(s_namesBoundUnspelled))
                    return false;
                if (names.Count > 0 && entry.Read.Any(tree => names.Overlaps(Identifiers(tree, cancellationToken))))
                    return false;
            }
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false; // parse again: always right, only slower
        }
    }

    private static HashSet<string> Identifiers(SyntaxTree tree, CancellationToken cancellationToken) =>
        s_identifiers.GetValue(tree, t => new HashSet<string>(t.GetRoot(cancellationToken).DescendantTokens()
            .Where(token => token.IsKind(SyntaxKind.IdentifierToken)).Select(token => token.ValueText)));

    private sealed record Entry(T Result, Snapshot Snapshot, HashSet<SyntaxTree> Read);

    /// <summary>The edited files between two snapshots (see <see cref="Snapshot.ChangesSince"/>).</summary>
    private sealed record Edits(List<(SyntaxTree Before, HashSet<string> Names)>? Files);

    /// <summary>What of a compilation a parse depends on besides its files' text: its files, references and options.</summary>
    private sealed class Snapshot
    {
        private readonly SyntaxTree[] _trees;
        private readonly MetadataReference[] _references;
        private readonly CompilationOptions _options;
        private readonly ConditionalWeakTable<Snapshot, Edits> _changes = new();

        public Snapshot(Compilation compilation)
        {
            _trees = compilation.SyntaxTrees.ToArray();
            _references = compilation.References.ToArray();
            _options = compilation.Options;
        }

        /// <summary>
        /// The files edited since <paramref name="earlier"/>, each (as it was) with the names its
        /// edit re-declared; null if files were added, removed or renamed, the references or options
        /// changed, or an edit's names cannot be told.
        /// </summary>
        public List<(SyntaxTree Before, HashSet<string> Names)>? ChangesSince(Snapshot earlier, CancellationToken cancellationToken)
        {
            lock (_changes)
            {
                if (!_changes.TryGetValue(earlier, out Edits? edits))
                    _changes.Add(earlier, edits = new Edits(Compare(earlier, cancellationToken)));
                return edits.Files;
            }
        }

        private List<(SyntaxTree Before, HashSet<string> Names)>? Compare(Snapshot earlier, CancellationToken cancellationToken)
        {
            if (!ReferenceEquals(_options, earlier._options) || _trees.Length != earlier._trees.Length
                || !_references.SequenceEqual(earlier._references, ReferenceComparer.Instance))
                return null;
            var changes = new List<(SyntaxTree Before, HashSet<string> Names)>();
            for (int i = 0; i < _trees.Length; i++)
            {
                SyntaxTree before = earlier._trees[i], after = _trees[i];
                if (ReferenceEquals(before, after))
                    continue;
                cancellationToken.ThrowIfCancellationRequested();
                if (before.FilePath != after.FilePath || !before.Options.Equals(after.Options) || DeclarationDiff.ChangedNames(before, after) is not { } names)
                    return null;
                changes.Add((before, names));
            }
            return changes;
        }
    }

    private sealed class ReferenceComparer : IEqualityComparer<object>
    {
        public static readonly ReferenceComparer Instance = new();
        public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);
        public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
