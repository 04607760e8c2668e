#!/usr/bin/env python3
"""Make a damaged copy of a kdump-compressed (diskdump) vmcore, page by page.

    damage.py IN OUT OP [OP ...]

OP is one of
    truncate:BYTES          cut the copy at BYTES (after the other ops)
    zero:PADDR              the 4 KiB page holding PADDR reads as zeros
    random:PADDR:SEED       ... as random bytes
    put64:PADDR:VALUE       one 8-byte word (little-endian) gets VALUE
    exclude:PADDR           the page is removed from the dump, as makedumpfile -d
                            removes pages: its bit in the dumpable bitmap is
                            cleared and its page descriptor dropped
    no-notes                the ELF notes of the header (each CPU's registers at
                            the panic, from which crash finds the panic task)
                            become zeros

Replacement pages are appended to the file uncompressed and their descriptor
is pointed at them, so no other page moves.  Only zlib-compressed or plain
pages can be read back (put64 reads the page first).
"""
import random
import struct
import sys
import zlib

PAGE = 4096


class DiskDump:
    def __init__(self, data):
        self.d = bytearray(data)
        if self.d[:8] not in (b"KDUMP   ", b"DISKDUMP"):
            raise SystemExit("damage.py: not a kdump-compressed dump (makedumpfile -R a flattened one)")
        self.version = struct.unpack_from("<i", self.d, 8)[0]
        (self.block_size, self.sub_hdr_size, self.bitmap_blocks,
         self.max_mapnr) = struct.unpack_from("<iiII", self.d, 428)
        if self.block_size != PAGE:
            raise SystemExit("damage.py: block size %d is not 4096" % self.block_size)
        if self.version >= 6:
            # kdump_sub_header: ... start_pfn_64, end_pfn_64, max_mapnr_64
            self.max_mapnr = struct.unpack_from("<Q", self.d, PAGE + 96)[0]
        self.bitmap_off = PAGE * (1 + self.sub_hdr_size)
        self.bitmap_len = PAGE * self.bitmap_blocks // 2
        self.bitmap2_off = self.bitmap_off + self.bitmap_len
        self.desc_off = PAGE * (1 + self.sub_hdr_size + self.bitmap_blocks)

    def dumpable(self, pfn):
        return self.d[self.bitmap2_off + (pfn >> 3)] >> (pfn & 7) & 1

    def desc_index(self, pfn):
        if not self.dumpable(pfn):
            raise SystemExit("damage.py: pfn %#x is not in the dump" % pfn)
        full = pfn >> 3
        bm = self.d[self.bitmap2_off:self.bitmap2_off + full]
        n = int.from_bytes(bm, "little").bit_count() if full else 0
        part = self.d[self.bitmap2_off + full] & ((1 << (pfn & 7)) - 1)
        return n + bin(part).count("1")

    def ndescs(self):
        return int.from_bytes(self.d[self.bitmap2_off:self.bitmap2_off + self.bitmap_len], "little").bit_count()

    def desc(self, i):
        return struct.unpack_from("<qIIQ", self.d, self.desc_off + 24 * i)

    def read_page(self, pfn):
        off, size, flags, _ = self.desc(self.desc_index(pfn))
        raw = bytes(self.d[off:off + size])
        if flags & 1:
            return zlib.decompress(raw)
        if flags:
            raise SystemExit("damage.py: page %#x compressed with flags %#x (only zlib)" % (pfn, flags))
        return raw

    def write_page(self, pfn, page):
        assert len(page) == PAGE
        i = self.desc_index(pfn)
        _, _, _, pflags = self.desc(i)
        off = len(self.d)
        self.d += page
        struct.pack_into("<qIIQ", self.d, self.desc_off + 24 * i, off, PAGE, 0, pflags)

    def exclude(self, pfn):
        i, n = self.desc_index(pfn), self.ndescs()
        start = self.desc_off + 24 * i
        end = self.desc_off + 24 * n
        self.d[start:end - 24] = self.d[start + 24:end]
        self.d[self.bitmap2_off + (pfn >> 3)] &= ~(1 << (pfn & 7)) & 0xFF


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    dd = DiskDump(open(sys.argv[1], "rb").read())
    cut = None
    for op in sys.argv[3:]:
        kind, _, arg = op.partition(":")
        args = arg.split(":")
        if kind == "truncate":
            cut = int(args[0], 0)
            continue
        if kind == "no-notes":
            off, size = struct.unpack_from("<qQ", dd.d, PAGE + 48)
            dd.d[off:off + size] = bytes(size)
            continue
        paddr = int(args[0], 0)
        pfn = paddr // PAGE
        if kind == "zero":
            dd.write_page(pfn, bytes(PAGE))
        elif kind == "random":
            rng = random.Random(int(args[1]) if len(args) > 1 else 1)
            dd.write_page(pfn, bytes(rng.getrandbits(8) for _ in range(PAGE)))
        elif kind == "put64":
            page = bytearray(dd.read_page(pfn))
            struct.pack_into("<Q", page, paddr % PAGE, int(args[1], 0))
            dd.write_page(pfn, bytes(page))
        elif kind == "exclude":
            dd.exclude(pfn)
        else:
            raise SystemExit("damage.py: unknown op %s" % op)
    out = bytes(dd.d if cut is None else dd.d[:cut])
    open(sys.argv[2], "wb").write(out)


if __name__ == "__main__":
    main()
