#!/bin/sh
# Key maps and line drawing in tmux: both shipped key maps (default, vim) load
# from the config file and their keys act (the help names the map; the buy
# key opens the ticket); a user keys.conf is applied on top; a keys.conf with
# an unknown action or key stops krakterm with the file and line, the
# terminal restored; without a UTF-8 locale the boxes are drawn with +-|.
. "$KT_TOP_SRCDIR/tests/tui/lib.sh"
e2e_begin 17

CONF="$XDG_CONFIG_HOME/krakterm/config"
KEYS="$XDG_CONFIG_HOME/krakterm/keys.conf"

start_with() {
	tui_start "$1" "$2"
	tui_wait "PAPER" 10 && tui_wait "BTC/USD" 10
}

# ---- default ----
printf 'keymap = "default";\n' >"$CONF"
ok "default key map: the screen comes up" start_with 120 40
tui_keys '?'
ok "default key map: the help names it" tui_wait "key map 'default'" 3
tui_esc
tui_keys b
ok "default key map: b opens the order ticket as a buy" \
	eval 'tui_wait "Order ticket: BTC/USD" 3 && tui_wait "< buy >" 1'
tui_esc
ok "default key map: Esc closes it" tui_wait_gone "Order ticket" 3
tui_stop

# ---- vim ----
printf 'keymap = "vim";\n' >"$CONF"
ok "vim key map: the screen comes up" start_with 120 40
tui_keys '?'
ok "vim key map: the help names it" tui_wait "key map 'vim'" 3
tui_esc
tui_keys S
ok "vim key map: S opens the order ticket as a sell" \
	eval 'tui_wait "Order ticket: BTC/USD" 3 && tui_wait "< sell >" 1'
tui_esc
tui_wait_gone "Order ticket" 3
tui_keys :
ok "vim key map: ':' opens the instrument switcher" tui_wait "> _" 3
tui_esc
tui_stop

# ---- a user keys.conf on top ----
printf 'keymap = "default";\n' >"$CONF"
printf 'global = ( ["F10", "quit"], ["q", "none"] );\n' >"$KEYS"
start_with 120 40
tui_keys q
sleep 0.3
ok "keys.conf: q unbound (\"none\"), krakterm keeps running" \
	eval '[ ! -e "$E2E_TMP/tui-status" ] && tui_screen | grep -q PAPER'
tui_keys F10
ok "keys.conf: F10 bound to quit (status 0, no sanitizer report)" \
	eval 'tui_exited 10 && [ "$TUI_STATUS" = 0 ] && ! grep -q Sanitizer "$TUI_LOG"'
tui_stop

# ---- broken key maps ----
printf 'global = ( ["q", "quit"],\n  ["z", "no_such_action"] );\n' >"$KEYS"
tui_start 80 24
ok "unknown action: krakterm exits with a failure status" \
	eval 'tui_exited 10 && [ "$TUI_STATUS" != 0 ]'
ok "unknown action: the error names the file, the line and the action" \
	has "$TUI_LOG" "krakterm/keys.conf:2: unknown action 'no_such_action'"
ok "unknown action: the terminal is restored" tui_tty_sane
tui_stop

printf '# my keys\nbook = (\n  ["Hyper-q", "quit"] );\n' >"$KEYS"
tui_start 80 24
ok "unknown key name: file and line named, terminal restored" \
	eval 'tui_exited 10 && [ "$TUI_STATUS" != 0 ] &&
	has "$TUI_LOG" "keys.conf:3: unknown key name '"'"'Hyper-q'"'"'" && tui_tty_sane'
tui_stop
rm -f "$KEYS"

# ---- line drawing ----
# UTF-8 (the harness default): Unicode boxes.
start_with 120 40
ok "UTF-8 locale: boxes drawn with Unicode lines" eval 'tui_screen | grep -q "┌─ Book"'
tui_stop
# No UTF-8 (LANG=C): ASCII only, boxes with + - |.
TUI_ENV="LANG=C LC_ALL=C"
start_with 120 40
ok "LANG=C: boxes drawn with +, - and |" \
	eval 'tui_screen | grep -q "^+- Book -*" && tui_screen | grep -q "^|"'
ok "LANG=C: no byte outside ASCII on the screen" \
	eval '! tui_screen | LC_ALL=C grep -q "[^ -~]"'
tui_stop
e2e_end
