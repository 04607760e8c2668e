#!/usr/bin/env bash
# Integration tests of vmfault.so on the generated vmcores (see check.py).
exec python3 "$(dirname "$0")/check.py" "$@"
