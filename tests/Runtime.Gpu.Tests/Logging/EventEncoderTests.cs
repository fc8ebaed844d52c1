using System;
using System.Collections.Generic;
using Dsl.Logging.TensorBoard;
using Xunit;

namespace Dsl.Tests.Logging;

public sealed class EventEncoderTests
{
    [Fact]
    public void ScalarsEventIsTheCanonicalProtobufEncoding()
    {
        byte[] bytes = EventEncoder.ScalarsEvent(1.5, 300, [new("a", 0.5f)]);
        Assert.Equal(
            "09" + "000000000000F83F" // wall_time: fixed64 double 1.5
            + "10" + "AC02"           // step: varint 300
            + "2A" + "0A"             // summary: 10 bytes
            + "0A" + "08"             //   value: 8 bytes
            + "0A" + "01" + "61"      //     tag: "a"
            + "15" + "0000003F",      //     simple_value: fixed32 float 0.5
            Convert.ToHexString(bytes));
    }

    [Fact]
    public void StepZeroIsLeftOutAsProto3DoesForDefaults()
    {
        byte[] bytes = EventEncoder.ScalarsEvent(1.5, 0, []);
        Assert.Equal("09" + "000000000000F83F" + "2A00", Convert.ToHexString(bytes));
    }

    [Fact]
    public void FileVersionEventHoldsTheWallTimeAndBrainEvent2()
    {
        byte[] bytes = EventEncoder.FileVersionEvent(2.0);
        Assert.Equal("09" + "0000000000000040" + "1A0D" + Convert.ToHexString("brain.Event:2"u8), Convert.ToHexString(bytes));
    }

    [Fact]
    public void TextEventWritesTensorBeforeMetadataInFieldOrder()
    {
        byte[] bytes = EventEncoder.TextEvent(2.0, 0, "t", "x");
        Assert.Equal(
            "09" + "0000000000000040"
            + "2A" + "18" + "0A" + "16"                 // summary (24 bytes) { value (22 bytes) {
            + "0A01" + "74"                            //   tag: "t"
            + "42" + "07" + "0807" + "1200" + "420178" //   tensor { dtype: DT_STRING, tensor_shape {}, string_val: "x" }
            + "4A" + "08" + "0A06" + "0A04" + Convert.ToHexString("text"u8), // metadata { plugin_data { plugin_name: "text" } }
            Convert.ToHexString(bytes));
        DecodedEvent decoded = EventFileDecoder.DecodeEvent(bytes);
        Assert.Equal([("t", "text", 7, "x")], decoded.Texts);
    }
}
