/* test_cli: the command line (options before the command, "--", errors,
 * --help/--version), and the real binary's exit paths: usage errors exit 2,
 * config errors exit 2 naming file:line, config-check never shows a secret. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <config.h> /* PACKAGE_VERSION */

#include "app/cli.h"
#include "app/commands.h"
#include "tests/unit/unit.h"

/* A writable argv ("krakterm", the given words, NULL) that lives until av_reset(). */
static char *words[32];
static int nwords;

static void av_reset(void)
{
	for (int i = 0; i < nwords; i++)
		free(words[i]);
	nwords = 0;
}

static char **av(const char *first, ...)
{
	va_list ap;
	av_reset();
	words[nwords++] = strdup("krakterm");
	va_start(ap, first);
	for (const char *w = first; w && nwords < 31; w = va_arg(ap, const char *))
		words[nwords++] = strdup(w);
	va_end(ap);
	words[nwords] = NULL;
	return words;
}

/* Parse the words given to av() (the count is taken from it). */
static int parse(char **argv, struct cli_args *a, struct kerr *err)
{
	kerr_clear(err);
	return cli_parse(nwords, argv, a, err);
}

static void no_arguments_means_the_tui(void **state)
{
	char **argv = av(NULL);
	struct cli_args a;
	struct kerr err = KERR_INIT;
	assert_int_equal(parse(argv, &a, &err), 0);
	assert_int_equal(a.action, CLI_RUN);
	assert_null(a.command);
	assert_null(a.profile);
	assert_null(a.config_file);
	assert_false(a.log_level_set);
	assert_false(a.json);
}

static void options_before_the_command(void **state)
{
	char **v = av("-p", "live", "-c", "/x/conf", "--log-level", "debug", "--json", "--replay",
		      "r.rec", "balances", "--json", "-p", "other", NULL);
	struct cli_args a;
	struct kerr err = KERR_INIT;
	assert_int_equal(parse(v, &a, &err), 0);
	assert_string_equal(a.profile, "live");
	assert_string_equal(a.config_file, "/x/conf");
	assert_true(a.log_level_set);
	assert_int_equal(a.log_level, KLOG_DEBUG);
	assert_true(a.json);
	assert_string_equal(a.replay, "r.rec");
	assert_string_equal(a.command, "balances");
	/* everything after the command name is the command's */
	assert_int_equal(a.cmd_argc, 4);
	assert_string_equal(a.cmd_argv[0], "balances");
	assert_string_equal(a.cmd_argv[1], "--json");
	assert_string_equal(a.cmd_argv[3], "other");
}

static void attached_values(void **state)
{
	char **v = av("--profile=live", "-cmy.conf", "--log-level=trace", "-pdemo", "paths", NULL);
	struct cli_args a;
	struct kerr err = KERR_INIT;
	assert_int_equal(parse(v, &a, &err), 0);
	assert_string_equal(a.profile, "demo"); /* the last one wins */
	assert_string_equal(a.config_file, "my.conf");
	assert_int_equal(a.log_level, KLOG_TRACE);
	assert_string_equal(a.command, "paths");
	assert_int_equal(a.cmd_argc, 1);
}

static void double_dash_ends_the_options(void **state)
{
	struct cli_args a;
	struct kerr err = KERR_INIT;
	char **v1 = av("--json", "--", "--weird", "-p", "x", NULL);
	assert_int_equal(parse(v1, &a, &err), 0);
	assert_true(a.json);
	assert_string_equal(a.command, "--weird");
	assert_int_equal(a.cmd_argc, 3);
	char **v2 = av("-p", "live", "--", NULL);
	assert_int_equal(parse(v2, &a, &err), 0);
	assert_null(a.command); /* the TUI */
	char **v3 = av("paths", "--", "x", NULL);
	assert_int_equal(parse(v3, &a, &err), 0);
	assert_string_equal(a.command, "paths");
	assert_int_equal(a.cmd_argc, 3);
	assert_string_equal(a.cmd_argv[1], "--");
	char **v4 = av("-", "x", NULL); /* a lone dash is an operand, not an option */
	assert_int_equal(parse(v4, &a, &err), 0);
	assert_string_equal(a.command, "-");
}

