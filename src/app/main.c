/* main: krakterm's entry point. Wiring only: parse the command line, then hand
 * over to the command or the TUI. */
#include <stdio.h>
#include <string.h>

#include "config.h"

static void usage(FILE *fp)
{
	fprintf(fp, "usage: krakterm [-p PROFILE] [-c FILE] [--log-level LEVEL] [COMMAND [ARGS...]]\n"
		    "       krakterm --help | --version\n");
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			printf("krakterm %s\n", PACKAGE_VERSION);
			return 0;
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		}
	}
	usage(stderr);
	return 2;
}
