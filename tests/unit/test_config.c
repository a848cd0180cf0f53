/* test_config: the config file is read against the schema — defaults, the full
 * documented example, errors with file:line, unknown settings reported (not
 * ignored), permissions on files holding a secret, profile selection, and the
 * XDG directories. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/cfg.h"
#include "app/paths.h"
#include "app/profile.h"
#include "tests/unit/unit.h"

static char tmp[256];

static int setup(void **state)
{
	snprintf(tmp, sizeof tmp, "%s/kt-config-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(tmp));
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* Write text to tmp/name with the given mode; returns the (static) path. */
static const char *write_file(const char *name, const char *text, mode_t mode)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s", tmp, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/* Load text as a config and expect an error containing `want` (after "FILE:"). */
static void expect_error(const char *text, const char *want)
{
	const char *path = write_file("bad.conf", text, 0600);
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	assert_int_equal(cfg_load(&cfg, path, true, &err), -1);
	char full[1024];
	snprintf(full, sizeof full, "%s:%s", path, want);
	if (!strstr(err.msg, full))
		fail_msg("got '%s', want '%s'", err.msg, full);
	cfg_free(&cfg);
}

static void missing_default_file_gives_defaults(void **state)
{
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	char path[512];
	snprintf(path, sizeof path, "%s/nope/config", tmp);
	assert_int_equal(cfg_load(&cfg, path, false, &err), 0);
	assert_null(cfg.path);
	assert_string_equal(cfg.default_profile, "paper");
	assert_int_equal(cfg.log_level, 2); /* info */
	assert_int_equal(cfg.log_max_bytes, 5000000);
	assert_int_equal(cfg.log_keep, 3);
	assert_string_equal(cfg.keymap, "default");
	assert_string_equal(cfg.theme, "dark");
	assert_int_equal(cfg.nprofiles, 0);
	assert_int_equal(cfg.nnotices, 0);
	cfg_free(&cfg);
}

static void missing_explicit_file_is_an_error(void **state)
{
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	char path[512];
	snprintf(path, sizeof path, "%s/absent.conf", tmp);
	assert_int_equal(cfg_load(&cfg, path, true, &err), -1);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "No such file"));
	cfg_free(&cfg);
}

static void profile_defaults_are_krakens_real_endpoints(void **state)
{
	struct cfg_profile p;
	cfg_profile_init(&p, "live");
	assert_false(p.paper.on);
	assert_string_equal(p.spot.rest_url, "https://api.kraken.com");
	assert_string_equal(p.spot.ws_url, "wss://ws.kraken.com/v2");
	assert_string_equal(p.spot.ws_auth_url, "wss://ws-auth.kraken.com/v2");
	assert_string_equal(p.futures.rest_url, "https://futures.kraken.com");
	assert_string_equal(p.futures.ws_url, "wss://futures.kraken.com/ws/v1");
	assert_null(p.futures.ws_auth_url);
	assert_null(p.spot.key);
	assert_null(p.ca_file);
	assert_int_equal(p.tier, CFG_TIER_STARTER);
	assert_true(p.safety.confirm);
	assert_int_equal(p.safety.arm_idle_timeout_s, 900);
	assert_true(dec_eq(p.safety.max_order_notional, dec_from_int(25000)));
	assert_true(dec_eq(p.safety.max_price_distance_pct, dec_from_int(5)));
	assert_int_equal(p.safety.max_leverage, 10);
	assert_int_equal(p.safety.dead_man_switch_s, 60);
	assert_true(p.safety.journal);
	assert_int_equal(p.paper.seed, 0);
	assert_true(dec_eq(p.paper.balance, dec_from_int(100000)));
	cfg_profile_free(&p);
	cfg_profile_init(&p, "paper");
	assert_true(p.paper.on);
	cfg_profile_free(&p);
}

static void minimal_file(void **state)
{
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	assert_int_equal(cfg_load(&cfg, kt_fixture_path("config/minimal.conf"), true, &err), 0);
	assert_string_equal(cfg.default_profile, "live");
	assert_int_equal(cfg.nprofiles, 1);
	const struct cfg_profile *live = cfg_profile_find(&cfg, "live");
	assert_non_null(live);
	assert_int_equal(live->tier, CFG_TIER_PRO);
	assert_int_equal(live->line, 3);
	assert_string_equal(live->spot.rest_url, "https://api.kraken.com");
	assert_int_equal(cfg.nnotices, 0);
	cfg_free(&cfg);
}

