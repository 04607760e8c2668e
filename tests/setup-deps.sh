#!/usr/bin/env bash
# Install what building and testing vmfault needs on Debian bookworm (as root).
# bullseye is added at low priority only for its 5.10 kernels (downloaded, never installed).
set -eu
need="crash qemu-system-x86 makedumpfile binutils-dev libkdumpfile-dev libelf-dev libbpf-dev busybox-static kexec-tools cpio zstd jq python3 gcc make clang time groff-base"
missing=""
for p in $need; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"; done
if [ ! -f /etc/apt/sources.list.d/bullseye.sources ]; then
	[ "$(id -u)" = 0 ] || { echo "setup-deps: need root to add the bullseye suite"; exit 1; }
	cat > /etc/apt/sources.list.d/bullseye.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bullseye
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	printf 'Package: *\nPin: release n=bullseye\nPin-Priority: 100\n' > /etc/apt/preferences.d/bullseye-low
	updated=0
else
	updated=1
fi
if [ -n "$missing" ] || [ "$updated" = 0 ]; then
	[ "$(id -u)" = 0 ] || { echo "setup-deps: need root to install:$missing"; exit 1; }
	apt-get update -q
	[ -z "$missing" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi
echo "setup-deps: ok"
