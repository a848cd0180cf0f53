#!/bin/sh
# docs-commands.sh: the man page keeps up with the command line. Every command
# listed by `krakterm --help` has an entry in docs/krakterm.1, and every option
# in a command's usage line (what it prints when given an unknown option) is
# described there too, as are the global options; and `krakterm CMD --help`
# prints that usage on standard output and exits 0. TAP.
set -u
man="$KT_TOP_SRCDIR/docs/krakterm.1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp" XDG_CONFIG_HOME="$tmp/c" XDG_STATE_HOME="$tmp/s" XDG_DATA_HOME="$tmp/d"

n=0
fails=0
ok() { # ok DESCRIPTION STATUS
	n=$((n + 1))
	if [ "$2" = 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi
}
# in_man WORD: the word as groff writes it (hyphens escaped) is in the man page
in_man() {
	esc=$(printf '%s' "$1" | sed 's/-/\\\\-/g')
	grep -q -- "$esc" "$man"
}

"$KT_BIN" --help >"$tmp/help" 2>&1
cmds=$(sed -n '/^commands:/,/^$/p' "$tmp/help" | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$cmds" ]
ok "krakterm --help lists commands" $?
for c in $cmds; do
	grep -q -E "^\.B(I)? \"?$(printf '%s' "$c" | sed 's/-/\\\\-/g')( |\"|$)" "$man"
	ok "man page: command $c has an entry" $?
	"$KT_BIN" "$c" --help >"$tmp/help-out" 2>"$tmp/help-err" </dev/null
	rc=$?
	[ $rc = 0 ] && grep -q "^usage: krakterm $c" "$tmp/help-out" && [ ! -s "$tmp/help-err" ]
	ok "krakterm $c --help: usage on stdout, exit 0" $?
	"$KT_BIN" "$c" --no-such-option >"$tmp/out" 2>&1 </dev/null
	for o in $(grep -o -E -- '--[a-z][a-z-]*' "$tmp/out" | sort -u); do
		[ "$o" = --no-such-option ] && continue
		in_man "$o"
		ok "man page: $c $o" $?
	done
done
for o in $(sed -n '/^options:/,/^$/p' "$tmp/help" | grep -o -E -- '--[a-z][a-z-]*' | sort -u); do
	in_man "$o"
	ok "man page: global option $o" $?
done
echo "1..$n"
[ $fails = 0 ]
