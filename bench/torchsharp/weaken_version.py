#!/usr/bin/python3
"""Marks one symbol-version requirement of an ELF64 little-endian shared library weak (VER_FLG_WEAK in
its Vernaux entry), so the loader accepts a libstdc++ without that version:

    python3 bench/torchsharp/weaken_version.py bin/.../runtimes/linux-x64/native/libLibTorchSharp.so GLIBCXX_3.4.32

Exits 1 when the library names no such version (nothing to do, or the wrong file)."""
import struct, sys
path, version = sys.argv[1], sys.argv[2].encode()
data = bytearray(open(path, 'rb').read())
shoff, = struct.unpack_from('<Q', data, 0x28)
shentsize, shnum, _ = struct.unpack_from('<HHH', data, 0x3A)
sections = [struct.unpack_from('<IIQQQQIIQQ', data, shoff + i * shentsize) for i in range(shnum)]
SHT_GNU_verneed = 0x6ffffffe
changed = 0
for name, typ, flags, addr, off, size, link, info, align, entsize in sections:
    if typ != SHT_GNU_verneed:
        continue
    strtab = sections[link][4]
    pos = off
    for _ in range(info):
        vn_version, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from('<HHIII', data, pos)
        aux = pos + vn_aux
        for _ in range(vn_cnt):
            vna_hash, vna_flags, vna_other, vna_name, vna_next = struct.unpack_from('<IHHII', data, aux)
            end = data.index(b'\0', strtab + vna_name)
            if bytes(data[strtab + vna_name:end]) == version:
                struct.pack_into('<H', data, aux + 4, vna_flags | 0x2)
                changed += 1
            aux += vna_next
        pos += vn_next
open(path, 'wb').write(data)
print(f"{path}: {changed} requirement(s) of {version.decode()} marked weak")
sys.exit(0 if changed else 1)
