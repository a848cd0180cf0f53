/* paths: where krakterm keeps its files, following the XDG base-directory spec.
 *
 *   config  $XDG_CONFIG_HOME/krakterm  (default ~/.config/krakterm)   the config file
 *   state   $XDG_STATE_HOME/krakterm   (default ~/.local/state/krakterm) log, nonces, journal
 *   data    $XDG_DATA_HOME/krakterm    (default ~/.local/share/krakterm) paper exchange state
 *
 * Nothing is created by paths_init(): directories are made (mode 0700) by
 * paths_ensure_dir() when a file is about to be written there. */
#ifndef KT_APP_PATHS_H
#define KT_APP_PATHS_H

#include "base/kerr.h"

enum paths_kind { PATHS_CONFIG, PATHS_STATE, PATHS_DATA };

/* All strings are owned by the struct and released by paths_free(). */
struct paths {
	char *config_dir;  /* .../krakterm */
	char *state_dir;   /* .../krakterm */
	char *data_dir;    /* .../krakterm */
	char *config_file; /* config_dir/config: the default config file */
	char *log_file;    /* state_dir/krakterm.log */
};

/* The krakterm directory of one kind (malloc'd). An XDG variable that is unset,
 * empty or relative is ignored (as the spec says); the fallback is under $HOME,
 * or the password database's home when HOME is unset. NULL + err if no home. */
char *paths_dir(enum paths_kind kind, struct kerr *err);
/* Fill every path from the environment. Returns 0 or -1 (no home directory). */
int paths_init(struct paths *p, struct kerr *err);
void paths_free(struct paths *p);
/* mkdir -p `dir`, creating missing components with mode 0700. */
int paths_ensure_dir(const char *dir, struct kerr *err);
/* "~/x" -> "$HOME/x" (malloc'd); any other path is copied unchanged. */
char *paths_expand_home(const char *path);

#endif
