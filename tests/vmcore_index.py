"""The factory's vmcores, as tests/vmcores/generate.sh lists them in the cache."""
import os

CACHE = os.environ.get("VMFAULT_CACHE", os.path.expanduser("~/.cache/vmfault"))


def index():
    """{id: [vmlinux, vmcore, truth.json]} from $VMFAULT_CACHE/vmcores/index.tsv."""
    rows = {}
    with open(os.path.join(CACHE, "vmcores", "index.tsv")) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 4:
                rows[parts[0]] = parts[1:]
    return rows


def flat_streams():
    """{id: [flat stream, vmcore]} from $VMFAULT_CACHE/vmcores/flat.tsv: the
    flattened streams makedumpfile -F wrote in the kdump guests, kept beside the
    vmcore makedumpfile -R made of them ({} before the factory kept any)."""
    rows = {}
    path = os.path.join(CACHE, "vmcores", "flat.tsv")
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3:
                rows[parts[0]] = parts[1:]
    return rows
