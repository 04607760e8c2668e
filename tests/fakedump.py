#!/usr/bin/env python3
"""Dumps of other architectures, for the tests that must name them.

    fakedump.py elf-arm64 OUT          an ELF64 core for EM_AARCH64 with one VMCOREINFO note
    fakedump.py machine SRC OUT MACH   SRC (kdump-compressed or flattened) with utsname.machine = MACH
    fakedump.py vmlinux OUT             a vmlinux-shaped file for the triage's lookup: an x86_64 ELF
                                       executable of 1 MiB with an .init.text section, nothing else
    fakedump.py elf-x86_64 OUT REL [CUT]
                                       an x86_64 ELF core: VMCOREINFO for release REL, one 1 MiB
                                       PT_LOAD; with CUT, only the first CUT bytes of the file
"""
import struct
import sys

PAGE = 4096


def arm64_core(path):
    """An ELF64 core for EM_AARCH64 with one PT_NOTE: what a wrong-architecture dump starts with."""
    ehdr = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), 4, 183, 1, 0, 64, 0, 0,
                       64, 56, 1, 64, 0, 0)
    note = b"VMCOREINFO\0\0OSRELEASE=5.10.0-32-arm64\n"
    nhdr = struct.pack("<III", 11, len(note) - 12, 0) + note
    phdr = struct.pack("<IIQQQQQQ", 4, 0, 120, 0, 0, len(nhdr), 0, 0)
    with open(path, "wb") as f:
        f.write(ehdr + phdr + nhdr + bytes(PAGE))


def x86_64_core(path, release, cut=None):
    """An ELF64 core for EM_X86_64: a VMCOREINFO note and one PT_LOAD of 1 MiB of zeros."""
    info = ("OSRELEASE=%s\nPAGESIZE=4096\n" % release).encode()
    name = b"VMCOREINFO\0"
    note = struct.pack("<III", len(name), len(info), 0) + name.ljust(12, b"\0") + info.ljust((len(info) + 3) & ~3, b"\0")
    phoff, nphdr = 64, 2
    note_off = phoff + 56 * nphdr
    load_off = (note_off + len(note) + PAGE - 1) // PAGE * PAGE
    load_len = 1 << 20
    ehdr = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), 4, 62, 1, 0, phoff, 0, 0,
                       64, 56, nphdr, 64, 0, 0)
    phdrs = struct.pack("<IIQQQQQQ", 4, 0, note_off, 0, 0, len(note), 0, 0)
    phdrs += struct.pack("<IIQQQQQQ", 1, 7, load_off, 0xffff888000000000, 0, load_len, load_len, PAGE)
    data = ehdr + phdrs + note
    data += bytes(load_off - len(data)) + bytes(load_len)
    with open(path, "wb") as f:
        f.write(data[:cut] if cut is not None else data)


def vmlinux_shaped(path):
    """ET_EXEC, EM_X86_64, sections: null, .init.text, .shstrtab; 1 MiB (what the lookup judges a kernel by)."""
    names = b"\0.init.text\0.shstrtab\0"
    shoff = 64 + len(names)
    ehdr = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + bytes(9), 2, 62, 1, 0, 0, shoff, 0,
                       64, 56, 0, 64, 3, 2)
    null = bytes(64)
    text = struct.pack("<IIQQQQIIQQ", 1, 1, 6, 0xffffffff82000000, 0, 0, 0, 0, 16, 0)
    strtab = struct.pack("<IIQQQQIIQQ", 12, 3, 0, 0, 64, len(names), 0, 0, 1, 0)
    data = ehdr + names + null + text + strtab
    with open(path, "wb") as f:
        f.write(data + bytes((1 << 20) - len(data)))


def rewrite_machine(src, out, machine):
    """The first MiB of src with the kdump header's utsname.machine replaced."""
    data = bytearray(open(src, "rb").read(1 << 20))
    base = PAGE + 16 if data[:12] == b"makedumpfile" else 0   # flattened: the first record's data
    field = base + 8 + 4 + 4 * 65                               # signature, version, 4 utsname fields
    if data[field:field + 6] != b"x86_64":
        sys.exit("fakedump: %s has no x86_64 utsname.machine at %d" % (src, field))
    data[field:field + 65] = machine.encode().ljust(65, b"\0")
    open(out, "wb").write(data)


if __name__ == "__main__":
    if sys.argv[1:2] == ["elf-arm64"] and len(sys.argv) == 3:
        arm64_core(sys.argv[2])
    elif sys.argv[1:2] == ["vmlinux"] and len(sys.argv) == 3:
        vmlinux_shaped(sys.argv[2])
    elif sys.argv[1:2] == ["elf-x86_64"] and len(sys.argv) in (4, 5):
        x86_64_core(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) == 5 else None)
    elif sys.argv[1:2] == ["machine"] and len(sys.argv) == 5:
        rewrite_machine(*sys.argv[2:5])
    else:
        sys.exit(__doc__)