static char *read_doc(const char *name)
{
	char path[1024];
	const char *top = getenv("KT_TOP_SRCDIR");
	snprintf(path, sizeof path, "%s/docs/%s", top ? top : KT_SRCDIR, name);
	FILE *fp = fopen(path, "r");
	if (!fp)
		fail_msg("cannot read %s", path);
	static char buf[2][65536];
	char *b = buf[strcmp(name, "config.md") == 0];
	size_t n = fread(b, 1, sizeof buf[0] - 1, fp);
	b[n] = '\0';
	fclose(fp);
	return b;
}

static const char *example_path(void)
{
	static char path[1024];
	const char *top = getenv("KT_TOP_SRCDIR");
	snprintf(path, sizeof path, "%s/docs/config.example", top ? top : KT_SRCDIR);
	return path;
}

/* The documented example is a valid file and means what the doc says. */
static void documented_example_loads(void **state)
{
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	if (cfg_load(&cfg, example_path(), true, &err) < 0)
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < cfg.nnotices; i++)
		print_error("notice: %s\n", cfg.notices[i].text);
	assert_int_equal(cfg.nnotices, 0);
	assert_int_equal(cfg.nprofiles, 3);
	const struct cfg_profile *live = cfg_profile_find(&cfg, "live");
	assert_false(live->paper.on);
	assert_int_equal(live->tier, CFG_TIER_INTERMEDIATE);
	assert_string_equal(live->spot.key_env, "MY_KRAKEN_SPOT_KEY");
	assert_string_equal(live->futures.secret_cmd, "pass show kraken/futures-secret");
	assert_null(live->ca_file);
	const struct cfg_profile *paper = cfg_profile_find(&cfg, "paper");
	assert_true(paper->paper.on);
	assert_false(paper->safety.confirm);
	const struct cfg_profile *practice = cfg_profile_find(&cfg, "practice");
	assert_true(practice->paper.on);
	assert_int_equal(practice->paper.seed, 42);
	assert_true(dec_eq(practice->paper.balance, dec_from_int(250000)));
	assert_true(dec_is_zero(practice->safety.max_order_notional));
	assert_non_null(practice->paper.state_file);
	assert_int_equal(practice->paper.state_file[0], '/'); /* "~/" expanded */
	cfg_free(&cfg);
}

/* docs/config.md shows docs/config.example verbatim and documents every setting. */
static void docs_cover_the_schema(void **state)
{
	char *example = read_doc("config.example");
	char *md = read_doc("config.md");
	assert_non_null(strstr(md, example));
	size_t n;
	const struct cfg_setting *s = cfg_schema(&n);
	for (size_t i = 0; i < n; i++) {
		const char *leaf = strrchr(s[i].path, '.');
		leaf = leaf ? leaf + 1 : s[i].path;
		if (strcmp(leaf, "*") == 0)
			continue;
		char tick[80];
		snprintf(tick, sizeof tick, "`%s`", leaf);
		if (!strstr(md, tick))
			fail_msg("docs/config.md does not document %s", s[i].path);
		if (!strstr(example, leaf))
			fail_msg("docs/config.example does not show %s", s[i].path);
	}
}

static void syntax_error_names_file_and_line(void **state)
{
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	const char *path = kt_fixture_path("config/syntax_error.conf");
	char want[1024];
	snprintf(want, sizeof want, "%s:3: syntax error", path);
	assert_int_equal(cfg_load(&cfg, path, true, &err), -1);
	assert_string_equal(err.msg, want);
	cfg_free(&cfg);
}

static void wrong_type_names_file_and_line(void **state)
{
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	const char *path = kt_fixture_path("config/wrong_type.conf");
	char want[1024];
	snprintf(want, sizeof want,
		 "%s:5: 'profiles.live.max_leverage' must be an integer, not a string", path);
	assert_int_equal(cfg_load(&cfg, path, true, &err), -1);
	assert_string_equal(err.msg, want);
	cfg_free(&cfg);
	path = kt_fixture_path("config/wrong_group.conf");
	snprintf(want, sizeof want,
		 "%s:6: 'profiles.live.spot' must be a group { ... }, not a string", path);
	assert_int_equal(cfg_load(&cfg, path, true, &err), -1);
	assert_string_equal(err.msg, want);
	cfg_free(&cfg);
}

