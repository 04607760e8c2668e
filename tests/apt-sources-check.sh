#!/usr/bin/env bash
# tests/apt-sources.sh on copies of apt configurations in temporary roots: the
# bullseye source takes the archive (and keyring) of the machine's own release
# source, deb822 or one-line, and a second run changes nothing.  This machine's
# /etc/apt is only read (one case copies it), never written.
set -u
cd "$(dirname "$0")/.."
. tests/apt-sources.sh
pass=0; fail=0
ok() { if [ "$1" = "$2" ]; then pass=$((pass+1)); echo "PASS: $3"; else fail=$((fail+1)); echo "FAIL: $3: got '$1', expected '$2'"; fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# newroot NAME [CODENAME]: an empty root with an os-release
newroot() {
	local r=$tmp/$1
	mkdir -p "$r/etc/apt/sources.list.d" "$r/etc/apt/preferences.d"
	printf 'PRETTY_NAME="Debian GNU/Linux"\nVERSION_CODENAME=%s\nID=debian\n' "${2:-bookworm}" >"$r/etc/os-release"
	echo "$r"
}
# bullseye_field ROOT FIELD: a field of the bullseye source written
bullseye_field() { sed -n "s/^$2: //p" "$1/etc/apt/sources.list.d/bullseye.sources" 2>/dev/null; }

# 1. bookworm's default deb822 layout behind a local mirror; security from elsewhere
r=$(newroot deb822-mirror)
cat >"$r/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
# the snapshot this machine was built from
URIs: http://mirror.lan/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://security.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt_add_bullseye "$r" >/dev/null; ok $? 0 "deb822: the bullseye source is written (status 0: changed)"
ok "$(bullseye_field "$r" URIs)" http://mirror.lan/debian "deb822: bullseye through the bookworm stanza's mirror"
ok "$(bullseye_field "$r" Suites)" bullseye "deb822: the suite is bullseye"
ok "$(bullseye_field "$r" Signed-By)" /usr/share/keyrings/debian-archive-keyring.gpg "deb822: the bookworm stanza's keyring"
ok "$(cat "$r/etc/apt/preferences.d/bullseye-low")" "$(printf 'Package: *\nPin: release n=bullseye\nPin-Priority: 100')" \
	"bullseye is pinned low (100)"
cp "$r/etc/apt/sources.list.d/bullseye.sources" "$tmp/first"
apt_add_bullseye "$r" >/dev/null; ok $? 1 "a second run changes nothing (status 1)"
cmp -s "$tmp/first" "$r/etc/apt/sources.list.d/bullseye.sources"; ok $? 0 "a second run leaves the source as it was"

# 2. a disabled stanza and -updates/-security stanzas before the one that counts; a continued URIs field
r=$(newroot deb822-enabled)
cat >"$r/etc/apt/sources.list.d/a.sources" <<'EOF'
Types: deb-src
URIs: http://src.example/debian
Suites: bookworm
Components: main

Types: deb
URIs: http://old.example/debian
Suites: bookworm
Components: main
Enabled: no
EOF
cat >"$r/etc/apt/sources.list.d/b.sources" <<'EOF'
Types: deb
URIs: http://updates.example/debian
Suites: bookworm-updates
Components: main

Types: deb deb-src
URIs:
 http://proxy.lan:3142/deb.debian.org/debian
 http://second.example/debian
Suites: bookworm
Components: main contrib
Signed-By: /etc/apt/keyrings/lan.gpg
EOF
ok "$(apt_archive "$r")" "$(printf 'http://proxy.lan:3142/deb.debian.org/debian\t/etc/apt/keyrings/lan.gpg')" \
	"deb822: not deb-src, not Enabled: no, not bookworm-updates; the first of a continued URIs"

# 3. the one-line format, options in brackets, the security line first
r=$(newroot oneline)
cat >"$r/etc/apt/sources.list" <<'EOF'
# deb http://commented.example/debian bookworm main
deb http://security.debian.org/debian-security bookworm-security main
deb-src http://src.example/debian bookworm main
deb [arch=amd64 signed-by=/etc/apt/keyrings/mirror.gpg] http://mirror.example/debian bookworm main  # mirror
EOF
apt_add_bullseye "$r" >/dev/null
ok "$(bullseye_field "$r" URIs)" http://mirror.example/debian "one-line: bullseye through the bookworm line's mirror"
ok "$(bullseye_field "$r" Signed-By)" /etc/apt/keyrings/mirror.gpg "one-line: the keyring of signed-by="

# 4. a one-line list in sources.list.d without options: the default keyring
r=$(newroot oneline-d)
echo "deb http://apt-cacher.lan:3142/debian bookworm main" >"$r/etc/apt/sources.list.d/lan.list"
apt_add_bullseye "$r" >/dev/null
ok "$(bullseye_field "$r" URIs)" http://apt-cacher.lan:3142/debian "one-line in sources.list.d: its archive"
ok "$(bullseye_field "$r" Signed-By)" /usr/share/keyrings/debian-archive-keyring.gpg "no signed-by: Debian's archive keyring"

# 5. an inline key block is not copied
r=$(newroot inline-key)
cat >"$r/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://inline.example/debian
Suites: bookworm
Components: main
Signed-By:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 mQINBF...
 -----END PGP PUBLIC KEY BLOCK-----
EOF
apt_add_bullseye "$r" >/dev/null
ok "$(bullseye_field "$r" URIs)" http://inline.example/debian "deb822 with an inline key: its archive"
ok "$(bullseye_field "$r" Signed-By)" /usr/share/keyrings/debian-archive-keyring.gpg "an inline key block is not copied"

# 6. no source for the release: Debian's archive, and it says so
r=$(newroot none)
echo "deb http://other.example/debian bullseye-backports main" >"$r/etc/apt/sources.list"
msg=$(apt_add_bullseye "$r")
ok "$(bullseye_field "$r" URIs)" http://deb.debian.org/debian "no bookworm source: deb.debian.org"
grep -q "no bookworm source in $r/etc/apt" <<<"$msg"; ok $? 0 "no bookworm source: the message says so ($msg)"

# 7. bullseye already listed (one-line): no second source, only the missing pin
r=$(newroot has-bullseye)
printf 'deb http://mirror.lan/debian bookworm main\ndeb http://mirror.lan/debian bullseye main\n' >"$r/etc/apt/sources.list"
apt_add_bullseye "$r" >/dev/null; ok $? 0 "bullseye listed, pin missing: the pin is written (status 0)"
[ -e "$r/etc/apt/sources.list.d/bullseye.sources" ]; ok $? 1 "bullseye listed: no bullseye.sources added"
apt_add_bullseye "$r" >/dev/null; ok $? 1 "bullseye listed and pinned: nothing to do (status 1)"

# 8. the release comes from os-release
r=$(newroot trixie trixie)
printf 'Types: deb\nURIs: http://b.example/debian\nSuites: bookworm\n\nTypes: deb\nURIs: http://t.example/debian\nSuites: trixie\n' \
	>"$r/etc/apt/sources.list.d/debian.sources"
ok "$(apt_archive "$r" | cut -f1)" http://t.example/debian "the source of os-release's VERSION_CODENAME (trixie)"

# 9. a copy of this machine's own configuration gives the archive its release source names
r=$(newroot machine "$(apt_codename /)")
cp -r /etc/apt/sources.list.d/. "$r/etc/apt/sources.list.d/" 2>/dev/null
cp /etc/apt/sources.list "$r/etc/apt/" 2>/dev/null
rm -f "$r/etc/apt/sources.list.d/bullseye.sources"
want=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -1 | awk '{ print ($1 == "deb" && $2 ~ /^\[/) ? "" : $2 }')
got=$(apt_archive "$r" | cut -f1)
[ -n "$got" ] && grep -rqsF "$got" /etc/apt/sources.list /etc/apt/sources.list.d/; ok $? 0 \
	"this machine's copy: $got, an archive its own sources name (first listed: $want)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
