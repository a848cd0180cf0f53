# tests/e2e: end-to-end tests of the real binary against the paper exchange; shell
# scripts speaking TAP (run by the .sh log driver with KT_BIN etc. exported).
# The scripts and lib.sh are distributed with the tests/e2e directory (tests/local.mk).
TESTS += tests/e2e/commands.sh tests/e2e/record_replay.sh tests/e2e/paper_flags.sh
EXTRA_DIST += tests/e2e/lib.sh tests/e2e/commands.sh tests/e2e/record_replay.sh \
	tests/e2e/paper_flags.sh
