#!/usr/bin/env bash
# What `make deb` runs: build vmfault_<VMF_VERSION>_amd64.deb with debhelper in
# OUT (build/deb), from a copy of the source tree, so that neither the build nor
# dpkg-buildpackage's files (debian/vmfault/, debian/files, ...) land in git.
# The version has one home, VMF_VERSION in the engine's headers: debian/changelog is
# written from it here and is never checked in.
set -eu
cd "$(dirname "$0")/.."
out=${1:-build/deb}
# the engine's header that defines it (src/vmf_writers.h today)
version=$(sed -n 's/^#define VMF_VERSION "\([^"]*\)"$/\1/p' src/*.h)
[ -n "$version" ] && [ "$(wc -l <<<"$version")" = 1 ] ||
	{ echo "make-deb: not one VMF_VERSION in src/*.h: '$version'"; exit 1; }
src=$out/vmfault-$version
rm -rf "$out"
mkdir -p "$src"

# the files git knows (tracked, or new and not ignored) when this is a git tree
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf - | tar -xf - -C "$src"
	rev=$(git describe --always --dirty 2>/dev/null)
	date=$(git log -1 --format=%cD 2>/dev/null)
else
	tar --exclude=./build --exclude-vcs -cf - . | tar -xf - -C "$src"
	rev="a tree outside git"
	date=$(date -R)
fi
maint=$(sed -n 's/^Maintainer: //p' debian/control)
cat >"$src/debian/changelog" <<CHANGELOG
vmfault ($version) unstable; urgency=medium

  * vmfault $version, packaged by make deb from $rev.

 -- $maint  ${date:-$(date -R)}
CHANGELOG

(cd "$src" && dpkg-buildpackage -us -uc) >"$out/build.log" 2>&1 ||
	{ tail -30 "$out/build.log"; echo "make-deb: dpkg-buildpackage failed (log: $out/build.log)"; exit 1; }
deb=$out/vmfault_${version}_amd64.deb
[ -f "$deb" ] || { echo "make-deb: $deb was not built"; exit 1; }
echo "$deb"