static void bad_values_name_file_and_line(void **state)
{
	expect_error("log_level = 3;\n", "1: 'log_level' must be a string, not an integer");
	expect_error("\nlog_level = \"loud\";\n",
		     "2: 'log_level' must be one of error, warn, info, debug, trace");
	expect_error("profiles: { a: { tier = \"gold\"; }; };",
		     "1: 'profiles.a.tier' must be one of starter, intermediate, pro");
	expect_error("profiles: { a: {\n arm_idle_timeout = \"soon\"; }; };",
		     "2: 'profiles.a.arm_idle_timeout' must be a duration");
	expect_error("profiles: { a: { spot: { rest_url = \"http://api.kraken.com\"; }; }; };",
		     "1: 'profiles.a.spot.rest_url' is not encrypted");
	expect_error("profiles: { a: { futures: { ws_url = \"https://x\"; }; }; };",
		     "1: 'profiles.a.futures.ws_url' must start with wss://");
	expect_error("profiles: { a: { futures: { ws_url = \"wss://\"; }; }; };",
		     "1: 'profiles.a.futures.ws_url' has no host name");
	expect_error("profiles: { a: { max_order_notional = 2.5; }; };",
		     "1: 'profiles.a.max_order_notional' must be a decimal string such as "
		     "\"25000\", not a floating-point number (quote it");
	expect_error("profiles: { a: { max_order_notional = \"1e5\"; }; };",
		     "1: 'profiles.a.max_order_notional' must be a decimal number");
	expect_error("profiles: { a: { max_price_distance_pct = \"-1\"; }; };",
		     "1: 'profiles.a.max_price_distance_pct' must be between 0 and 100");
	expect_error("profiles: { a: { max_leverage = 500; }; };",
		     "1: 'profiles.a.max_leverage' must be between 1 and 100");
	expect_error("profiles: { a: { confirm = \"yes\"; }; };",
		     "1: 'profiles.a.confirm' must be true or false, not a string");
	expect_error("profiles = ( 1, 2 );", "1: 'profiles' must be a group { ... }, not a list");
	expect_error("log_keep = 0;", "1: 'log_keep' must be between 1 and 100");
	expect_error("log_max_bytes = 3000000000;",
		     "1: 'log_max_bytes' must be at least 0 (above 2147483647, write an L");
}

static void loopback_plain_urls_and_numbers_are_accepted(void **state)
{
	const char *path = write_file(
		"ok.conf",
		"profiles: { g: { spot: { rest_url = \"http://127.0.0.1:8080\";\n"
		"  ws_url = \"ws://localhost:9000/v2\"; ws_auth_url = \"ws://[::1]:9/x\"; };\n"
		"  max_order_notional = 1000; arm_idle_timeout = 600; dead_man_switch = 0;\n"
		"  max_price_distance_pct = \"2.5\"; paper_seed = 9000000000L; }; };\n",
		0644);
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	if (cfg_load(&cfg, path, true, &err) < 0)
		fail_msg("%s", err.msg);
	const struct cfg_profile *g = cfg_profile_find(&cfg, "g");
	assert_string_equal(g->spot.rest_url, "http://127.0.0.1:8080");
	assert_true(dec_eq(g->safety.max_order_notional, dec_from_int(1000)));
	assert_true(dec_eq(g->safety.max_price_distance_pct, dec_make(25, 1)));
	assert_int_equal(g->safety.arm_idle_timeout_s, 600);
	assert_int_equal(g->safety.dead_man_switch_s, 0);
	assert_int_equal(g->paper.seed, 9000000000LL);
	cfg_free(&cfg);
}

