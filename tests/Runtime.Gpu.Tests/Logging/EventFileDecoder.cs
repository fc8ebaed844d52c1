using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Dsl.Tests.Logging;

/// <summary>
/// Reads an event file with no help from the runtime: TFRecord framing checked with the bitwise
/// reference CRC, and protobuf decoded by hand (varints and wire types). Any field the logger is
/// not meant to write fails the decode, so stray bytes cannot hide.
/// </summary>
internal static class EventFileDecoder
{
    public static List<byte[]> ReadRecords(byte[] file)
    {
        var records = new List<byte[]>();
        int at = 0;
        while (at < file.Length)
        {
            if (file.Length - at < 12)
                throw new InvalidDataException($"offset {at}: {file.Length - at} bytes left, a record header needs 12");
            ReadOnlySpan<byte> header = file.AsSpan(at, 8);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8)) != ReferenceCrc32C.Masked(header))
                throw new InvalidDataException($"offset {at}: the length's CRC does not match");
            if (length > (ulong)(file.Length - at - 16))
                throw new InvalidDataException($"offset {at}: length {length} runs past the end");
            byte[] data = file.AsSpan(at + 12, (int)length).ToArray();
            if (BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 12 + (int)length)) != ReferenceCrc32C.Masked(data))
                throw new InvalidDataException($"offset {at}: the data's CRC does not match");
            records.Add(data);
            at += 16 + (int)length;
        }

        return records;
    }

    public static DecodedEvent DecodeEvent(byte[] data)
    {
        var decoded = new DecodedEvent();
        foreach (Field field in Fields(data))
        {
            switch ((field.Number, field.WireType))
            {
                case (1, 1): decoded.WallTime = BitConverter.Int64BitsToDouble((long)field.Value); break;
                case (2, 0): decoded.Step = (long)field.Value; break;
                case (3, 2): decoded.FileVersion = Encoding.UTF8.GetString(field.Bytes); break;
                case (5, 2): DecodeSummary(field.Bytes, decoded); break;
                default: throw new InvalidDataException($"Event: unexpected field {field.Number} wire type {field.WireType}");
            }
        }

        return decoded;
    }

    private static void DecodeSummary(byte[] summary, DecodedEvent decoded)
    {
        foreach (Field value in Fields(summary))
        {
            if ((value.Number, value.WireType) != (1, 2))
                throw new InvalidDataException($"Summary: unexpected field {value.Number}");
            string? tag = null, plugin = null, text = null;
            float? simple = null;
            int dataType = -1;
            foreach (Field f in Fields(value.Bytes))
            {
                switch ((f.Number, f.WireType))
                {
                    case (1, 2): tag = Encoding.UTF8.GetString(f.Bytes); break;
                    case (2, 5): simple = BitConverter.Int32BitsToSingle((int)f.Value); break;
                    case (9, 2): plugin = Encoding.UTF8.GetString(Single(Single(f.Bytes, 1), 1)); break; // metadata.plugin_data.plugin_name
                    case (8, 2):
                        foreach (Field t in Fields(f.Bytes))
                        {
                            switch ((t.Number, t.WireType))
                            {
                                case (1, 0): dataType = (int)t.Value; break;
                                case (2, 2) when t.Bytes.Length == 0: break; // scalar shape
                                case (8, 2): text = Encoding.UTF8.GetString(t.Bytes); break;
                                default: throw new InvalidDataException($"TensorProto: unexpected field {t.Number}");
                            }
                        }

                        break;
                    default: throw new InvalidDataException($"Summary.Value: unexpected field {f.Number}");
                }
            }

            if (tag is null)
                throw new InvalidDataException("Summary.Value without a tag");
            if (simple is float v)
                decoded.Scalars.Add((tag, v));
            else
                decoded.Texts.Add((tag, plugin ?? "", dataType, text ?? ""));
        }
    }

    private static byte[] Single(byte[] message, int number)
    {
        List<Field> fields = Fields(message);
        if (fields.Count != 1 || fields[0].Number != number || fields[0].WireType != 2)
            throw new InvalidDataException($"expected exactly field {number}");
        return fields[0].Bytes;
    }

    private readonly record struct Field(int Number, int WireType, ulong Value, byte[] Bytes);

    private static List<Field> Fields(byte[] message)
    {
        var fields = new List<Field>();
        int at = 0;
        while (at < message.Length)
        {
            ulong key = Varint(message, ref at);
            int number = (int)(key >> 3), wireType = (int)(key & 7);
            switch (wireType)
            {
                case 0:
                    fields.Add(new(number, 0, Varint(message, ref at), []));
                    break;
                case 1:
                    fields.Add(new(number, 1, BinaryPrimitives.ReadUInt64LittleEndian(message.AsSpan(at, 8)), []));
                    at += 8;
                    break;
                case 2:
                    int length = checked((int)Varint(message, ref at));
                    fields.Add(new(number, 2, 0, message.AsSpan(at, length).ToArray()));
                    at += length;
                    break;
                case 5:
                    fields.Add(new(number, 5, BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(at, 4)), []));
                    at += 4;
                    break;
                default:
                    throw new InvalidDataException($"wire type {wireType} at byte {at}");
            }
        }

        return fields;
    }

    private static ulong Varint(byte[] bytes, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }

        throw new InvalidDataException("varint longer than 10 bytes");
    }
}
