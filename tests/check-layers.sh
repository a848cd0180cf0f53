#!/bin/sh
# check-layers: fail when a layer includes a header of a layer above it, or a
# library header outside the layers allowed to use it. Usage: check-layers.sh TOP
top=${1:-.}
cd "$top" || exit 1
fail=0

# allowed <dir> <space-separated project layers it may include>
check_dir() {
	dir=$1; shift
	allowed=" $* "
	[ -d "$dir" ] || return 0
	for f in $(find "$dir" -name '*.[ch]' | sort); do
		grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
		while IFS= read -r line; do
			inc=$(printf '%s' "$line" | sed 's/.*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/')
			case "$inc" in
			*/*) layer=${inc%%/*} ;;
			*) continue ;; # same-directory include
			esac
			case "$allowed" in
			*" $layer "*) ;;
			*) echo "check-layers: $f: includes \"$inc\" (layer '$layer' is not below '$dir')"; echo x >>"$tmp" ;;
			esac
		done
	done
}

# system <header-regex> <dirs allowed to include it...>
check_sys() {
	re=$1; shift
	for f in $(find src ui -name '*.[ch]' | sort); do
		ok=0
		for d in "$@"; do case "$f" in "$d"/*) ok=1 ;; esac; done
		[ $ok = 1 ] && continue
		if grep -n "^[[:space:]]*#[[:space:]]*include[[:space:]]*<$re>" "$f" >/dev/null; then
			echo "check-layers: $f: includes <$re>, which belongs to $*"; echo x >>"$tmp"
		fi
	done
}

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
check_dir src/base base
check_dir src/core base core
check_dir src/net base net
check_dir src/kraken base core net kraken
check_dir src/paper base net paper
check_dir ui base core ui
check_dir src/app base core net kraken paper ui app config.h
check_sys 'n\{0,1\}curses[w]\{0,1\}\.h' ui
check_sys 'jansson\.h' src/kraken src/paper
check_sys 'libwebsockets\.h' src/net
check_sys 'curl/curl\.h' src/net
check_sys 'libconfig\.h' src/app ui
check_sys 'uv\.h' src/net src/kraken src/paper src/app
if [ -s "$tmp" ]; then
	echo "check-layers: FAILED"
	exit 1
fi
echo "check-layers: ok (base <- core <- kraken, base <- net <- kraken/paper, core <- ui <- app)"
