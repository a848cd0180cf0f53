/* paths: XDG base directories for the config file, the log and state, and data. */
#include "app/paths.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xalloc.h"

static const struct {
	const char *env;      /* XDG variable */
	const char *fallback; /* under the home directory */
} kinds[] = {
	[PATHS_CONFIG] = {"XDG_CONFIG_HOME", ".config"},
	[PATHS_STATE] = {"XDG_STATE_HOME", ".local/state"},
	[PATHS_DATA] = {"XDG_DATA_HOME", ".local/share"},
};

/* $HOME, or the password database's entry when HOME is unset or empty. */
static const char *home_dir(void)
{
	const char *h = getenv("HOME");
	if (h && *h)
		return h;
	struct passwd *pw = getpwuid(getuid());
	return pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : NULL;
}

char *paths_dir(enum paths_kind kind, struct kerr *err)
{
	const char *x = getenv(kinds[kind].env);
	if (x && x[0] == '/')
		return xasprintf("%s/krakterm", x);
	const char *home = home_dir();
	if (!home) {
		kerr_set(err, ENOENT, "no home directory: set HOME or %s", kinds[kind].env);
		return NULL;
	}
	return xasprintf("%s/%s/krakterm", home, kinds[kind].fallback);
}

int paths_init(struct paths *p, struct kerr *err)
{
	memset(p, 0, sizeof *p);
	p->config_dir = paths_dir(PATHS_CONFIG, err);
	p->state_dir = paths_dir(PATHS_STATE, err);
	p->data_dir = paths_dir(PATHS_DATA, err);
	if (!p->config_dir || !p->state_dir || !p->data_dir) {
		paths_free(p);
		return -1;
	}
	p->config_file = xasprintf("%s/config", p->config_dir);
	p->log_file = xasprintf("%s/krakterm.log", p->state_dir);
	return 0;
}

void paths_free(struct paths *p)
{
	free(p->config_dir);
	free(p->state_dir);
	free(p->data_dir);
	free(p->config_file);
	free(p->log_file);
	memset(p, 0, sizeof *p);
}

int paths_ensure_dir(const char *dir, struct kerr *err)
{
	char *d = xstrdup(dir);
	size_t n = strlen(d);
	while (n > 1 && d[n - 1] == '/')
		d[--n] = '\0';
	for (char *p = d + 1;; p++) {
		char c = *p;
		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(d, 0700) != 0 && errno != EEXIST) {
			kerr_set(err, errno, "cannot create directory %s: %s", d, strerror(errno));
			free(d);
			return -1;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	struct stat st;
	int rc = 0;
	if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode))
		rc = kerr_set(err, ENOTDIR, "%s is not a directory", d);
	free(d);
	return rc;
}

char *paths_expand_home(const char *path)
{
	const char *home;
	if (path[0] == '~' && (path[1] == '/' || path[1] == '\0') && (home = home_dir()) != NULL)
		return xasprintf("%s%s", home, path + 1);
	return xstrdup(path);
}
