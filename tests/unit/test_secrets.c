/* test_secrets: API credentials come from inline values, named environment
 * variables, commands or the standard KRAKEN_* variables; failures name the
 * source but never the value; loaded credentials are redacted from the log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/cfg.h"
#include "app/profile.h"
#include "app/secrets.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "tests/unit/unit.h"

static char tmp[256];

static const char *const std_vars[] = {"KRAKEN_SPOT_API_KEY", "KRAKEN_SPOT_API_SECRET",
				       "KRAKEN_FUTURES_API_KEY", "KRAKEN_FUTURES_API_SECRET"};

static int setup(void **state)
{
	snprintf(tmp, sizeof tmp, "%s/kt-secrets-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(tmp));
	for (size_t i = 0; i < 4; i++)
		unsetenv(std_vars[i]);
	klog_shutdown(); /* forget earlier tests' redactions */
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* Load `text` as a 0600 config and resolve `name`; returns 0 or -1 (err set). */
static int resolve(const char *text, const char *name, struct cfg *cfg, struct profile *p,
		   struct kerr *err)
{
	char path[512];
	snprintf(path, sizeof path, "%s/config", tmp);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	chmod(path, 0600);
	if (cfg_load(cfg, path, true, err) < 0)
		fail_msg("%s", err->msg);
	if (profile_resolve(p, cfg, name, NULL, err) < 0)
		fail_msg("%s", err->msg);
	return profile_load_secrets(p, err);
}

static void done(struct cfg *cfg, struct profile *p)
{
	profile_free(p);
	cfg_free(cfg);
}

static void inline_credentials(void **state)
{
	struct cfg cfg;
	struct profile p;
	struct kerr err = KERR_INIT;
	assert_int_equal(resolve("profiles: { live: { spot: { key = \"k-inline\"; secret = "
				 "\"s-inline\"; }; }; };",
				 "live", &cfg, &p, &err),
			 0);
	assert_string_equal(p.ep[PROFILE_SPOT].key, "k-inline");
	assert_string_equal(p.ep[PROFILE_SPOT].secret, "s-inline");
	assert_int_equal(p.ep[PROFILE_SPOT].key_from, SECRET_INLINE);
	assert_string_equal(profile_source_name(&p, PROFILE_SPOT, true), "secret");
	assert_true(profile_has_keys(&p, PROFILE_SPOT));
	assert_false(profile_has_keys(&p, PROFILE_FUTURES));
	assert_false(profile_read_only(&p));
	done(&cfg, &p);
}

static void named_environment_variables(void **state)
{
	struct cfg cfg;
	struct profile p;
	struct kerr err = KERR_INIT;
	const char *conf = "profiles: { live: { futures: { key_env = \"KT_T_FK\"; secret_env = "
			   "\"KT_T_FS\"; }; }; };";
	setenv("KT_T_FK", "fut-key-1", 1);
	setenv("KT_T_FS", "fut-secret-1", 1);
	assert_int_equal(resolve(conf, "live", &cfg, &p, &err), 0);
	assert_string_equal(p.ep[PROFILE_FUTURES].key, "fut-key-1");
	assert_string_equal(p.ep[PROFILE_FUTURES].secret, "fut-secret-1");
	assert_string_equal(profile_source_name(&p, PROFILE_FUTURES, false), "key_env");
	done(&cfg, &p);

	/* a configured variable that is unset is an error, not a fall-through */
	unsetenv("KT_T_FS");
	setenv("KRAKEN_FUTURES_API_SECRET", "other-account", 1);
	assert_int_equal(resolve(conf, "live", &cfg, &p, &err), -1);
	assert_string_equal(err.msg, "futures secret: environment variable 'KT_T_FS' is not set");
	assert_null(p.ep[PROFILE_FUTURES].key); /* nothing half-loaded */
	done(&cfg, &p);
	unsetenv("KT_T_FK");
}

static void standard_variables_when_nothing_is_configured(void **state)
{
	struct cfg cfg;
	struct profile p;
	struct kerr err = KERR_INIT;
	setenv("KRAKEN_SPOT_API_KEY", "std-spot-key", 1);
	setenv("KRAKEN_SPOT_API_SECRET", "std-spot-secret", 1);
	assert_int_equal(resolve("profiles: { live: { }; };", "live", &cfg, &p, &err), 0);
	assert_string_equal(p.ep[PROFILE_SPOT].key, "std-spot-key");
	assert_string_equal(profile_source_name(&p, PROFILE_SPOT, true), "KRAKEN_SPOT_API_SECRET");
	assert_false(profile_has_keys(&p, PROFILE_FUTURES));
	done(&cfg, &p);

	/* the inline value wins over the standard variable */
	assert_int_equal(resolve("profiles: { live: { spot: { key = \"mine\"; }; }; };", "live",
				 &cfg, &p, &err),
			 0);
	assert_string_equal(p.ep[PROFILE_SPOT].key, "mine");
	assert_string_equal(p.ep[PROFILE_SPOT].secret, "std-spot-secret");
	done(&cfg, &p);
}

