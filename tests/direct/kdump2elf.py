#!/usr/bin/env python3
"""kdump2elf.py KDUMP OUT: an ELF64 vmcore of the pages a zlib kdump-compressed
x86_64 dump holds, read here without libkdumpfile (the header, its bitmaps and
page descriptors, zlib), so that the direct reader's ELF path is tested on
memory it did not produce itself.  Runs of dumped pages become PT_LOAD
segments (p_paddr, p_vaddr 0), pages left out become holes, as makedumpfile -E
leaves them; VMCOREINFO becomes a PT_NOTE named VMCOREINFO, as the kernel
writes it.
"""
import struct
import sys
import zlib

PAGE = 4096


def read_kdump(path):
    f = open(path, "rb")
    h = f.read(448)
    if h[:8] != b"KDUMP   " or h[272:278] != b"x86_64":
        sys.exit("kdump2elf: %s is not an x86_64 kdump-compressed dump" % path)
    version, = struct.unpack_from("<i", h, 8)
    block, sub, blocks, _max_mapnr = struct.unpack_from("<iiII", h, 428)
    f.seek(block)
    sh = f.read(64)
    vi_off, vi_size = struct.unpack_from("<QQ", sh, 32)
    f.seek(vi_off)
    vmcoreinfo = f.read(vi_size) if version >= 3 else b""
    length = blocks * block // 2
    f.seek(block * (1 + sub) + length)
    bitmap2 = f.read(length)
    return f, block * (1 + sub + blocks), bitmap2, vmcoreinfo


def pages(f, desc_off, bitmap2):
    """(pfn, 4096 bytes) of every dumped page, in pfn order."""
    n = 0
    for byte_i, byte in enumerate(bitmap2):
        for bit in range(8):
            if not byte >> bit & 1:
                continue
            f.seek(desc_off + 24 * n)
            off, size, flags, _ = struct.unpack("<QIIQ", f.read(24))
            n += 1
            f.seek(off)
            data = f.read(size)
            if flags & 1:
                data = zlib.decompress(data)
            elif flags:
                sys.exit("kdump2elf: page compression %#x is not zlib" % flags)
            yield byte_i * 8 + bit, data


def runs(f, desc_off, bitmap2):
    """[(first pfn, bytes)] of contiguous dumped pages."""
    out, start, buf, last = [], None, [], None
    for pfn, data in pages(f, desc_off, bitmap2):
        if last is None or pfn != last + 1:
            if buf:
                out.append((start, b"".join(buf)))
            start, buf = pfn, []
        buf.append(data)
        last = pfn
    if buf:
        out.append((start, b"".join(buf)))
    return out


def write_elf(path, segments, vmcoreinfo):
    name = b"VMCOREINFO\0\0"                       # namesz 11, padded to 12
    desc = vmcoreinfo + bytes(-len(vmcoreinfo) % 4)
    note = struct.pack("<III", 11, len(vmcoreinfo), 0) + name + desc
    nph = 1 + len(segments)
    data_off = 64 + 56 * nph + len(note)
    data_off += -data_off % PAGE
    ehdr = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), 4, 62, 1, 0, 64, 0, 0,
                       64, 56, nph, 64, 0, 0)
    phdrs = [struct.pack("<IIQQQQQQ", 4, 0, 64 + 56 * nph, 0, 0, len(note), len(note), 0)]
    off = data_off
    for pfn, data in segments:
        phdrs.append(struct.pack("<IIQQQQQQ", 1, 7, off, 0, pfn * PAGE, len(data), len(data), PAGE))
        off += len(data)
    with open(path, "wb") as out:
        out.write(ehdr + b"".join(phdrs) + note)
        out.write(bytes(data_off - out.tell()))
        for _pfn, data in segments:
            out.write(data)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    f, desc_off, bitmap2, vmcoreinfo = read_kdump(sys.argv[1])
    write_elf(sys.argv[2], runs(f, desc_off, bitmap2), vmcoreinfo)


if __name__ == "__main__":
    main()
