#!/usr/bin/env python3
"""Dumps of other architectures, for the tests that must name them.

    fakedump.py elf-arm64 OUT          an ELF64 core for EM_AARCH64 with one VMCOREINFO note
    fakedump.py machine SRC OUT MACH   SRC (kdump-compressed or flattened) with utsname.machine = MACH
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
    elif sys.argv[1:2] == ["machine"] and len(sys.argv) == 5:
        rewrite_machine(*sys.argv[2:5])
    else:
        sys.exit(__doc__)
