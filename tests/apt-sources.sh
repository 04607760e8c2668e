# tests/apt-sources.sh - sourced by tests/setup-deps.sh and tests/vmcores/generate.sh.
#
# The 5.10 kernels come from bullseye, which a bookworm machine does not list.
# The bullseye source is written with the archive address of the machine's own
# bookworm source, so a machine behind a local mirror or a caching proxy
# (apt-cacher-ng's http://proxy:3142/deb.debian.org/debian) fetches bullseye
# through the same one.  Every function takes the root directory ("/" on the
# machine, a temporary copy in tests/apt-sources-check.sh).

APT_DEFAULT_ARCHIVE=http://deb.debian.org/debian
APT_DEFAULT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# apt_codename ROOT -> the release the machine runs (bookworm when os-release does not say)
apt_codename() {
	local c
	c=$(sed -n 's/^VERSION_CODENAME=//p' "$1/etc/os-release" 2>/dev/null | tr -d '"' | head -1)
	echo "${c:-bookworm}"
}

# apt_deb822_archive SUITE FILE... -> "URI<TAB>SIGNED-BY" of the first enabled
# "Types: deb" stanza listing SUITE itself (not SUITE-updates, not SUITE-security)
apt_deb822_archive() {
	local suite=$1; shift
	awk -v suite="$suite" '
		function flush() {
			if (types ~ /(^| )deb( |$)/ && enabled != "no" && (" " suites " ") ~ (" " suite " ") && uris != "" && !found) {
				split(uris, u, " "); print u[1] "\t" signed; found = 1
			}
			types = uris = suites = signed = last = ""; enabled = "yes"
		}
		BEGIN { enabled = "yes" }
		FNR == 1 && NR > 1 { flush() }
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		/^[ \t]/ {
			$1 = $1
			if (last == "uris") uris = uris " " $0
			else if (last == "suites") suites = suites " " $0
			next
		}
		{
			key = tolower($0); sub(/:.*/, "", key)
			val = $0; sub(/^[^:]*:[ \t]*/, "", val); sub(/[ \t]+$/, "", val)
			last = key
			if (key == "types") types = val
			else if (key == "uris") uris = val
			else if (key == "suites") suites = val
			else if (key == "enabled") enabled = tolower(val)
			else if (key == "signed-by") signed = val
		}
		END { flush() }
	' "$@" 2>/dev/null | head -1
}

# apt_oneline_archive SUITE FILE... -> "URI<TAB>SIGNED-BY" of the first
# "deb [options] URI SUITE components" line for SUITE itself
apt_oneline_archive() {
	local suite=$1; shift
	awk -v suite="$suite" '
		/^[ \t]*deb[ \t]/ {
			line = $0; sub(/#.*/, "", line); signed = ""
			if (match(line, /\[[^]]*\]/)) {
				opts = substr(line, RSTART + 1, RLENGTH - 2)
				line = substr(line, 1, RSTART - 1) substr(line, RSTART + RLENGTH)
				n = split(opts, o, /[ \t]+/)
				for (i = 1; i <= n; i++) if (o[i] ~ /^signed-by=/) { signed = o[i]; sub(/^signed-by=/, "", signed) }
			}
			n = split(line, f, /[ \t]+/)
			if (f[1] == "") { for (i = 1; i < n; i++) f[i] = f[i + 1]; n-- }
			if (n >= 3 && f[3] == suite) { print f[2] "\t" signed; exit }
		}
	' "$@" 2>/dev/null | head -1
}

# apt_archive ROOT -> "URI<TAB>SIGNED-BY" of ROOT's source for its own release,
# deb822 files first (bookworm's default), then the one-line lists
apt_archive() {
	local root=$1 suite found="" files=()
	suite=$(apt_codename "$root")
	shopt -s nullglob
	files=("$root"/etc/apt/sources.list.d/*.sources)
	[ ${#files[@]} -gt 0 ] && found=$(apt_deb822_archive "$suite" "${files[@]}")
	if [ -z "$found" ]; then
		files=("$root"/etc/apt/sources.list.d/*.list)
		[ -f "$root/etc/apt/sources.list" ] && files=("$root/etc/apt/sources.list" "${files[@]}")
		[ ${#files[@]} -gt 0 ] && found=$(apt_oneline_archive "$suite" "${files[@]}")
	fi
	shopt -u nullglob
	echo "$found"
}

# apt_has_bullseye ROOT: a source already lists the bullseye suite (setup-deps or the factory wrote it)
apt_has_bullseye() {
	[ -f "$1/etc/apt/sources.list.d/bullseye.sources" ] && return 0
	grep -Eqs '^[^#]*[ \t]bullseye([ \t]|$)' \
		"$1/etc/apt/sources.list" "$1"/etc/apt/sources.list.d/*.list "$1"/etc/apt/sources.list.d/*.sources
}

# apt_add_bullseye ROOT: write the bullseye source (through the machine's own
# archive) and its low pin. Prints what it did; status 0 if it changed something,
# 1 if both were already there.
apt_add_bullseye() {
	local root=$1 changed=1 archive uri signed
	if ! apt_has_bullseye "$root"; then
		archive=$(apt_archive "$root")
		uri=${archive%%$'\t'*}
		signed=${archive#*$'\t'}
		# a path names a keyring bullseye is signed with too; an inline key block is not copied
		[[ $signed == /* && $signed != *' '* ]] || signed=$APT_DEFAULT_KEYRING
		if [ -z "$uri" ]; then
			uri=$APT_DEFAULT_ARCHIVE
			echo "apt-sources: no $(apt_codename "$root") source in $root/etc/apt: bullseye from $uri"
		else
			echo "apt-sources: bullseye from $uri, the $(apt_codename "$root") source's archive"
		fi
		mkdir -p "$root/etc/apt/sources.list.d"
		printf 'Types: deb\nURIs: %s\nSuites: bullseye\nComponents: main\nSigned-By: %s\n' "$uri" "$signed" \
			>"$root/etc/apt/sources.list.d/bullseye.sources"
		changed=0
	fi
	if [ ! -e "$root/etc/apt/preferences.d/bullseye-low" ]; then
		mkdir -p "$root/etc/apt/preferences.d"
		printf 'Package: *\nPin: release n=bullseye\nPin-Priority: 100\n' >"$root/etc/apt/preferences.d/bullseye-low"
		changed=0
	fi
	return $changed
}
