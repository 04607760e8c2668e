#!/usr/bin/env bash
# Install what building and testing vmfault needs on Debian bookworm (as root).
# bullseye is added at low priority only for its 5.10 kernels (downloaded, never installed),
# through the same archive (mirror, proxy) as the machine's bookworm source.
set -eu
need="crash qemu-system-x86 makedumpfile binutils-dev libkdumpfile-dev libelf-dev libbpf-dev zlib1g-dev libbz2-dev liblzma-dev liblz4-dev libzstd-dev bzip2 xz-utils lz4 busybox-static kexec-tools cpio zstd jq python3 gcc make clang time groff-base
      build-essential debhelper dpkg-dev fakeroot lintian man-db libdebuginfod-dev debuginfod libarchive-tools parallel procps curl"
missing=""
for p in $need; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"; done
# the bullseye source goes through the archive of the machine's own bookworm source (tests/apt-sources.sh)
. "$(dirname "$0")/apt-sources.sh"
updated=1
if ! apt_has_bullseye / || [ ! -e /etc/apt/preferences.d/bullseye-low ]; then
	[ "$(id -u)" = 0 ] || { echo "setup-deps: need root to add the bullseye suite"; exit 1; }
	apt_add_bullseye / && updated=0
fi
if [ -n "$missing" ] || [ "$updated" = 0 ]; then
	[ "$(id -u)" = 0 ] || { echo "setup-deps: need root to install:$missing"; exit 1; }
	apt-get update -q
	[ -z "$missing" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi
echo "setup-deps: ok"