static void commands(void **state)
{
	struct cfg cfg;
	struct profile p;
	struct kerr err = KERR_INIT;
	assert_int_equal(resolve("profiles: { live: { futures: {\n"
				 "  key_cmd = \"printf 'cmd-key\\\\nsecond line\\\\n'\";\n"
				 "  secret_cmd = \"printf 'cmd-secret\\\\r\\\\n'\"; }; }; };",
				 "live", &cfg, &p, &err),
			 0);
	assert_string_equal(p.ep[PROFILE_FUTURES].key, "cmd-key"); /* first line only */
	assert_string_equal(p.ep[PROFILE_FUTURES].secret, "cmd-secret");
	assert_int_equal(p.ep[PROFILE_FUTURES].secret_from, SECRET_CMD);
	assert_string_equal(profile_source_name(&p, PROFILE_FUTURES, true), "secret_cmd");
	done(&cfg, &p);
}

/* A failing command is named, with its status, but its output never appears. */
static void failing_command(void **state)
{
	struct cfg cfg;
	struct profile p;
	struct kerr err = KERR_INIT;
	assert_int_equal(resolve("profiles: { live: { futures: { key = \"k-ok\";\n"
				 "  secret_cmd = \"printf '%s%s' leak ed-out; exit 1\"; }; }; };",
				 "live", &cfg, &p, &err),
			 -1);
	assert_string_equal(err.msg, "futures secret: command 'printf '%s%s' leak ed-out; exit 1' "
				     "failed with status 1");
	assert_null(strstr(err.msg, "leaked-out"));
	done(&cfg, &p);

	char *out = NULL;
	assert_int_equal(secrets_run_cmd("spot key", "kill -9 $$", &out, &err), -1);
	assert_string_equal(err.msg, "spot key: command 'kill -9 $$' was killed by signal 9");
	assert_null(out);
	assert_int_equal(secrets_run_cmd("spot key", "/nonexistent/helper 2>/dev/null", &out, &err),
			 -1);
	assert_non_null(strstr(err.msg, "failed with status 127 (command not found?)"));

	/* a command that never ends (a prompt nobody answers) is stopped */
	assert_int_equal(secrets_run_cmd_timeout("spot secret", "echo -n part; exec sleep 30", 300,
						 &out, &err),
			 -1);
	assert_string_equal(err.msg, "spot secret: command 'echo -n part; exec sleep 30' did not "
				     "finish within 300 ms (stopped)");
	assert_null(out);
}

static void empty_output(void **state)
{
	char *out = NULL;
	struct kerr err = KERR_INIT;
	assert_int_equal(secrets_run_cmd("spot secret", "true", &out, &err), -1);
	assert_string_equal(err.msg, "spot secret: command 'true' printed nothing");
	assert_int_equal(secrets_run_cmd("spot secret", "echo; echo late", &out, &err), -1);
	assert_string_equal(err.msg, "spot secret: command 'echo; echo late' printed nothing");
	assert_null(out);
}

static void key_without_secret(void **state)
{
	struct cfg cfg;
	struct profile p;
	struct kerr err = KERR_INIT;
	assert_int_equal(resolve("profiles: { live: { spot: { key_cmd = \"echo kkkk\"; }; }; };",
				 "live", &cfg, &p, &err),
			 -1);
	assert_string_equal(err.msg, "spot: the key is set (from key_cmd) but no secret is; set "
				     "secret, secret_env or secret_cmd in profile 'live' (or "
				     "KRAKEN_SPOT_API_SECRET)");
	assert_null(p.ep[PROFILE_SPOT].key);
	done(&cfg, &p);

	setenv("KRAKEN_FUTURES_API_SECRET", "lonely-secret", 1);
	assert_int_equal(resolve("profiles: { live: { }; };", "live", &cfg, &p, &err), -1);
	assert_string_equal(err.msg, "futures: the secret is set (from KRAKEN_FUTURES_API_SECRET) "
				     "but no key is; set key, key_env or key_cmd in profile 'live' "
				     "(or KRAKEN_FUTURES_API_KEY)");
	assert_null(strstr(err.msg, "lonely-secret"));
	done(&cfg, &p);
}