static void usage_errors(void **state)
{
	struct cli_args a;
	struct kerr err = KERR_INIT;
	char **v1 = av("--bogus", "paths", NULL);
	assert_int_equal(parse(v1, &a, &err), -1);
	assert_string_equal(err.msg, "unknown option '--bogus'");
	char **v2 = av("-x", NULL);
	assert_int_equal(parse(v2, &a, &err), -1);
	assert_string_equal(err.msg, "unknown option '-x'");
	char **v3 = av("-hv", NULL);
	assert_int_equal(parse(v3, &a, &err), -1);
	char **v4 = av("--json=yes", NULL);
	assert_int_equal(parse(v4, &a, &err), -1);
	char **v5 = av("--prof", "x", NULL); /* no abbreviations */
	assert_int_equal(parse(v5, &a, &err), -1);
	char **v6 = av("-p", NULL);
	assert_int_equal(parse(v6, &a, &err), -1);
	assert_string_equal(err.msg, "option '-p' needs an argument (PROFILE)");
	char **v7 = av("--profile=", NULL);
	assert_int_equal(parse(v7, &a, &err), -1);
	assert_string_equal(err.msg, "option '--profile=' needs a non-empty PROFILE");
	char **v8 = av("--log-level", "loud", NULL);
	assert_int_equal(parse(v8, &a, &err), -1);
	assert_non_null(strstr(err.msg, "invalid log level 'loud'"));
}

static void help_and_version(void **state)
{
	struct cli_args a;
	struct kerr err = KERR_INIT;
	char **v1 = av("-p", "live", "--help", "--bogus", NULL);
	assert_int_equal(parse(v1, &a, &err), 0);
	assert_int_equal(a.action, CLI_HELP);
	char **v2 = av("-h", NULL);
	assert_int_equal(parse(v2, &a, &err), 0);
	assert_int_equal(a.action, CLI_HELP);
	char **v3 = av("--version", NULL);
	assert_int_equal(parse(v3, &a, &err), 0);
	assert_int_equal(a.action, CLI_VERSION);
	assert_string_equal(cli_version(), "krakterm " PACKAGE_VERSION);
	char **v4 = av("paths", "--help", NULL); /* the command's own option */
	assert_int_equal(parse(v4, &a, &err), 0);
	assert_int_equal(a.action, CLI_RUN);
	assert_string_equal(a.command, "paths");
}

static void usage_lists_options_and_commands(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	cli_usage(fp, app_commands);
	fclose(fp);
	const char *want[] = {"usage: krakterm",
			      "--profile PROFILE",
			      "--config FILE",
			      "--log-level LEVEL",
			      "--json",
			      "--replay FILE",
			      "--version",
			      "config-check",
			      "paths"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(buf, want[i]))
			fail_msg("usage lacks '%s':\n%s", want[i], buf);
	free(buf);
	assert_non_null(app_command_find("config-check"));
	assert_null(app_command_find("nope"));
}

/* ---- the real binary ---- */

static char tmp[256];
static char out[65536], errbuf[65536];

