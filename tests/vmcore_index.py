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