/* Unknown settings are reported with file:line and a suggestion, then ignored. */
static void unknown_settings_are_reported(void **state)
{
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	const char *path = kt_fixture_path("config/unknown.conf");
	assert_int_equal(cfg_load(&cfg, path, true, &err), 0);
	const char *want[][2] = {
		{"1", "unknown setting 'log_levle' (did you mean 'log_level'?)"},
		{"9", "unknown setting 'profiles.live.spot.kye' (did you mean 'key'?)"},
		{"13", "unknown setting 'profiles.live.max_notional'"},
		{"14", "unknown setting 'profiles.live.colour'"},
		{"17", "unknown setting 'keymaps' (did you mean 'keymap'?)"},
	};
	assert_int_equal(cfg.nnotices, 5);
	for (size_t i = 0; i < 5; i++) {
		char line[1024];
		snprintf(line, sizeof line, "%s:%s: %s", path, want[i][0], want[i][1]);
		assert_string_equal(cfg.notices[i].text, line);
		assert_string_equal(cfg.notices[i].file, path);
		assert_int_equal(cfg.notices[i].line, atoi(want[i][0]));
	}
	/* the known settings around them still count */
	const struct cfg_profile *live = cfg_profile_find(&cfg, "live");
	assert_string_equal(live->spot.key_env, "K");
	assert_null(live->spot.key);
	cfg_free(&cfg);
}

static void several_sources_for_one_credential_are_reported(void **state)
{
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	const char *path = kt_fixture_path("config/two_sources.conf");
	assert_int_equal(cfg_load(&cfg, path, true, &err), 0);
	assert_int_equal(cfg.nnotices, 1);
	char want[1024];
	snprintf(want, sizeof want,
		 "%s:8: 'profiles.live.spot' sets both 'key' and 'key_cmd'; 'key' is used", path);
	assert_string_equal(cfg.notices[0].text, want);
	cfg_free(&cfg);
}

static void include_is_relative_to_the_config_dir(void **state)
{
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	assert_int_equal(cfg_load(&cfg, kt_fixture_path("config/include_main.conf"), true, &err),
			 0);
	assert_int_equal(cfg.log_keep, 5);
	assert_string_equal(cfg.theme, "mono");
	assert_int_equal(cfg.nnotices, 1);
	char want[1024];
	snprintf(want, sizeof want, "%s:3: unknown setting 'themes' (did you mean 'theme'?)",
		 kt_fixture_path("config/include_part.conf"));
	assert_string_equal(cfg.notices[0].text, want);
	cfg_free(&cfg);
}

static void unknown_default_profile_is_an_error(void **state)
{
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	const char *path = kt_fixture_path("config/unknown_profile.conf");
	char want[1024];
	snprintf(want, sizeof want,
		 "%s:3: default_profile 'lvie' is not a defined profile (defined: live, demo, "
		 "paper)",
		 path);
	assert_int_equal(cfg_load(&cfg, path, true, &err), -1);
	assert_string_equal(err.msg, want);
	cfg_free(&cfg);
}

static void paper_profile_cannot_be_live(void **state)
{
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	const char *path = kt_fixture_path("config/paper_false.conf");
	assert_int_equal(cfg_load(&cfg, path, true, &err), -1);
	char want[1024];
	snprintf(want, sizeof want, "%s:3: profile 'paper' always uses the paper exchange", path);
	assert_non_null(strstr(err.msg, want));
	cfg_free(&cfg);
}

/* --profile beats default_profile, which beats the built-in "paper". */
static void profile_selection_precedence(void **state)
{
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	const char *name;
	cfg_init(&cfg);
	assert_int_equal(profile_select(&cfg, NULL, &name, &err), 0);
	assert_string_equal(name, "paper");
	assert_int_equal(profile_select(&cfg, "live", &name, &err), -1);
	assert_string_equal(err.msg, "unknown profile 'live' (defined: paper)");
	cfg_free(&cfg);

	assert_int_equal(cfg_load(&cfg, example_path(), true, &err), 0);
	free(cfg.default_profile);
	cfg.default_profile = strdup("practice");
	assert_int_equal(profile_select(&cfg, NULL, &name, &err), 0);
	assert_string_equal(name, "practice");
	assert_int_equal(profile_select(&cfg, "live", &name, &err), 0);
	assert_string_equal(name, "live");
	assert_int_equal(profile_select(&cfg, "paper", &name, &err), 0);
	assert_string_equal(name, "paper");
	assert_int_equal(profile_select(&cfg, "nope", &name, &err), -1);
	assert_string_equal(err.msg, "unknown profile 'nope' (defined: live, paper, practice)");
	cfg_free(&cfg);

	assert_int_equal(cfg_load(&cfg, kt_fixture_path("config/minimal.conf"), true, &err), 0);
	assert_int_equal(profile_select(&cfg, NULL, &name, &err), 0);
	assert_string_equal(name, "live");
	cfg_free(&cfg);
}

