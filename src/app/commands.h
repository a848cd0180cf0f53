/* commands: the one-shot commands (`krakterm COMMAND ARGS...`) as a table.
 *
 * main() parses the command line, loads the config, resolves the profile and
 * opens the log, then looks the command up here and runs it with the command's
 * own argc/argv (argv[0] is the command name). A command returns the process
 * exit status: 0 success, 1 failure, 2 usage or configuration error.
 * To add a command, add a row to app_commands[] in commands.c. */
#ifndef KT_APP_COMMANDS_H
#define KT_APP_COMMANDS_H

#include <stdio.h>

#include "app/cli.h"
#include "app/cfg.h"
#include "app/paths.h"
#include "app/profile.h"

/* Everything a command may use; owned by main() for the whole run. */
struct app_ctx {
	const struct cli_args *args;
	const struct paths *paths;
	const char *config_path; /* the file asked for (it may not exist) */
	struct cfg *cfg;
	struct profile *profile; /* credentials not loaded: call profile_load_secrets() */
	FILE *out;               /* stdout: results */
	FILE *err;               /* stderr: messages */
};

struct app_command {
	const char *name;
	int (*run)(struct app_ctx *ctx, int argc, char **argv);
	const char *summary; /* one line, shown by --help */
};

/* The table, ended by a row whose name is NULL. */
extern const struct app_command app_commands[];

const struct app_command *app_command_find(const char *name);

/* Exit statuses shared by all commands. */
enum { APP_EXIT_OK = 0, APP_EXIT_FAIL = 1, APP_EXIT_USAGE = 2 };

#endif
