/* cli: krakterm's command line.
 *
 *   krakterm [-p PROFILE] [-c FILE] [--log-level LEVEL] [--json] [--replay FILE]
 *            [COMMAND [ARGS...]]
 *   krakterm --help | --version
 *
 * Global options come before the command; everything from the command name on
 * belongs to the command, which parses its own arguments. "--" ends the global
 * options. No command means the terminal interface. */
#ifndef KT_APP_CLI_H
#define KT_APP_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "base/kerr.h"
#include "base/log.h"

struct app_command;

enum cli_action {
	CLI_RUN,     /* run `command`, or the TUI when it is NULL */
	CLI_HELP,    /* --help: print cli_usage() to stdout, exit 0 */
	CLI_VERSION, /* --version: print cli_version(), exit 0 */
};

/* Strings point into argv (not copied). */
struct cli_args {
	enum cli_action action;
	const char *profile;     /* -p / --profile; NULL when not given */
	const char *config_file; /* -c / --config; NULL = the default file */
	bool log_level_set;      /* --log-level given (overrides the config) */
	enum klog_level log_level;
	bool json;           /* --json: machine-readable output from one-shot commands */
	const char *replay;  /* --replay FILE: feed recorded market data instead of Kraken */
	const char *command; /* NULL: the TUI */
	int cmd_argc;        /* the command's arguments, cmd_argv[0] = the command name */
	char **cmd_argv;
};

/* Parse argv. Returns 0 (see args->action), or -1 on a usage error with err
 * saying what was wrong (the caller prints it with the usage and exits 2). */
int cli_parse(int argc, char **argv, struct cli_args *args, struct kerr *err);
/* The usage text with the command list (cmds is NULL-name terminated; may be NULL). */
void cli_usage(FILE *fp, const struct app_command *cmds);
/* "krakterm 0.1.0" */
const char *cli_version(void);

#endif