static void resolved_profiles(void **state)
{
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	struct profile p;
	char data_dir[] = "/data/krakterm";
	struct paths paths = {0};
	paths.data_dir = data_dir;
	cfg_init(&cfg); /* no file: the built-in paper profile */
	assert_int_equal(profile_resolve(&p, &cfg, NULL, &paths, &err), 0);
	assert_string_equal(p.name, "paper");
	assert_true(p.paper);
	assert_false(profile_is_live(&p));
	assert_null(p.ep[PROFILE_SPOT].rest_url); /* filled in by the paper exchange */
	assert_string_equal(p.paper_state, "/data/krakterm/paper-paper.json");
	assert_true(p.safety.confirm);
	profile_free(&p);
	cfg_free(&cfg);

	assert_int_equal(cfg_load(&cfg, example_path(), true, &err), 0);
	assert_int_equal(profile_resolve(&p, &cfg, "paper", &paths, &err), 0);
	assert_true(p.paper);
	assert_false(p.safety.confirm); /* the file's override */
	profile_free(&p);
	assert_int_equal(profile_resolve(&p, &cfg, "live", NULL, &err), 0);
	assert_true(profile_is_live(&p));
	assert_string_equal(p.ep[PROFILE_FUTURES].ws_url, "wss://futures.kraken.com/ws/v1");
	assert_null(p.ep[PROFILE_FUTURES].ws_auth_url);
	assert_int_equal(p.tier, CFG_TIER_INTERMEDIATE);
	assert_null(p.ep[PROFILE_SPOT].key); /* not loaded yet */
	assert_true(profile_read_only(&p));
	profile_free(&p);
	cfg_free(&cfg);
}

static void secret_in_readable_file_is_refused(void **state)
{
	char *text = kt_fixture_read("config/inline_secret.conf", NULL);
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	const char *path = write_file("config", text, 0644);
	char want[1024];
	snprintf(want, sizeof want,
		 "config: %s holds an API secret and is readable by others; run: chmod 600 %s",
		 path, path);
	assert_int_equal(cfg_load(&cfg, path, true, &err), -1);
	assert_string_equal(err.msg, want);
	assert_null(strstr(err.msg, "inline-secret-0001"));
	cfg_free(&cfg);

	path = write_file("config", text, 0640); /* group-readable is refused too */
	assert_int_equal(cfg_load(&cfg, path, true, &err), -1);
	cfg_free(&cfg);

	path = write_file("config", text, 0600);
	assert_int_equal(cfg_load(&cfg, path, true, &err), 0);
	assert_string_equal(cfg_profile_find(&cfg, "live")->spot.secret, "inline-secret-0001");
	cfg_free(&cfg);

	/* a secret anywhere counts, even under an unknown name */
	path = write_file("config", "bogus: { secret = \"abcdefgh\"; };\n", 0604);
	assert_int_equal(cfg_load(&cfg, path, true, &err), -1);
	assert_non_null(strstr(err.msg, "chmod 600"));
	cfg_free(&cfg);
	free(text);
}

static void readable_file_without_secret_is_fine(void **state)
{
	char *text = kt_fixture_read("config/no_secret.conf", NULL);
	struct cfg cfg;
	struct kerr err = KERR_INIT;
	const char *path = write_file("config", text, 0644);
	assert_int_equal(cfg_load(&cfg, path, true, &err), 0);
	cfg_free(&cfg);
	free(text);
}

static void durations(void **state)
{
	int64_t s;
	char buf[32];
	assert_int_equal(cfg_duration_parse("15m", &s), 0);
	assert_int_equal(s, 900);
	assert_int_equal(cfg_duration_parse("1h30m", &s), 0);
	assert_int_equal(s, 5400);
	assert_int_equal(cfg_duration_parse("45", &s), 0);
	assert_int_equal(s, 45);
	assert_int_equal(cfg_duration_parse("2d", &s), 0);
	assert_int_equal(s, 172800);
	assert_int_equal(cfg_duration_parse("", &s), -1);
	assert_int_equal(cfg_duration_parse("5x", &s), -1);
	assert_int_equal(cfg_duration_parse("m", &s), -1);
	assert_int_equal(cfg_duration_parse("1h30", &s), -1);
	assert_int_equal(cfg_duration_parse("99999999999999999999s", &s), -1);
	cfg_duration_fmt(5400, buf, sizeof buf);
	assert_string_equal(buf, "1h30m");
	cfg_duration_fmt(0, buf, sizeof buf);
	assert_string_equal(buf, "0");
	cfg_duration_fmt(90061, buf, sizeof buf);
	assert_string_equal(buf, "1d1h1m1s");
}

