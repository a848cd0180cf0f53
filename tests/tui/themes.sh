#!/bin/sh
# Themes and colour depth in tmux: every shipped theme (dark, light, mono)
# loads from the config file and is what the screen is painted with (each
# theme's own PAPER badge colour); NO_COLOR=1 paints with attributes only; a
# 16-colour terminal gets only the 16 ANSI colours, an 8-colour one (TERM=xterm,
# TERM=screen) only the 8 base colours; a broken theme stops krakterm with
# the file and line, and leaves the terminal as it found it.
. "$KT_TOP_SRCDIR/tests/tui/lib.sh"
e2e_begin 23

CONF="$XDG_CONFIG_HOME/krakterm/config"

# sgr: the SGR colour use in the captured screen (with escapes), as words:
# "colour" (any foreground/background colour), "c256" (a colour above 15),
# "bright" (colours 8-15), "reverse", "bold", one per line, each once.
sgr() {
	tui_screen_color | python3 -c '
import re, sys
seen = set()
for m in re.finditer(r"\x1b\[([0-9;]*)m", sys.stdin.read()):
    p = [int(x) if x else 0 for x in m.group(1).split(";")]
    i = 0
    while i < len(p):
        c = p[i]
        if c in (38, 48) and i + 2 < len(p) and p[i + 1] == 5:
            seen.add("colour")
            seen.add("c256" if p[i + 2] >= 16 else "bright" if p[i + 2] >= 8 else "base")
            i += 3
            continue
        if c in (38, 48) and i + 4 < len(p) and p[i + 1] == 2:
            seen.update(("colour", "c256"))
            i += 5
            continue
        if 30 <= c <= 37 or 40 <= c <= 47:
            seen.add("colour")
        if 90 <= c <= 97 or 100 <= c <= 107:
            seen.update(("colour", "bright"))
        if c == 7:
            seen.add("reverse")
        if c == 1:
            seen.add("bold")
        i += 1
print("\n".join(sorted(seen)))'
}
has_sgr() { sgr | grep -qx "$1"; }
no_sgr() {
	if sgr | grep -qx "$1"; then
		diag "the screen uses '$1':"
		tui_screen_color | head -n 3 | od -c | head -n 8 | sed 's/^/#   /'
		return 1
	fi
}
# The PAPER badge's background in 256 colours: ESC[...48;5;N...m just before " PAPER ".
badge_bg() { tui_screen_color | head -n 1 | grep -q "48;5;$1m PAPER \|48;5;$1;[0-9;]*m PAPER "; }

# start_with W H: krakterm on the paper profile, its panes filled in.
start_with() {
	tui_start "$1" "$2"
	tui_wait "PAPER" 10 && tui_wait "BTC/USD" 10 && tui_wait "100,000.00" 10
}

# ---- the shipped themes ----
printf 'theme = "dark";\n' >"$CONF"
ok "dark theme: the screen comes up" start_with 200 60
ok "dark theme: 256 colours are used" has_sgr c256
ok "dark theme: its PAPER badge colour (bg256 45)" badge_bg 45
tui_stop

printf 'theme = "light";\n' >"$CONF"
ok "light theme: the screen comes up" start_with 200 60
ok "light theme: its PAPER badge colour (bg256 31)" badge_bg 31
tui_stop

printf 'theme = "mono";\n' >"$CONF"
ok "mono theme: the screen comes up" start_with 200 60
ok "mono theme: no colour at all" no_sgr colour
ok "mono theme: attributes mark things (reverse badge)" has_sgr reverse
tui_stop

# ---- NO_COLOR ----
printf 'theme = "dark";\n' >"$CONF"
TUI_ENV="NO_COLOR=1"
ok "NO_COLOR=1: the screen comes up" start_with 200 60
ok "NO_COLOR=1: no colour escapes anywhere on the screen" no_sgr colour
ok "NO_COLOR=1: the theme's mono attributes are used" has_sgr reverse
tui_stop

# ---- 16 and 8 colours ----
# No 16-colour terminfo entry ships with Debian's base ncurses: make one (xterm
# with 16 colours, the bright ones as SGR 90-97 / 100-107).
mkdir -p "$E2E_TMP/terminfo"
cat >"$E2E_TMP/kt16.ti" <<'EOT'
kt-16color|xterm with 16 colours for krakterm tests,
	colors#16, pairs#256,
	setab=\E[%?%p1%{8}%<%t4%p1%d%e10%p1%{8}%-%d%;m,
	setaf=\E[%?%p1%{8}%<%t3%p1%d%e9%p1%{8}%-%d%;m,
	use=xterm,
EOT
if tic -o "$E2E_TMP/terminfo" "$E2E_TMP/kt16.ti" 2>"$E2E_TMP/tic.err"; then
	TUI_ENV="TERMINFO='$E2E_TMP/terminfo' TERM=kt-16color"
	ok "16 colours: the screen comes up" start_with 200 60
	ok "16 colours: bright colours are used" has_sgr bright
	ok "16 colours: nothing above colour 15" no_sgr c256
	tui_stop
else
	diag "tic failed: $(cat "$E2E_TMP/tic.err")"
	for i in 1 2 3; do ok "16 colours # SKIP no tic" true; done
fi

TUI_ENV="TERM=xterm"
ok "8 colours (TERM=xterm): the screen comes up" start_with 200 60
ok "8 colours: colours are used" has_sgr colour
ok "8 colours: no bright or 256 colours (bright becomes bold)" eval 'no_sgr bright && no_sgr c256 && has_sgr bold'
tui_stop

TUI_ENV="TERM=screen"
ok "8 colours (TERM=screen): the screen comes up, 8 colours only" \
	eval 'start_with 200 60 && has_sgr colour && no_sgr bright && no_sgr c256'
ok "q quits cleanly (status 0, no sanitizer report)" tui_quit_ok
tui_stop
TUI_ENV=

# ---- a broken theme ----
mkdir -p "$XDG_CONFIG_HOME/krakterm/themes"
cat >"$XDG_CONFIG_HOME/krakterm/themes/broken.conf" <<'EOT'
name = "broken";
slots = {
  bid = { fg = "green"; };
  no_such_slot = { fg = "red"; };
};
EOT
printf 'theme = "broken";\n' >"$CONF"
tui_start 80 24
ok "broken theme: krakterm exits with a failure status" eval 'tui_exited 10 && [ "$TUI_STATUS" != 0 ]'
ok "broken theme: the error names the file, the line and the slot" \
	has "$TUI_LOG" "themes/broken.conf:4: unknown slot 'no_such_slot'"
ok "broken theme: the terminal is restored" tui_tty_sane
tui_stop

printf 'theme = "no-such-theme";\n' >"$CONF"
tui_start 80 24
ok "unknown theme name: a clear error, the terminal restored" \
	eval 'tui_exited 10 && [ "$TUI_STATUS" != 0 ] && has "$TUI_LOG" "theme '"'"'no-such-theme'"'"' not found" && tui_tty_sane'
tui_stop
e2e_end
