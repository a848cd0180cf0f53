# TUI tests: the real krakterm in tmux (tests/tui/lib.sh), TAP output.
TESTS += tests/tui/basic.sh
EXTRA_DIST += tests/tui/lib.sh tests/tui/basic.sh