static int setup(void **state)
{
	if (!getenv("KT_BIN"))
		skip();
	snprintf(tmp, sizeof tmp, "%s/kt-cli-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(tmp));
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static void read_into(const char *path, char *buf, size_t cap)
{
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	size_t n = fread(buf, 1, cap - 1, fp);
	buf[n] = '\0';
	fclose(fp);
}

/* Run $KT_BIN with the given arguments (NULL-terminated) in a private HOME;
 * returns the exit status. */
static int run_bin(const char *first, ...)
{
	va_list ap;
	char *argv[16] = {getenv("KT_BIN")};
	int n = 1;
	va_start(ap, first);
	for (const char *w = first; w && n < 15; w = va_arg(ap, const char *))
		argv[n++] = strdup(w);
	va_end(ap);
	char home[300], o[320], e[320];
	snprintf(home, sizeof home, "%s/home", tmp);
	snprintf(o, sizeof o, "%s/out", tmp);
	snprintf(e, sizeof e, "%s/err", tmp);
	mkdir(home, 0700);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fo = open(o, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fe = open(e, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fi = open("/dev/null", O_RDONLY);
		dup2(fi, 0);
		dup2(fo, 1);
		dup2(fe, 2);
		setenv("HOME", home, 1);
		unsetenv("XDG_CONFIG_HOME");
		unsetenv("XDG_STATE_HOME");
		unsetenv("XDG_DATA_HOME");
		execv(argv[0], argv);
		_exit(126);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	for (int i = 1; i < n; i++)
		free(argv[i]);
	read_into(o, out, sizeof out);
	read_into(e, errbuf, sizeof errbuf);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void binary_help_version_and_usage_errors(void **state)
{
	assert_int_equal(run_bin("--help", NULL), 0);
	assert_non_null(strstr(out, "usage: krakterm"));
	assert_non_null(strstr(out, "config-check"));
	assert_int_equal(run_bin("--version", NULL), 0);
	assert_string_equal(out, "krakterm " PACKAGE_VERSION "\n");
	assert_int_equal(run_bin("--bogus", NULL), 2);
	assert_non_null(strstr(errbuf, "unknown option '--bogus'"));
	assert_int_equal(run_bin("frobnicate", NULL), 2);
	assert_non_null(strstr(errbuf, "unknown command 'frobnicate'"));
	assert_int_equal(run_bin("paths", "extra", NULL), 2);
	assert_int_equal(run_bin(NULL), 1); /* the TUI, without a terminal */
	assert_non_null(strstr(errbuf, "needs a terminal"));
}

static void binary_paths_and_defaults(void **state)
{
	assert_int_equal(run_bin("paths", NULL), 0);
	char want[600];
	snprintf(want, sizeof want, "config  %s/home/.config/krakterm/config\n", tmp);
	assert_non_null(strstr(out, want));
	snprintf(want, sizeof want, "log     %s/home/.local/state/krakterm/krakterm.log\n", tmp);
	assert_non_null(strstr(out, want));
	assert_int_equal(run_bin("--json", "paths", NULL), 0);
	assert_int_equal(out[0], '{');
	assert_non_null(strstr(out, "\"data\":\""));
	/* no config file at all: the built-in paper profile */
	assert_int_equal(run_bin("config-check", NULL), 0);
	assert_non_null(strstr(out, "not found: built-in defaults"));
	assert_non_null(strstr(out, "profile: paper"));
	/* the log was opened in the state dir, private */
	char log[600];
	struct stat st;
	snprintf(log, sizeof log, "%s/home/.local/state/krakterm/krakterm.log", tmp);
	assert_int_equal(stat(log, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static void binary_config_errors_exit_2(void **state)
{
	char *path = strdup(kt_fixture_path("config/wrong_type.conf"));
	assert_int_equal(run_bin("-c", path, "paths", NULL), 2);
	char want[1024];
	snprintf(want, sizeof want, "krakterm: %s:5: 'profiles.live.max_leverage'", path);
	assert_non_null(strstr(errbuf, want));
	free(path);
	assert_int_equal(run_bin("-c", "/nonexistent/kt.conf", "paths", NULL), 2);
	assert_non_null(strstr(errbuf, "/nonexistent/kt.conf"));
	path = strdup(kt_fixture_path("config/minimal.conf"));
	assert_int_equal(run_bin("-c", path, "-p", "nope", "paths", NULL), 2);
	assert_non_null(strstr(errbuf, "unknown profile 'nope' (defined: live, paper)"));
	free(path);
	/* unknown settings: reported on stderr; config-check fails, other commands run */
	path = strdup(kt_fixture_path("config/unknown.conf"));
	assert_int_equal(run_bin("-c", path, "paths", NULL), 0);
	assert_non_null(strstr(errbuf, "unknown setting 'profiles.live.spot.kye'"));
	assert_int_equal(run_bin("-c", path, "-p", "paper", "config-check", NULL), 2);
	assert_non_null(strstr(errbuf, "5 problems reported above"));
	free(path);
}

static void binary_config_check_hides_secrets(void **state)
{
	char conf[400];
	snprintf(conf, sizeof conf, "%s/kt.conf", tmp);
	FILE *fp = fopen(conf, "w");
	assert_non_null(fp);
	fputs("default_profile = \"live\";\n"
	      "profiles: { live: {\n"
	      "  spot: { key = \"inline-key-1234\"; secret = \"inline-secret-5678\"; };\n"
	      "  futures: { key_cmd = \"echo cmd-key-abcd\"; secret_cmd = \"echo cmd-secret-ef\"; "
	      "};\n"
	      "  tier = \"pro\"; arm_idle_timeout = \"1h30m\"; }; };\n",
	      fp);
	fclose(fp);
	chmod(conf, 0600);
	assert_int_equal(run_bin("-c", conf, "config-check", NULL), 0);
	const char *want[] = {"profile: live (LIVE",
			      "key: set (from key)\n",
			      "secret: set (from secret)\n",
			      "key: set (from key_cmd)\n",
			      "secret: set (from secret_cmd)\n",
			      "tier: pro\n",
			      "arm_idle_timeout: 1h30m\n",
			      "access: trading\n"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(out, want[i]))
			fail_msg("config-check output lacks '%s':\n%s", want[i], out);
	const char *secret[] = {"inline-key-1234", "inline-secret-5678", "cmd-key-abcd",
				"cmd-secret-ef"};
	for (size_t i = 0; i < 4; i++) {
		assert_null(strstr(out, secret[i]));
		assert_null(strstr(errbuf, secret[i]));
	}
	/* a failing secret command: exit 2, the command named, its output not */
	fp = fopen(conf, "w");
	fputs("profiles: { live: { futures: { key = \"k1234\";\n"
	      "  secret_cmd = \"echo hidden-output; exit 1\"; }; }; };\n",
	      fp);
	fclose(fp);
	assert_int_equal(run_bin("-c", conf, "-p", "live", "config-check", NULL), 2);
	assert_non_null(strstr(errbuf, "futures secret: command 'echo hidden-output; exit 1' "
				       "failed with status 1"));
	assert_null(strstr(out, "hidden-output\n"));
	/* a readable file with a secret is refused with the chmod hint */
	fp = fopen(conf, "w");
	fputs("profiles: { live: { spot: { key = \"k1234\"; secret = \"s5678\"; }; }; };\n", fp);
	fclose(fp);
	chmod(conf, 0644);
	assert_int_equal(run_bin("-c", conf, "paths", NULL), 2);
	assert_non_null(strstr(errbuf, "run: chmod 600"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_arguments_means_the_tui),
		cmocka_unit_test(options_before_the_command),
		cmocka_unit_test(attached_values),
		cmocka_unit_test(double_dash_ends_the_options),
		cmocka_unit_test(usage_errors),
		cmocka_unit_test(help_and_version),
		cmocka_unit_test(usage_lists_options_and_commands),
		cmocka_unit_test_setup_teardown(binary_help_version_and_usage_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(binary_paths_and_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(binary_config_errors_exit_2, setup, teardown),
		cmocka_unit_test_setup_teardown(binary_config_check_hides_secrets, setup, teardown),
	};
	return kt_run_tests(tests);
}