static void no_keys_is_read_only(void **state)
{
	struct cfg cfg;
	struct profile p;
	struct kerr err = KERR_INIT;
	assert_int_equal(resolve("profiles: { live: { }; };", "live", &cfg, &p, &err), 0);
	assert_true(profile_read_only(&p));
	assert_false(profile_has_keys(&p, PROFILE_SPOT));
	assert_string_equal(profile_source_name(&p, PROFILE_SPOT, false), "nowhere");
	done(&cfg, &p);
}

/* Paper profiles never fetch credentials, even when real ones are around. */
static void paper_profile_loads_nothing(void **state)
{
	struct cfg cfg;
	struct profile p;
	struct kerr err = KERR_INIT;
	setenv("KRAKEN_SPOT_API_KEY", "real-key", 1);
	assert_int_equal(resolve("profiles: { p2: { paper = true; spot: { key_cmd = \"exit 1\"; "
				 "}; }; };",
				 "p2", &cfg, &p, &err),
			 0);
	assert_null(p.ep[PROFILE_SPOT].key);
	profile_set_endpoint(&p, PROFILE_SPOT, "http://127.0.0.1:1", "ws://127.0.0.1:1/v2",
			     "ws://127.0.0.1:1/v2");
	profile_set_keys(&p, PROFILE_SPOT, "paper-key", "paper-secret");
	assert_true(profile_has_keys(&p, PROFILE_SPOT));
	assert_string_equal(p.ep[PROFILE_SPOT].rest_url, "http://127.0.0.1:1");
	done(&cfg, &p);
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* Whatever was loaded is scrubbed from the log, even if code logs it by mistake. */
static void loaded_credentials_are_redacted(void **state)
{
	struct cfg cfg;
	struct profile p;
	struct kerr err = KERR_INIT;
	char log[512];
	snprintf(log, sizeof log, "%s/state/krakterm.log", tmp);
	assert_int_equal(klog_open(log, KLOG_DEBUG, 0, 1), 0);
	setenv("KT_T_SK", "env-spot-key-77", 1);
	assert_int_equal(
		resolve("profiles: { live: {\n"
			"  spot: { key_env = \"KT_T_SK\"; secret = \"inline-spot-secret\"; };\n"
			"  futures: { key_cmd = \"echo cmd-fut-key\"; secret_cmd = \"echo "
			"cmd-fut-secret\"; }; }; };",
			"live", &cfg, &p, &err),
		0);
	LOGE("oops: %s %s %s %s", p.ep[0].key, p.ep[0].secret, p.ep[1].key, p.ep[1].secret);
	klog_shutdown();
	char *s = slurp(log);
	assert_non_null(strstr(s, "oops: [REDACTED] [REDACTED] [REDACTED] [REDACTED]"));
	assert_null(strstr(s, "inline-spot-secret"));
	assert_null(strstr(s, "cmd-fut-secret"));
	assert_null(strstr(s, "env-spot-key-77"));
	done(&cfg, &p);
	unsetenv("KT_T_SK");
}

static void source_names(void **state)
{
	struct secret_spec spec = {"spot key", NULL, NULL, NULL, "KRAKEN_SPOT_API_KEY"};
	assert_string_equal(secrets_source_name(SECRET_INLINE, &spec, 0), "key");
	assert_string_equal(secrets_source_name(SECRET_ENV, &spec, 1), "secret_env");
	assert_string_equal(secrets_source_name(SECRET_CMD, &spec, 0), "key_cmd");
	assert_string_equal(secrets_source_name(SECRET_STD_ENV, &spec, 0), "KRAKEN_SPOT_API_KEY");
	char dummy, *out = &dummy;
	enum secret_source from;
	struct kerr err = KERR_INIT;
	assert_int_equal(secrets_resolve(&spec, &out, &from, &err), 0);
	assert_null(out);
	assert_int_equal(from, SECRET_NONE);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(inline_credentials),
		T(named_environment_variables),
		T(standard_variables_when_nothing_is_configured),
		T(commands),
		T(failing_command),
		T(empty_output),
		T(key_without_secret),
		T(no_keys_is_read_only),
		T(paper_profile_loads_nothing),
		T(loaded_credentials_are_redacted),
		T(source_names),
	};
	return kt_run_tests(tests);
}
