# TUI tests: the real krakterm in tmux (tests/tui/lib.sh), TAP output.
# rest.sh (a signed REST client for the paper exchange) and screen.sh (checks
# over a captured screen) are helpers sourced by the tests, not tests.
TESTS += tests/tui/basic.sh tests/tui/themes.sh tests/tui/keymaps.sh tests/tui/panes.sh \
	tests/tui/trade_spot.sh tests/tui/trade_futures.sh tests/tui/safety.sh tests/tui/deadman.sh \
	tests/tui/resize.sh tests/tui/resize2.sh tests/tui/stale.sh tests/tui/ticket_types.sh \
	tests/tui/order_confirm.sh
EXTRA_DIST += tests/tui/lib.sh tests/tui/basic.sh tests/tui/rest.sh tests/tui/screen.sh \
	tests/tui/themes.sh tests/tui/keymaps.sh tests/tui/panes.sh tests/tui/resize.sh \
	tests/tui/resize2.sh tests/tui/trade_spot.sh tests/tui/trade_futures.sh tests/tui/safety.sh \
	tests/tui/deadman.sh tests/tui/stale.sh tests/tui/ticket_types.sh tests/tui/order_confirm.sh
