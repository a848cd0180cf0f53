#!/bin/sh
# fuzz-smoke: a bounded libFuzzer run of every fuzz target (fuzzing builds only:
# ./configure CC=clang --enable-fuzzing). Each target starts from its seed corpus
# (asked from the target itself: KT_FUZZ_PRINT_SEEDS=1) and runs for
# $KT_FUZZ_SECONDS (default 5) with a 2 GiB RSS limit. One TAP line per target.
#
# Proves: in that time libFuzzer found no crash, sanitizer report, leak, hang
# (-timeout) or memory blow-up in any target. A failure keeps the reproducer in
# $KT_TOP_BUILDDIR/tests/fuzz/crashes/ (replay it: tests/fuzz/fuzz_X FILE, or under
# gcc/valgrind with the replay build of the same target). Long campaigns:
# docs/testing.md.
set -u
: "${KT_TOP_BUILDDIR:?run through make check}"
secs=${KT_FUZZ_SECONDS:-5}
dir="$KT_TOP_BUILDDIR/tests/fuzz"
work=$(mktemp -d "${TMPDIR:-/tmp}/kt-fuzz-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
export TMPDIR="$work"
# libFuzzer reports leaks itself; keep ASan's other defaults from the harness.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=1"

targets=""
for t in "$dir"/fuzz_*; do
	case "$t" in *.o | *.c | *.h) continue ;; esac
	[ -x "$t" ] && targets="$targets $t"
done
n=$(echo $targets | wc -w)
echo "1..$n"
i=0
failed=0
for t in $targets; do
	i=$((i + 1))
	name=$(basename "$t")
	seeds=$(KT_FUZZ_PRINT_SEEDS=1 "$t" 2>/dev/null)
	mkdir -p "$work/$name"
	log="$work/$name.log"
	# shellcheck disable=SC2086 # the seed list is one directory per word
	if "$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$work/$name-" "$work/$name" $seeds \
		>"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "ok $i - $name: ${runs:-?} inputs in ${secs}s, no crash"
	else
		failed=1
		echo "not ok $i - $name: libFuzzer found a problem"
		grep -E 'ERROR|SUMMARY|panic|Test unit written|leak' "$log" | head -20 | sed 's/^/# /'
		mkdir -p "$dir/crashes"
		for a in "$work/$name"-*; do
			[ -e "$a" ] && cp "$a" "$dir/crashes/" && echo "# kept $dir/crashes/$(basename "$a")"
		done
		tail -40 "$log" | sed 's/^/# /'
	fi
done
exit $failed
