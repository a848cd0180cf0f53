/* main: krakterm's entry point. Wiring only: command line -> config -> profile
 * -> log -> the one-shot command or the TUI. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/cfg.h"
#include "app/paths.h"
#include "app/profile.h"
#include "app/tui.h"
#include "base/log.h"

/* The log lives in the state dir; a log that cannot be opened is not fatal. */
static void open_log(const struct cli_args *args, const struct cfg *cfg, const struct paths *paths)
{
	struct kerr err = KERR_INIT;
	enum klog_level level =
		args->log_level_set ? args->log_level : (enum klog_level)cfg->log_level;
	if (paths_ensure_dir(paths->state_dir, &err) < 0 ||
	    klog_open(paths->log_file, level, (size_t)cfg->log_max_bytes, (int)cfg->log_keep) < 0)
		fprintf(stderr, "krakterm: warning: cannot open the log %s: %s\n", paths->log_file,
			err.msg[0] ? err.msg : strerror(errno));
}

/* Unknown settings and the like: always logged; printed too in one-shot mode
 * (the TUI shows cfg->notices on its message line instead). */
static void report_notices(const struct cfg *cfg, bool to_stderr)
{
	for (size_t i = 0; i < cfg->nnotices; i++) {
		LOGW("config: %s", cfg->notices[i].text);
		if (to_stderr)
			fprintf(stderr, "krakterm: %s\n", cfg->notices[i].text);
	}
}


/* Load everything a command needs, run it, and tear down. */
/* A live profile's API secrets are in this process's memory: no core dumps,
 * and other processes of the same user may not attach to read it. */
static void protect_memory(void)
{
	struct rlimit none = {0, 0};
	if (setrlimit(RLIMIT_CORE, &none) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		LOGW("cannot disable core dumps: %s", strerror(errno));
}

static int run(const struct cli_args *args, const struct app_command *cmd)
{
	struct kerr err = KERR_INIT;
	struct paths paths;
	struct cfg cfg;
	struct profile prof;
	int rc = APP_EXIT_USAGE;
	if (paths_init(&paths, &err) < 0) {
		fprintf(stderr, "krakterm: %s\n", err.msg);
		return rc;
	}
	const char *config_path = args->config_file ? args->config_file : paths.config_file;
	if (cfg_load(&cfg, config_path, args->config_file != NULL, &err) < 0) {
		fprintf(stderr, "krakterm: %s\n", err.msg);
		goto out_paths;
	}
	if (profile_resolve(&prof, &cfg, args->profile, &paths, &err) < 0) {
		fprintf(stderr, "krakterm: %s\n", err.msg);
		goto out_cfg;
	}
	if (profile_is_live(&prof))
		protect_memory();
	open_log(args, &cfg, &paths);
	LOGI("krakterm starting: profile %s (%s), config %s%s", prof.name,
	     prof.paper ? "paper" : "live", config_path, cfg.path ? "" : " (not found)");
	report_notices(&cfg, cmd != NULL);
	struct app_ctx ctx = {args, &paths, config_path, &cfg, &prof, stdout, stderr};
	rc = cmd ? cmd->run(&ctx, args->cmd_argc, args->cmd_argv) : app_run_tui(&ctx);
	fflush(stdout);
	klog_shutdown();
	profile_free(&prof);
out_cfg:
	cfg_free(&cfg);
out_paths:
	paths_free(&paths);
	return rc;
}

int main(int argc, char **argv)
{
	struct cli_args args;
	struct kerr err = KERR_INIT;
	if (cli_parse(argc, argv, &args, &err) < 0) {
		fprintf(stderr, "krakterm: %s\nTry 'krakterm --help'.\n", err.msg);
		return APP_EXIT_USAGE;
	}
	if (args.action == CLI_HELP) {
		cli_usage(stdout, app_commands);
		return APP_EXIT_OK;
	}
	if (args.action == CLI_VERSION) {
		printf("%s\n", cli_version());
		return APP_EXIT_OK;
	}
	const struct app_command *cmd = NULL;
	if (args.command && !(cmd = app_command_find(args.command))) {
		fprintf(stderr, "krakterm: unknown command '%s'\nTry 'krakterm --help'.\n",
			args.command);
		return APP_EXIT_USAGE;
	}
	return run(&args, cmd);
}
