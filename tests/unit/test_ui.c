/* test_ui: the UI draws live state into a headless screen at 80x24 and 200x60,
 * switches layouts, instruments and panes by key, loads every shipped theme and
 * refuses broken key maps and themes with file and line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/state.h"
#include "ui/keymap.h"
#include "ui/term.h"
#include "ui/theme.h"
#include "ui/ui.h"
#include "ui/ui_int.h"
#include "tests/unit/unit.h"

static dec_t D(const char *s)
{
	dec_t d;
	assert_int_equal(dec_parse(s, (size_t)-1, &d, NULL), 0);
	return d;
}

static void add(struct state *st, const char *id, enum product p, enum instr_kind k, int pdp, int qdp)
{
	struct instrument in;
	memset(&in, 0, sizeof in);
	snprintf(in.id, sizeof in.id, "%s", id);
	in.product = p;
	in.kind = k;
	in.price_dp = (uint8_t)pdp;
	in.qty_dp = (uint8_t)qdp;
	in.tick = dec_make(1, (unsigned)pdp);
	in.lot = dec_make(1, (unsigned)qdp);
	strcpy(in.base, "BTC");
	strcpy(in.quote, "USD");
	in.tradeable = true;
	int i = state_add_instrument(st, &in);
	struct market *m = state_market(st, i);
	for (int l = 0; l < 30; l++) {
		book_set(&m->book, SIDE_BUY, 600000 - 10 * l, 150000000 + l);
		book_set(&m->book, SIDE_SELL, 600010 + 10 * l, 250000000 + l);
	}
	m->ticker.has = TK_LAST | TK_BBO | TK_CHANGE | TK_VOLUME;
	m->ticker.last = D("60000.5");
	m->ticker.change_pct = D("1.25");
	m->ticker.volume = D("1234.5");
}

static void setup_state(struct state *st)
{
	state_init(st);
	add(st, "BTC/USD", PRODUCT_SPOT, IK_SPOT, 1, 8);
	add(st, "PF_XBTUSD", PRODUCT_FUTURES, IK_PERP_LINEAR, 1, 4);
	state_changed(st, EV_INSTRUMENTS, -1);
}

static struct ui *make_ui(struct state *st, int w, int h)
{
	char km[4096];
	snprintf(km, sizeof km, "%s", kt_fixture_path("ui/nav.conf"));
	struct ui_opts o;
	memset(&o, 0, sizeof o);
	o.profile = "paper";
	o.headless = true;
	o.width = w;
	o.height = h;
	o.keymap = km;
	o.theme = "dark";
	static char data[4096];
	snprintf(data, sizeof data, "%s", getenv("KT_TOP_SRCDIR") ? getenv("KT_TOP_SRCDIR") : KT_SRCDIR);
	o.data_dir = data;
	o.config_dir = "/nonexistent";
	struct ui *ui = NULL;
	struct kerr err = KERR_INIT;
	if (ui_new(&ui, st, &o, &err) < 0)
		fail_msg("ui_new: %s", err.msg);
	return ui;
}

static bool screen_has(struct ui *ui, int h, const char *needle)
{
	for (int y = 0; y < h; y++)
		if (strstr(ui_screen_row(ui, y), needle))
			return true;
	return false;
}

static void compact_80x24(void **state)
{
	struct state st;
	setup_state(&st);
	struct ui *ui = make_ui(&st, 80, 24);
	ui_render(ui, 1000);
	assert_true(screen_has(ui, 24, "PAPER"));
	assert_true(screen_has(ui, 24, "1 Book"));     /* tab bar: compact layout */
	assert_true(screen_has(ui, 24, "60,000.0"));   /* best bid in the ladder */
	assert_true(screen_has(ui, 24, "60,001.0"));   /* best ask */
	assert_true(screen_has(ui, 24, "spread 1.0")); /* spread line */
	ui_key(ui, "2", "2", 1100);                     /* the watchlist tab */
	ui_render(ui, 1200);
	assert_true(screen_has(ui, 24, "+1.25%"));
	assert_true(screen_has(ui, 24, "PF_XBTUSD"));
	ui_free(ui);
	state_free(&st);
}

static void wide_200x60_and_resize(void **state)
{
	struct state st;
	setup_state(&st);
	struct ui *ui = make_ui(&st, 200, 60);
	ui_render(ui, 1000);
	assert_false(screen_has(ui, 60, "1 Book")); /* no tabs in the wide layout */
	assert_true(screen_has(ui, 60, "Watchlist"));
	assert_true(screen_has(ui, 60, "Funding"));
	assert_true(screen_has(ui, 60, "Futures wallet"));
	ui_resize(ui, 80, 24);
	ui_render(ui, 1100);
	assert_true(screen_has(ui, 24, "1 Book"));
	ui_resize(ui, 200, 60);
	ui_key(ui, "L", "L", 1200); /* force compact on a large screen */
	ui_render(ui, 1300);
	assert_true(screen_has(ui, 60, "1 Book"));
	ui_free(ui);
	state_free(&st);
}

