using System.Collections.Generic;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Fusion;
using Dsl.Generator.Lowering;
using Dsl.Generator.Pipeline;
using Dsl.Generator.Specs;
using Xunit;

namespace Dsl.Generator.Tests;

/// <summary>A compiled entry's equality is its members', not its cached hash's.</summary>
public class CompiledEntryTests
{
    [Fact]
    public void AnEntryAlreadyHashed_EqualsItsUnhashedTwin()
    {
        ModelSpec spec = DiagnosticsTests.ParseSpec(MarkedSource.Usings + """
            [Model]
            public partial class Classifier
            {
                [Dense(4)] private partial Tensor Hidden(Tensor x);

                [Forward]
                public Tensor Forward([Shape(3)] Tensor x) => Relu(Hidden(x));
            }
            """);
        LoweredModel lowered = ModelLowering.Lower(spec, new List<DiagnosticInfo>())!;
        EntryPlan plan = new BufferPlanner().Plan(lowered.Forward.Graph, new ParameterLayout(lowered.Layers));
        var hashed = new CompiledEntry(lowered.Forward, plan);
        var fresh = new CompiledEntry(lowered.Forward, plan);

        int hash = hashed.GetHashCode();

        Assert.True(hashed.Equals(fresh));
        Assert.True(fresh.Equals(hashed));
        Assert.Equal(hash, fresh.GetHashCode());
    }
}
