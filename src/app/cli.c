/* cli: global options, the command name, and the usage text. */
#include "app/cli.h"

#include <string.h>

#include <config.h> /* autoconf's PACKAGE_VERSION */

#include "app/commands.h"

enum opt_id { OPT_PROFILE, OPT_CONFIG, OPT_LOG_LEVEL, OPT_JSON, OPT_REPLAY, OPT_HELP, OPT_VERSION };

static const struct cli_opt {
	char short_name; /* 0 = long only */
	const char *long_name;
	bool has_arg;
	enum opt_id id;
	const char *arg_name, *help;
} options[] = {
	{'p', "profile", true, OPT_PROFILE, "PROFILE",
	 "use this profile (default: default_profile)"},
	{'c', "config", true, OPT_CONFIG, "FILE", "read this config file instead of the default"},
	{0, "log-level", true, OPT_LOG_LEVEL, "LEVEL", "error, warn, info, debug or trace"},
	{0, "json", false, OPT_JSON, NULL, "machine-readable output from commands"},
	{0, "replay", true, OPT_REPLAY, "FILE", "replay recorded market data instead of Kraken"},
	{'h', "help", false, OPT_HELP, NULL, "print this help and exit"},
	{0, "version", false, OPT_VERSION, NULL, "print the version and exit"},
};

#define NOPTIONS (sizeof options / sizeof options[0])

const char *cli_version(void)
{
	return PACKAGE_NAME " " PACKAGE_VERSION;
}

/* Find the option `arg` names; *value is set for "--name=value" and "-xVALUE". */
static const struct cli_opt *find_option(const char *arg, const char **value)
{
	*value = NULL;
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct cli_opt *o = &options[i];
		if (arg[1] == '-') {
			size_t n = strlen(o->long_name);
			if (strncmp(arg + 2, o->long_name, n) != 0)
				continue;
			if (arg[2 + n] == '=' && o->has_arg)
				*value = arg + 3 + n;
			else if (arg[2 + n] != '\0')
				continue;
			return o;
		}
		if (o->short_name && arg[1] == o->short_name) {
			if (arg[2] && !o->has_arg)
				return NULL;
			*value = arg[2] ? arg + 2 : NULL;
			return o;
		}
	}
	return NULL;
}

/* Store one option's effect. Returns 0, or -1 with err set. */
static int apply(struct cli_args *a, const struct cli_opt *o, const char *v, struct kerr *err)
{
	switch (o->id) {
	case OPT_PROFILE:
		a->profile = v;
		break;
	case OPT_CONFIG:
		a->config_file = v;
		break;
	case OPT_LOG_LEVEL:
		if (klog_level_parse(v, &a->log_level) < 0)
			return kerr_set(err, 2,
					"invalid log level '%s' (use error, warn, info, debug or "
					"trace)",
					v);
		a->log_level_set = true;
		break;
	case OPT_JSON:
		a->json = true;
		break;
	case OPT_REPLAY:
		a->replay = v;
		break;
	case OPT_HELP:
		a->action = CLI_HELP;
		break;
	case OPT_VERSION:
		a->action = CLI_VERSION;
		break;
	}
	return 0;
}

int cli_parse(int argc, char **argv, struct cli_args *a, struct kerr *err)
{
	memset(a, 0, sizeof *a);
	int i = 1;
	for (; i < argc && a->action == CLI_RUN; i++) {
		const char *arg = argv[i], *v;
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] == '\0')
			break; /* the command */
		const struct cli_opt *o = find_option(arg, &v);
		if (!o)
			return kerr_set(err, 2, "unknown option '%s'", arg);
		if (o->has_arg && !v) {
			if (i + 1 >= argc)
				return kerr_set(err, 2, "option '%s' needs an argument (%s)", arg,
						o->arg_name);
			v = argv[++i];
		}
		if (o->has_arg && !*v)
			return kerr_set(err, 2, "option '%s' needs a non-empty %s", arg,
					o->arg_name);
		if (apply(a, o, v, err) < 0)
			return -1;
	}
	if (a->action == CLI_RUN && i < argc) {
		a->command = argv[i];
		a->cmd_argc = argc - i;
		a->cmd_argv = argv + i;
	}
	return 0;
}

void cli_usage(FILE *fp, const struct app_command *cmds)
{
	fprintf(fp, "usage: krakterm [-p PROFILE] [-c FILE] [--log-level LEVEL] [--json] "
		    "[--replay FILE] [COMMAND [ARGS...]]\n"
		    "       krakterm --help | --version\n\n"
		    "Without a command, krakterm opens the terminal interface.\n\noptions:\n");
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct cli_opt *o = &options[i];
		char left[64];
		if (o->short_name)
			snprintf(left, sizeof left, "-%c, --%s %s", o->short_name, o->long_name,
				 o->arg_name ? o->arg_name : "");
		else
			snprintf(left, sizeof left, "    --%s %s", o->long_name,
				 o->arg_name ? o->arg_name : "");
		fprintf(fp, "  %-26s %s\n", left, o->help);
	}
	if (!cmds || !cmds[0].name)
		return;
	fprintf(fp, "\ncommands:\n");
	for (const struct app_command *c = cmds; c->name; c++)
		fprintf(fp, "  %-26s %s\n", c->name, c->summary);
	fprintf(fp, "\nSee krakterm(1) and docs/config.md for details.\n");
}