static void switcher_fuzzy(void **state)
{
	struct state st;
	setup_state(&st);
	struct ui *ui = make_ui(&st, 80, 24);
	ui_render(ui, 1000);
	assert_true(screen_has(ui, 24, "BTC/USD"));
	ui_key(ui, "/", "/", 1000);
	ui_key(ui, "x", "x", 1000);
	ui_key(ui, "b", "b", 1000);
	ui_key(ui, "t", "t", 1000);
	ui_render(ui, 1000);
	assert_true(screen_has(ui, 24, "> xbt_"));
	ui_key(ui, "Enter", "", 1000);
	ui_render(ui, 1000);
	assert_true(screen_has(ui, 24, "PF_XBTUSD  depth"));
	assert_true(fuzzy_score("btcu", "BTC/USD") > fuzzy_score("btcu", "PF_XBTUSD"));
	assert_true(fuzzy_score("zzz", "BTC/USD") < 0);
	ui_free(ui);
	state_free(&st);
}

static void help_overlay_lists_bindings(void **state)
{
	struct state st;
	setup_state(&st);
	struct ui *ui = make_ui(&st, 120, 40);
	ui_key(ui, "?", "?", 1000);
	ui_render(ui, 1000);
	assert_true(screen_has(ui, 40, "switch_instrument"));
	assert_true(screen_has(ui, 40, "choose an instrument"));
	ui_key(ui, "x", "x", 1000); /* any other key closes */
	ui_render(ui, 1000);
	assert_false(screen_has(ui, 40, "choose an instrument"));
	ui_free(ui);
	state_free(&st);
}

static void price_alert_fires(void **state)
{
	struct state st;
	setup_state(&st);
	struct ui *ui = make_ui(&st, 80, 24);
	ui_key(ui, "!", "!", 1000);
	const char *v = "60100";
	for (const char *p = v; *p; p++) {
		char k[2] = {*p, 0};
		ui_key(ui, k, k, 1000);
	}
	ui_key(ui, "Enter", "", 1000);
	ui_render(ui, 1000);
	assert_true(screen_has(ui, 24, "alert: BTC/USD >= 60100"));
	struct market *m = state_market(&st, 0);
	m->ticker.last = D("60100.0");
	state_changed(&st, EV_TICKER, 0);
	ui_render(ui, 1000);
	assert_true(screen_has(ui, 24, "ALERT BTC/USD: price reached 60100"));
	ui_free(ui);
	state_free(&st);
}

static bool known(const char *a) { return action_known(a); }

static void broken_files_name_file_and_line(void **state)
{
	struct keymap km;
	memset(&km, 0, sizeof km);
	struct kerr err = KERR_INIT;
	assert_int_equal(keymap_load_file(&km, kt_fixture_path("ui/broken_keymap.conf"), known, &err), -1);
	assert_non_null(strstr(err.msg, "broken_keymap.conf:3: unknown action 'launch_rockets'"));
	keymap_free(&km);
	struct term *t;
	struct term_opts to = {.headless = true, .width = 80, .height = 24};
	assert_int_equal(term_open(&t, &to, NULL), 0);
	struct theme th;
	assert_int_equal(theme_load(&th, t, kt_fixture_path("ui/broken_theme.conf"), NULL, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "broken_theme.conf:4: ask.fg: unknown colour 'purplish'"));
	term_close(t);
}

static void shipped_themes_load_at_every_depth(void **state)
{
	static const char *const themes[] = {"dark", "light", "mono"};
	static const int depths[] = {256, 16, 8};
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/themes", getenv("KT_TOP_SRCDIR") ? getenv("KT_TOP_SRCDIR") : KT_SRCDIR);
	for (int d = 0; d < 4; d++) {
		for (int i = 0; i < 3; i++) {
			struct term *t;
			struct term_opts to = {.headless = true, .width = 80, .height = 24,
					       .no_color = d == 3, .max_depth = d < 3 ? depths[d] : 0};
			assert_int_equal(term_open(&t, &to, NULL), 0);
			struct theme th;
			struct kerr err = KERR_INIT;
			if (theme_load(&th, t, themes[i], NULL, dir, &err) < 0)
				fail_msg("%s: %s", themes[i], err.msg);
			term_close(t);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compact_80x24),
		cmocka_unit_test(wide_200x60_and_resize),
		cmocka_unit_test(switcher_fuzzy),
		cmocka_unit_test(help_overlay_lists_bindings),
		cmocka_unit_test(price_alert_fires),
		cmocka_unit_test(broken_files_name_file_and_line),
		cmocka_unit_test(shipped_themes_load_at_every_depth),
	};
	return kt_run_tests(tests);
}
