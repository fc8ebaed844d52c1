namespace Dsl.Generator.Emit;

/// <summary>One generated file: its hint name (<c>{Model}.{Backend}.g.cs</c>) and text.</summary>
internal sealed record GeneratedSource(string HintName, string Text);