/* XDG variables win when absolute; otherwise ~/.config, ~/.local/state, ~/.local/share. */
static void xdg_dirs_and_fallbacks(void **state)
{
	struct paths p;
	struct kerr err = KERR_INIT;
	setenv("HOME", "/home/u", 1);
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	setenv("XDG_STATE_HOME", "relative/state", 1); /* relative: ignored */
	setenv("XDG_DATA_HOME", "", 1);                /* empty: ignored */
	assert_int_equal(paths_init(&p, &err), 0);
	assert_string_equal(p.config_dir, "/x/conf/krakterm");
	assert_string_equal(p.config_file, "/x/conf/krakterm/config");
	assert_string_equal(p.state_dir, "/home/u/.local/state/krakterm");
	assert_string_equal(p.log_file, "/home/u/.local/state/krakterm/krakterm.log");
	assert_string_equal(p.data_dir, "/home/u/.local/share/krakterm");
	paths_free(&p);
	unsetenv("XDG_CONFIG_HOME");
	setenv("XDG_STATE_HOME", "/x/state", 1);
	setenv("XDG_DATA_HOME", "/x/data", 1);
	assert_int_equal(paths_init(&p, &err), 0);
	assert_string_equal(p.config_dir, "/home/u/.config/krakterm");
	assert_string_equal(p.state_dir, "/x/state/krakterm");
	assert_string_equal(p.data_dir, "/x/data/krakterm");
	paths_free(&p);
	char *e = paths_expand_home("~/a/b");
	assert_string_equal(e, "/home/u/a/b");
	free(e);
	e = paths_expand_home("/abs/~/x");
	assert_string_equal(e, "/abs/~/x");
	free(e);
	unsetenv("XDG_STATE_HOME");
	unsetenv("XDG_DATA_HOME");
}

static void ensure_dir_creates_private_dirs(void **state)
{
	char dir[512];
	struct stat st;
	struct kerr err = KERR_INIT;
	snprintf(dir, sizeof dir, "%s/a/b/krakterm/", tmp);
	assert_int_equal(paths_ensure_dir(dir, &err), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(paths_ensure_dir(dir, &err), 0); /* exists: fine */
	const char *file = write_file("plain", "x", 0600);
	assert_int_equal(paths_ensure_dir(file, &err), -1);
	assert_non_null(strstr(err.msg, "not a directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(missing_default_file_gives_defaults, setup,
						teardown),
		cmocka_unit_test_setup_teardown(missing_explicit_file_is_an_error, setup, teardown),
		cmocka_unit_test(profile_defaults_are_krakens_real_endpoints),
		cmocka_unit_test(minimal_file),
		cmocka_unit_test(documented_example_loads),
		cmocka_unit_test(docs_cover_the_schema),
		cmocka_unit_test(syntax_error_names_file_and_line),
		cmocka_unit_test(wrong_type_names_file_and_line),
		cmocka_unit_test_setup_teardown(bad_values_name_file_and_line, setup, teardown),
		cmocka_unit_test_setup_teardown(loopback_plain_urls_and_numbers_are_accepted, setup,
						teardown),
		cmocka_unit_test(unknown_settings_are_reported),
		cmocka_unit_test(several_sources_for_one_credential_are_reported),
		cmocka_unit_test(include_is_relative_to_the_config_dir),
		cmocka_unit_test(unknown_default_profile_is_an_error),
		cmocka_unit_test(paper_profile_cannot_be_live),
		cmocka_unit_test(profile_selection_precedence),
		cmocka_unit_test(resolved_profiles),
		cmocka_unit_test_setup_teardown(secret_in_readable_file_is_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(readable_file_without_secret_is_fine, setup,
						teardown),
		cmocka_unit_test(durations),
		cmocka_unit_test(xdg_dirs_and_fallbacks),
		cmocka_unit_test_setup_teardown(ensure_dir_creates_private_dirs, setup, teardown),
	};
	return kt_run_tests(tests);
}
